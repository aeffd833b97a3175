"""Sign-in with the authenticator second factor: the code step after the password, the
set-up page with its QR code, and that nothing but the officer's own code opens it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts import second_factor
from motcua.accounts.models import OfficerTotp
from motcua.accounts.services import sign_in_code_request
from motcua.domain import totp
from motcua.dossiers.tests.factories import World

pytestmark = pytest.mark.django_db


def _code(key: str, offset_steps: int = 0) -> str:
    step = totp.time_step(timezone.now().timestamp()) + offset_steps
    return totp.hotp(totp.secret_from_text(key), step)


def _enrolled(world: World) -> str:
    key = second_factor.totp_enrolment_start(user=world.leader)
    second_factor.totp_enrolment_confirm(user=world.leader, code=_code(key, -1))
    return key


def _signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_an_officer_without_the_factor_signs_in_with_the_password_alone(
    client: Client, world: World
) -> None:
    response = client.post("/office/login/", {"username": "lanhdao", "password": "secret"})
    assert response["Location"] == "/office/"
    assert _signed_in_as(client) == str(world.leader.pk)


def test_an_enrolled_leader_is_asked_for_the_code_after_the_password(
    client: Client, world: World
) -> None:
    key = _enrolled(world)
    response = client.post(
        "/office/login/", {"username": "lanhdao", "password": "secret", "next": "/office/book/"}
    )
    assert response["Location"] == "/office/login/code/"
    assert _signed_in_as(client) is None
    assert client.get("/office/")["Location"].startswith("/office/login/")  # not yet in

    page = client.get("/office/login/code/")
    assert "Mã từ ứng dụng xác thực" in page.content.decode()
    response = client.post("/office/login/code/", {"code": _code(key)})
    assert response["Location"] == "/office/book/"
    assert _signed_in_as(client) == str(world.leader.pk)


def test_a_wrong_code_keeps_the_door_shut(client: Client, world: World) -> None:
    _enrolled(world)
    client.post("/office/login/", {"username": "lanhdao", "password": "secret"})
    response = client.post("/office/login/code/", {"code": "000000"})
    assert response.status_code == 400
    assert "Mã không đúng" in response.content.decode()
    assert _signed_in_as(client) is None


def test_an_applicants_one_time_code_never_opens_an_officer_account(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The portal's codes are sent to an address; one sent to the leader's own address is
    refused at the officer's code step (and would only ever open an applicant account)."""
    sent: list[str] = []

    class Box:
        delivers = True

        def send_sms(self, phone: str, text: str, *, key: str | None = None) -> None:
            sent.append(text)

        def send_email(self, address: str, subject: str, text: str) -> None:
            sent.append(text)

    world.leader.email = "lanhdao@example.vn"
    world.leader.save()
    _enrolled(world)
    sign_in_code_request(
        raw_identifier="lanhdao@example.vn", client="1.2.3.4", now=timezone.now(), via=Box()
    )
    (applicant_code,) = re.findall(r"\b\d{6}\b", sent[0])
    client.post("/office/login/", {"username": "lanhdao", "password": "secret"})
    response = client.post("/office/login/code/", {"code": applicant_code})
    assert response.status_code == 400
    assert _signed_in_as(client) is None


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(
    client: Client, world: World
) -> None:
    _enrolled(world)
    response = client.post("/office/login/code/", {"code": "123456"})
    assert response["Location"] == "/office/login/"
    assert _signed_in_as(client) is None


def test_guessing_the_code_is_rate_limited(client: Client, world: World) -> None:
    key = _enrolled(world)
    client.post("/office/login/", {"username": "lanhdao", "password": "secret"})
    statuses = [
        client.post("/office/login/code/", {"code": "000000"}).status_code for _ in range(9)
    ]
    assert statuses == [400] * 9  # with the confirmation, ten checks this hour
    response = client.post("/office/login/code/", {"code": _code(key)})
    assert response.status_code == 429
    assert _signed_in_as(client) is None


def test_the_leader_sets_the_factor_up_from_the_security_page(client: Client, world: World) -> None:
    client.force_login(world.leader)
    page = client.get("/office/security/").content.decode()
    assert "Thiết lập xác thực hai lớp" in page
    page = client.post("/office/security/", {"step": "start"}).content.decode()
    assert "<svg" in page  # the QR code
    key = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', page)
    assert key is not None
    response = client.post("/office/security/", {"step": "confirm", "code": _code(key.group(1))})
    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode()
    )
    assert len(codes) == second_factor.RECOVERY_CODES
    assert OfficerTotp.objects.get(user=world.leader).confirmed_at is not None
    # A recovery code turns it off again.
    response = client.post("/office/security/", {"step": "disable", "code": codes[0]})
    assert response.status_code == 302
    assert not second_factor.is_enrolled(world.leader)


def test_a_specialist_is_told_the_factor_is_for_leaders(client: Client, world: World) -> None:
    client.force_login(world.specialist)
    response = client.post("/office/security/", {"step": "start"})
    assert response.status_code == 400
    assert not OfficerTotp.objects.exists()


def test_the_security_page_has_a_small_query_budget(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    _enrolled(world)
    client.force_login(world.leader)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get("/office/security/").status_code == 200
