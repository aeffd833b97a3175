"""The public status lookup: code plus second factor, minimal data, rate limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .conftest import Api, token_for

pytestmark = pytest.mark.usefixtures("demo")

PERSONAL = {"0912345678", "001099012345", "Nguyễn Văn An", "Lê Lợi"}


def lookup(code: str, factor: str, client: Client | None = None, **headers: str) -> Any:
    return (client or Client()).get(
        f"/api/v1/public/dossiers/{code}", {"factor": factor}, headers=headers
    )


@pytest.mark.parametrize("factor", ["5678", "2345", "token"], ids=["phone", "id", "token"])
def test_the_right_factor_shows_the_status_and_nothing_personal(
    received: dict[str, Any], factor: str
) -> None:
    factor = received["lookup_token"] if factor == "token" else factor
    response = lookup(received["code"], factor)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "code",
        "procedure_name",
        "handling_agency_name",
        "status",
        "received_at",
        "due_at",
        "extended_due_at",
        "returned_at",
    }
    assert body["code"] == received["code"]
    assert body["status"]["value"] == "processing"
    assert body["due_at"] == received["due_at"]
    assert not any(value in response.content.decode() for value in PERSONAL)


def test_the_lookup_reads_the_dossier_in_one_query(
    received: dict[str, Any], django_assert_num_queries: Any
) -> None:
    # It loads only the fields of its answer: one more read would mean a deferred field.
    with django_assert_num_queries(1):
        response = lookup(received["code"], received["lookup_token"])
    assert response.status_code == 200
    assert response.json()["procedure_name"] and response.json()["handling_agency_name"]


def test_a_wrong_factor_and_an_unknown_code_get_the_very_same_404(
    received: dict[str, Any],
) -> None:
    wrong = lookup(received["code"], "0000")
    unknown = lookup("H99.50.01-200101-0001", "5678")
    malformed = lookup("<script>", "5678")
    assert wrong.status_code == unknown.status_code == malformed.status_code == 404
    assert wrong.content == unknown.content == malformed.content
    assert wrong.json()["code"] == "not_found"


def test_a_submission_without_code_is_not_found_by_its_number(receiver: Api) -> None:
    reference = (
        Api(Client(), token_for("tiepnhan.hongchau")[1])
        .post(
            "/dossiers",
            {"mode": "submit", "procedure_code": "1.001193", "applicant": {"name": "Ai Đó"}},
        )
        .json()["reference"]
    )
    assert lookup(reference, "0000").status_code == 404


def test_lookups_are_rate_limited_per_client_address(
    received: dict[str, Any], settings: Any
) -> None:
    settings.MOTCUA_API_PUBLIC_RATE = "3/minute"
    for _ in range(3):
        assert lookup(received["code"], "5678").status_code == 200
    limited = lookup(received["code"], "5678")
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    # The sliding window spreads a window's requests evenly over it, so a burst may have
    # to wait into the next window, never past it.
    assert 1 <= int(limited["Retry-After"]) <= 2 * 60
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert lookup(received["code"], "5678", other).status_code == 200


def test_the_limit_can_come_from_the_environment(
    received: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_API_PUBLIC_RATE", "1/minute")
    assert lookup(received["code"], "5678").status_code == 200
    assert lookup(received["code"], "5678").status_code == 429


def test_forwarded_addresses_count_only_behind_trusted_proxies(
    received: dict[str, Any], settings: Any
) -> None:
    settings.MOTCUA_API_PUBLIC_RATE = "1/minute"
    code = received["code"]
    assert lookup(code, "5678", **{"X-Forwarded-For": "1.1.1.1"}).status_code == 200
    # Without trusted proxies a spoofed header does not make a new client.
    assert lookup(code, "5678", **{"X-Forwarded-For": "2.2.2.2"}).status_code == 429
    settings.MOTCUA_TRUSTED_PROXIES = 1
    assert lookup(code, "5678", **{"X-Forwarded-For": "3.3.3.3"}).status_code == 200
    assert lookup(code, "5678", **{"X-Forwarded-For": "3.3.3.3"}).status_code == 429


def test_guessing_factors_of_one_code_is_stopped_from_any_address(
    received: dict[str, Any], settings: Any
) -> None:
    settings.MOTCUA_API_PUBLIC_CODE_FAILURES = "5/hour"
    code = received["code"]
    for i in range(5):
        client = Client(REMOTE_ADDR=f"10.1.0.{i}")
        assert lookup(code, f"{i:04d}", client).status_code == 404
    blocked = lookup(code, "5678", Client(REMOTE_ADDR="10.2.0.1"))
    assert blocked.status_code == 429
    # An unknown code is counted the same way, so blocking reveals nothing either.
    for i in range(5):
        lookup("H99.50.01-200101-0002", f"{i:04d}", Client(REMOTE_ADDR=f"10.3.0.{i}"))
    assert lookup("H99.50.01-200101-0002", "1111").status_code == 429


def test_a_relaying_system_is_limited_per_token(received: dict[str, Any], settings: Any) -> None:
    settings.MOTCUA_API_PUBLIC_RATE = "1/minute"
    settings.MOTCUA_API_PUBLIC_TOKEN_RATE = "3/minute"
    _token, secret = token_for("admin", "public")
    bearer = {"Authorization": f"Bearer {secret}"}
    for _ in range(3):
        assert lookup(received["code"], "5678", **bearer).status_code == 200
    assert lookup(received["code"], "5678", **bearer).status_code == 429
    _token, read_only = token_for("admin", "read")
    refused = lookup(received["code"], "5678", Authorization=f"Bearer {read_only}")
    assert refused.status_code == 403
    assert lookup(received["code"], "5678", Authorization="Bearer nope").status_code == 401


def test_the_factor_is_required() -> None:
    response = Client().get("/api/v1/public/dossiers/H99.50.01-200101-0001")
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "factor"
