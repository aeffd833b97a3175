"""Authentication and scopes: bearer tokens and browser sessions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.agencies.models import Agency, Membership, Role
from motcua.integrations.models import ApiToken, api_token_digest

from .conftest import BIRTH, Api, token_for, walk_in

pytestmark = pytest.mark.usefixtures("demo")

READ_PATHS = [
    "/agencies",
    "/agencies/H99.50.01",
    "/procedures",
    f"/procedures/{BIRTH}",
    "/dossiers",
    "/dossiers/H99.50.01-261123-0001",
    "/dossiers/H99.50.01-261123-0001/events",
    "/calendar/due?received_at=2026-03-02T08:00&amount=1&unit=working_day",
]


@pytest.mark.parametrize("path", READ_PATHS)
def test_reads_without_credentials_are_401(path: str) -> None:
    response = Client().get("/api/v1" + path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_posts_without_credentials_are_401() -> None:
    response = Api(Client()).post("/dossiers", walk_in())
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_read_token_reads_but_cannot_post(received: dict[str, Any]) -> None:
    _token, secret = token_for("tiepnhan.hongchau", "read")
    reader = Api(Client(), secret)
    assert reader.get(f"/dossiers/{received['code']}").status_code == 200
    response = reader.post("/dossiers", walk_in())
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert response.json()["details"]["required_scope"] == "write"
    action = reader.post(f"/dossiers/{received['code']}/actions/withdraw", {})
    assert action.status_code == 403


def test_a_write_only_token_cannot_read() -> None:
    _token, secret = token_for("tiepnhan.hongchau", "write")
    assert Api(Client(), secret).get("/dossiers").status_code == 403


@pytest.mark.parametrize(
    "state",
    [
        {"revoked_at": timezone.now() - dt.timedelta(minutes=1)},
        {"expires_at": timezone.now() - dt.timedelta(seconds=1)},
    ],
    ids=["revoked", "expired"],
)
def test_a_revoked_or_expired_token_is_401(state: dict[str, Any]) -> None:
    token, secret = token_for("tiepnhan.hongchau")
    ApiToken.objects.filter(pk=token.pk).update(**state)
    response = Api(Client(), secret).get("/dossiers")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_an_unknown_token_is_401_even_with_a_valid_session() -> None:
    client = Client()
    client.force_login(User.objects.get(username="tiepnhan.hongchau"))
    assert client.get("/api/v1/dossiers").status_code == 200
    response = Api(client, "mc_not-a-real-token").get("/dossiers")
    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_is_401() -> None:
    _token, secret = token_for("tiepnhan.hongchau")
    User.objects.filter(username="tiepnhan.hongchau").update(is_active=False)
    assert Api(Client(), secret).get("/dossiers").status_code == 401


def test_only_the_hash_of_the_secret_is_stored_and_use_is_recorded() -> None:
    token, secret = token_for("tiepnhan.hongchau")
    assert secret.startswith("mc_") and len(secret) > 40
    assert token.key_hash == api_token_digest(secret) != secret
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.last_used_at is None
    Api(Client(), secret).get("/procedures")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_session_posts_only_with_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="tiepnhan.hongchau"))
    api = Api(client)
    refused = api.post("/dossiers", walk_in())
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    client.get("/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = api.post("/dossiers", walk_in(), **{"X-CSRFToken": csrf})
    assert accepted.status_code == 201, accepted.content


def test_a_bearer_token_needs_no_csrf_token() -> None:
    _token, secret = token_for("tiepnhan.hongchau")
    api = Api(Client(enforce_csrf_checks=True), secret)
    assert api.post("/dossiers", walk_in()).status_code == 201


# --- issuing and revoking --------------------------------------------------------------------


def test_the_command_issues_a_token_that_works_then_revokes_it() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token",
        "create",
        "--user",
        "tiepnhan.hongchau",
        "--name",
        "Cổng dịch vụ công",
        "--scopes",
        "read,write",
        "--expires-in-days",
        "30",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=api_token_digest(secret))
    assert token.scope_set == {"read", "write"}
    assert token.expires_at is not None and token.expires_at > timezone.now()
    assert "shown only now" in err.getvalue()
    assert Api(Client(), secret).get("/dossiers").status_code == 200

    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert token.key_prefix in listing.getvalue()
    assert secret not in listing.getvalue()

    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert Api(Client(), secret).get("/dossiers").status_code == 401
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())


@pytest.mark.parametrize(
    "args",
    [["--user", "nobody", "--name", "x"], ["--user", "admin", "--name", "x", "--scopes", "all"]],
    ids=["unknown user", "unknown scope"],
)
def test_the_command_refuses_bad_input(args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("api_token", "create", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_admin_shows_the_secret_once_and_stores_its_hash() -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    user = User.objects.get(username="tiepnhan.hongchau")
    response = client.post(
        "/admin/integrations/apitoken/add/",
        {"name": "Máy kiosk", "user": user.pk, "scopes": "public"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Máy kiosk")
    words = [word for m in response.context["messages"] for word in str(m).split()]
    [secret] = [word for word in words if word.startswith("mc_") and len(word) > 40]
    assert token.key_hash == api_token_digest(secret)
    assert token.scope_set == {"public"}
    page = client.get(f"/admin/integrations/apitoken/{token.pk}/change/").content.decode()
    assert secret not in page


def test_a_token_is_read_with_its_users_memberships_of_the_day(
    django_assert_num_queries: Any,
) -> None:
    token, secret = token_for("tiepnhan.hongchau")
    user = token.user
    today = timezone.localdate()
    expected = sorted(
        (m.agency.code, m.role) for m in user.memberships.active_on(today).select_related("agency")
    )
    assert expected
    elsewhere = Agency.objects.exclude(memberships__user=user).first()
    assert elsewhere is not None
    Membership.objects.create(  # ended yesterday: not one of today's
        user=user, agency=elsewhere, role=Role.RECEIVER, valid_to=today - dt.timedelta(days=1)
    )
    with django_assert_num_queries(1):
        found = ApiToken.objects.with_memberships(api_token_digest(secret), today)
        assert found is not None
        read, memberships = found
        assert read.pk == token.pk and read.user.username == "tiepnhan.hongchau"
        assert sorted((m.agency.code, m.role) for m in memberships) == expected
    assert ApiToken.objects.with_memberships(api_token_digest("mc_unknown"), today) is None


def test_a_token_of_a_user_without_memberships_is_read_alone() -> None:
    user = User.objects.create(username="he.thong.lien.thong")
    token, secret = ApiToken.objects.issue(user=user, name="relay", scopes=("read",))
    found = ApiToken.objects.with_memberships(api_token_digest(secret), timezone.localdate())
    assert found is not None
    assert (found[0].pk, found[1]) == (token.pk, [])


def test_a_reception_through_a_token_reads_the_memberships_with_the_token() -> None:
    _token, secret = token_for("tiepnhan.hongchau")
    api = Api(Client(), secret)
    with CaptureQueriesContext(connection) as captured:
        assert api.post("/dossiers", walk_in(), key="counted").status_code == 201
    reading = [q["sql"] for q in captured.captured_queries if "agencies_membership" in q["sql"]]
    assert len(reading) == 1  # the permission check asked for nothing more
    assert "integrations_apitoken" in reading[0]
