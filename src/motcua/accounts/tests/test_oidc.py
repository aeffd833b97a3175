"""Sign-in through an OpenID Connect provider, against a local fake provider."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from motcua.accounts import oidc
from motcua.accounts.exceptions import OidcError
from motcua.accounts.models import ApplicantProfile

from .fake_oidc import FakeProvider, RsaKey, jwt, serve

pytestmark = pytest.mark.django_db

START = reverse("accounts:oidc_start")
CALLBACK = reverse("accounts:oidc_callback")
REFUSED = "Đăng nhập qua hệ thống định danh không thành công"


@pytest.fixture(scope="module")
def key() -> RsaKey:
    return RsaKey.generate()


@pytest.fixture(scope="module")
def impostor_key(key: RsaKey) -> RsaKey:
    return RsaKey.generate(kid=key.kid)


@pytest.fixture
def provider(key: RsaKey, settings: Any) -> Iterator[FakeProvider]:
    fake = FakeProvider(key=key, claims={"name": "Trần Văn Bình", "email": "binh@example.vn"})
    server = serve(fake)
    settings.MOTCUA_OIDC_ISSUER = fake.base
    settings.MOTCUA_OIDC_CLIENT_ID = fake.client_id
    settings.MOTCUA_OIDC_CLIENT_SECRET = fake.client_secret
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def _start(client: Client, **extra: str) -> str:
    response = client.post(START, extra)
    assert response.status_code == 302
    return str(response["Location"])


def test_signing_in_with_the_provider(client: Client, provider: FakeProvider) -> None:
    assert "Đăng nhập bằng VNeID" in client.get(reverse("accounts:login")).content.decode()

    url = _start(client, next="/thu-tuc/")
    assert url.startswith(f"{provider.base}/authorize?")
    code, state = provider.authorize(url)
    response = client.get(CALLBACK, {"code": code, "state": state})

    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/"
    user = User.objects.get(pk=client.session["_auth_user_id"])
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.full_name == "Trần Văn Bình"
    assert profile.email == "binh@example.vn"

    # The same person again: the same account.
    other = Client()
    code, state = provider.authorize(_start(other))
    other.get(CALLBACK, {"code": code, "state": state})
    assert other.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_state_is_refused_before_any_token_request(
    client: Client, provider: FakeProvider
) -> None:
    code, _state = provider.authorize(_start(client))
    response = client.get(CALLBACK, {"code": code, "state": "forged-state"})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert provider.token_requests == []


def test_a_callback_without_a_started_sign_in_is_refused(
    client: Client, provider: FakeProvider
) -> None:
    code, state = provider.authorize(_start(Client()))
    response = client.get(CALLBACK, {"code": code, "state": state})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_wrong_nonce_is_refused(client: Client, provider: FakeProvider) -> None:
    provider.nonce_override = "replayed-nonce"
    code, state = provider.authorize(_start(client))
    response = client.get(CALLBACK, {"code": code, "state": state})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_a_token_signed_by_another_key_is_refused(
    client: Client, provider: FakeProvider, impostor_key: RsaKey
) -> None:
    provider.signing_key = impostor_key
    code, state = provider.authorize(_start(client))
    response = client.get(CALLBACK, {"code": code, "state": state})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_state_cannot_be_replayed(client: Client, provider: FakeProvider) -> None:
    code, state = provider.authorize(_start(client))
    client.get(CALLBACK, {"code": code, "state": state})
    client.post(reverse("accounts:logout"))
    response = client.get(CALLBACK, {"code": code, "state": state})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def _claims(provider: FakeProvider, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": provider.base,
        "aud": provider.client_id,
        "sub": "s",
        "iat": now,
        "exp": now + 300,
        "nonce": "n",
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "https://other.example"}, "id_token_issuer"),
        ({"aud": "someone-else"}, "id_token_audience"),
        ({"aud": ["motcua-test", "other"]}, "id_token_azp"),
        ({"exp": int(time.time()) - 3600}, "id_token_expired"),
        ({"nonce": "other"}, "id_token_nonce"),
        ({"nonce": None}, "id_token_nonce"),
        ({"sub": None}, "id_token_subject"),
    ],
    ids=["issuer", "audience", "azp", "expired", "nonce", "no-nonce", "no-subject"],
)
def test_id_token_checks(provider: FakeProvider, changes: dict[str, Any], reason: str) -> None:
    config = oidc.oidc_settings()
    assert config is not None
    token = jwt(provider.key, _claims(provider, **changes))
    with pytest.raises(OidcError) as excinfo:
        oidc.id_token_claims(
            token,
            config=config,
            jwks_uri=f"{provider.base}/jwks",
            nonce="n",
            now=dt.datetime.now(dt.UTC),
        )
    assert excinfo.value.reason == reason


def test_an_unsigned_token_is_refused(provider: FakeProvider) -> None:
    config = oidc.oidc_settings()
    assert config is not None
    header, payload, _signature = jwt(provider.key, _claims(provider), alg="none").split(".")
    with pytest.raises(OidcError):
        oidc.id_token_claims(
            f"{header}.{payload}.",
            config=config,
            jwks_uri=f"{provider.base}/jwks",
            nonce="n",
            now=dt.datetime.now(dt.UTC),
        )


def test_without_configuration_there_is_no_provider_sign_in(client: Client) -> None:
    assert "Đăng nhập bằng" not in client.get(reverse("accounts:login")).content.decode()
    assert client.post(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


def test_a_plain_http_provider_elsewhere_than_loopback_is_refused(settings: Any) -> None:
    settings.MOTCUA_OIDC_ISSUER = "http://id.example.vn"
    settings.MOTCUA_OIDC_CLIENT_ID = "c"
    config = oidc.oidc_settings()
    assert config is not None
    with pytest.raises(OidcError) as excinfo:
        oidc.provider_metadata(config)
    assert excinfo.value.reason.startswith("insecure_endpoint")
