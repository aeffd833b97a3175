"""Fixtures for the API tests: API clients authenticated as the demo province's officers
(the `demo` fixture is in the root conftest)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from motcua.integrations.models import ApiToken

BIRTH = "1.001193"  # birth registration, handled by the ward H99.50.01
WARD = "H99.50.01"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


class Api:
    """A JSON client for /api/v1/ authenticated by a bearer token."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get("/api/v1" + path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body: Any = None, *, key: str | None = None, **headers: str) -> Any:
        extra = {**self.headers, **headers}
        if key is not None:
            extra["Idempotency-Key"] = key
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.post(
            "/api/v1" + path, data, content_type="application/json", headers=extra
        )


def token_for(username: str, *scopes: str, **kwargs: Any) -> tuple[ApiToken, str]:
    user = User.objects.get(username=username)
    return ApiToken.objects.issue(
        user=user, name=f"test {username}", scopes=scopes or ("read", "write"), **kwargs
    )


def api_as(username: str, *scopes: str) -> Api:
    _token, secret = token_for(username, *scopes)
    return Api(Client(), secret)


@pytest.fixture
def as_user(demo: None) -> Any:
    """`as_user("tiepnhan.hongchau")`: an API client with a read+write token of that user."""
    return api_as


# Personas (demo accounts)
@pytest.fixture
def receiver(demo: None) -> Api:
    """Receiving officer of the ward's service center (H99.50.01.01)."""
    return api_as("tiepnhan.hongchau")


@pytest.fixture
def specialist(demo: None) -> Api:
    """Civil-status specialist of the ward's office (H99.50.01.02)."""
    return api_as("tuphap.hongchau")


@pytest.fixture
def leader(demo: None) -> Api:
    """Chairman of the ward (H99.50.01)."""
    return api_as("lanhdao.hongchau")


@pytest.fixture
def monitor(demo: None) -> Api:
    """Monitor of the ward: reads everything the ward handles, acts on nothing."""
    return api_as("giamsat.hongchau")


@pytest.fixture
def outsider(demo: None) -> Api:
    """A specialist of the provincial Justice Department: another agency altogether."""
    return api_as("chuyenvien.stp")


@pytest.fixture
def other_receiver(demo: None) -> Api:
    """Receiving officer of another commune (xã Tân Lập)."""
    return api_as("tiepnhan.tanlap")


def walk_in(**overrides: Any) -> dict[str, Any]:
    """A birth registration brought to the ward's counter."""
    body: dict[str, Any] = {
        "mode": "receive",
        "procedure_code": BIRTH,
        "applicant": {
            "name": "Nguyễn Văn An",
            "id_number": "001099012345",
            "phone": "0912345678",
            "address": "Số 1 đường Lê Lợi, phường Hồng Châu",
        },
        "return_channel": "counter",
    }
    body.update(overrides)
    return body


@pytest.fixture
def received(receiver: Api) -> dict[str, Any]:
    """A walk-in birth registration just received by the ward's counter: at the
    specialist's step, with its code issued."""
    response = receiver.post("/dossiers", walk_in())
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body
