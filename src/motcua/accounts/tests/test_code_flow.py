"""Sign-up and sign-in with a one-time code, as an applicant would go through it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.exceptions import (
    CodeExpired,
    CodeNotSent,
    CodeWrong,
    RateLimited,
    ResendTooSoon,
    TooManyAttempts,
)
from motcua.accounts.models import ApplicantProfile, SignInCode, SignInIdentity

from .conftest import Outbox

pytestmark = pytest.mark.django_db

PHONE = "0912345678"
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
PROFILE = reverse("accounts:profile")


def _ask(client: Client, identifier: str = PHONE, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"identifier": identifier, **extra})


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_right_code_creates_the_account_and_signs_in(client: Client, outbox: Outbox) -> None:
    response = _ask(client, "091 234 5678")
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    [(phone, text)] = outbox.sms
    assert phone == PHONE
    assert "Mã xác thực" in text

    page = client.get(VERIFY)
    body = page.content.decode()
    assert "*****78" in body
    assert "2345" not in body

    response = client.post(VERIFY, {"code": outbox.last_code()})
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    user = User.objects.get(sign_in_identities__value=PHONE)
    assert not user.has_usable_password()
    assert ApplicantProfile.objects.get(user=user).phone == PHONE
    page = client.get(PROFILE)
    assert page.status_code == 200
    assert "Tài khoản của bạn đã được tạo" in page.content.decode()


def test_signing_in_again_uses_the_same_account_and_follows_next(
    client: Client, outbox: Outbox
) -> None:
    now = timezone.now() - dt.timedelta(minutes=2)
    services.sign_in_code_request(raw_identifier=PHONE, client="1.1.1.1", now=now, via=outbox)
    first = services.sign_in_code_verify(
        raw_identifier=PHONE, code=outbox.last_code(), client="1.1.1.1", now=now
    )

    _ask(client, PHONE, next="/thu-tuc/")
    response = client.post(VERIFY, {"code": outbox.last_code()})
    assert response["Location"] == "/thu-tuc/"
    assert client.session["_auth_user_id"] == str(first.user.pk)
    assert User.objects.filter(sign_in_identities__value=PHONE).count() == 1


def test_a_next_address_on_another_site_is_ignored(client: Client, outbox: Outbox) -> None:
    _ask(client, PHONE, next="https://evil.example/steal")
    response = client.post(VERIFY, {"code": outbox.last_code()})
    assert response["Location"] == PROFILE


def test_an_email_identifier_gets_the_code_by_email(client: Client, outbox: Outbox) -> None:
    _ask(client, "An.Nguyen@Example.vn")
    [(address, subject, _text)] = outbox.email
    assert address == "an.nguyen@example.vn"
    assert subject == "Mã xác thực motcua của bạn"
    client.post(VERIFY, {"code": outbox.last_code()})
    profile = ApplicantProfile.objects.get(email="an.nguyen@example.vn")
    assert profile.user.email == "an.nguyen@example.vn"


def test_the_code_is_not_stored_in_clear(outbox: Outbox) -> None:
    services.sign_in_code_request(
        raw_identifier=PHONE, client="1.1.1.1", now=timezone.now(), via=outbox
    )
    row = SignInCode.objects.get(identifier=PHONE)
    assert outbox.last_code() not in row.code_hash


def test_a_wrong_code_counts_the_attempts(client: Client, outbox: Outbox) -> None:
    _ask(client)
    wrong = _wrong(outbox.last_code())

    response = client.post(VERIFY, {"code": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mã xác thực không đúng. Bạn còn 4 lần thử." in body
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body
    assert "_auth_user_id" not in client.session

    for _attempt in range(3):
        client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": wrong})
    assert "nhập sai mã quá số lần cho phép" in response.content.decode()
    # Even the right code no longer opens the account: a new code must be requested.
    response = client.post(VERIFY, {"code": outbox.last_code()})
    assert "_auth_user_id" not in client.session
    assert "nhập sai mã quá số lần cho phép" in response.content.decode()


def test_attempts_left_and_lockout_through_the_service(outbox: Outbox) -> None:
    now = timezone.now()
    services.sign_in_code_request(raw_identifier=PHONE, client="c", now=now, via=outbox)
    wrong = _wrong(outbox.last_code())
    remaining = []
    for _attempt in range(4):
        with pytest.raises(CodeWrong) as excinfo:
            services.sign_in_code_verify(raw_identifier=PHONE, code=wrong, client="c", now=now)
        remaining.append(excinfo.value.remaining)
    assert remaining == [4, 3, 2, 1]
    with pytest.raises(TooManyAttempts):
        services.sign_in_code_verify(raw_identifier=PHONE, code=wrong, client="c", now=now)


def test_an_expired_code_is_refused(outbox: Outbox) -> None:
    now = timezone.now()
    services.sign_in_code_request(raw_identifier=PHONE, client="c", now=now, via=outbox)
    with pytest.raises(CodeExpired):
        services.sign_in_code_verify(
            raw_identifier=PHONE,
            code=outbox.last_code(),
            client="c",
            now=now + dt.timedelta(minutes=5, seconds=1),
        )
    assert not SignInIdentity.objects.filter(value=PHONE).exists()


def test_a_code_works_once(outbox: Outbox) -> None:
    now = timezone.now()
    services.sign_in_code_request(raw_identifier=PHONE, client="c", now=now, via=outbox)
    code = outbox.last_code()
    services.sign_in_code_verify(raw_identifier=PHONE, code=code, client="c", now=now)
    with pytest.raises(CodeExpired):
        services.sign_in_code_verify(raw_identifier=PHONE, code=code, client="c", now=now)


def test_a_new_code_replaces_the_old_one_after_the_cooldown(outbox: Outbox) -> None:
    now = timezone.now()
    services.sign_in_code_request(raw_identifier=PHONE, client="c", now=now, via=outbox)
    old = outbox.last_code()
    with pytest.raises(ResendTooSoon):
        services.sign_in_code_request(
            raw_identifier=PHONE, client="c", now=now + dt.timedelta(seconds=30), via=outbox
        )
    later = now + dt.timedelta(seconds=61)
    services.sign_in_code_request(raw_identifier=PHONE, client="c", now=later, via=outbox)
    new = outbox.last_code()
    if old != new:
        with pytest.raises(CodeWrong):
            services.sign_in_code_verify(raw_identifier=PHONE, code=old, client="c", now=later)
    assert services.sign_in_code_verify(raw_identifier=PHONE, code=new, client="c", now=later)


def test_asking_again_too_soon_leads_to_the_code_page(client: Client, outbox: Outbox) -> None:
    _ask(client)
    response = _ask(client)
    assert response["Location"] == VERIFY
    assert len(outbox.sms) == 1
    page = client.get(VERIFY).content.decode()
    assert "Mã xác thực vừa được gửi" in page


def test_requests_per_identifier_are_rate_limited(client: Client, outbox: Outbox) -> None:
    # The limits count in fixed windows (whole hours): stay inside one.
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for minute in range(5):
        services.sign_in_code_request(
            raw_identifier=PHONE,
            client=f"10.0.0.{minute}",
            now=now + dt.timedelta(minutes=minute * 2),
            via=outbox,
        )
    with pytest.raises(RateLimited):
        services.sign_in_code_request(
            raw_identifier=PHONE,
            client="10.0.0.9",
            now=now + dt.timedelta(minutes=12),
            via=outbox,
        )


def test_requests_per_address_are_rate_limited_with_a_clear_message(
    client: Client, outbox: Outbox
) -> None:
    for n in range(20):
        assert _ask(client, f"09{n:08d}").status_code == 302
    response = _ask(client, "0987654321")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau" in body
    assert 'role="alert"' in body
    assert len(outbox.sms) == 20


def test_a_bad_identifier_is_explained(client: Client, outbox: Outbox) -> None:
    response = _ask(client, "12345")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nhập địa chỉ thư điện tử hoặc số điện thoại di động Việt Nam" in body
    assert 'aria-describedby="id_identifier_helptext id_identifier_error"' in body
    assert outbox.sms == []


def test_a_gateway_failure_says_so_and_leaves_no_live_code(client: Client, outbox: Outbox) -> None:
    outbox.failing = True
    response = _ask(client)
    assert "Hiện không gửi được mã xác thực" in response.content.decode()
    assert not SignInCode.objects.exists()
    with pytest.raises(CodeNotSent):
        services.sign_in_code_request(
            raw_identifier="0987654321", client="c", now=timezone.now(), via=outbox
        )


def test_an_officer_account_is_never_entered_with_a_code(client: Client, outbox: Outbox) -> None:
    officer = User.objects.create_user(username=PHONE, email="can.bo@example.vn", password="x")
    _ask(client, PHONE)
    client.post(VERIFY, {"code": outbox.last_code()})
    assert client.session["_auth_user_id"] != str(officer.pk)
    _ask(Client(), "can.bo@example.vn")
    assert not SignInIdentity.objects.filter(user=officer).exists()


def test_the_verify_page_needs_a_requested_code(client: Client) -> None:
    assert client.get(VERIFY)["Location"] == LOGIN


def test_the_login_page_is_vietnamese_and_labelled(client: Client) -> None:
    body = client.get(LOGIN).content.decode()
    assert "Đăng nhập hoặc tạo tài khoản" in body
    assert '<label for="id_identifier">Thư điện tử hoặc số điện thoại di động</label>' in body
    assert "Đăng nhập bằng" not in body  # no identity provider configured


def test_signing_out(client: Client, outbox: Outbox) -> None:
    _ask(client)
    client.post(VERIFY, {"code": outbox.last_code()})
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
