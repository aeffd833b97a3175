"""The applicant's profile page and the prefill of online submissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.selectors import applicant_prefill

from .conftest import Outbox

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
VALID = {
    "full_name": "  Nguyễn   Thị Hoa ",
    "personal_id": "001190012345",
    "phone": "+84 987 654 321",
    "email": "Hoa@Example.vn",
    "address": "12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
}


@pytest.fixture
def applicant(outbox: Outbox) -> User:
    now = timezone.now() - dt.timedelta(minutes=10)
    services.sign_in_code_request(raw_identifier="0912345678", client="c", now=now, via=outbox)
    return services.sign_in_code_verify(
        raw_identifier="0912345678", code=outbox.last_code(), client="c", now=now
    ).user


@pytest.fixture
def signed_in(client: Client, applicant: User) -> Client:
    client.force_login(applicant)
    return client


def test_the_profile_needs_a_signed_in_applicant(client: Client) -> None:
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_a_new_account_is_prefilled_with_the_phone_it_signed_in_with(applicant: User) -> None:
    assert applicant_prefill(applicant)["phone"] == "0912345678"
    assert applicant_prefill(AnonymousUser()) == {}


def test_saving_the_profile_prefills_submissions(signed_in: Client, applicant: User) -> None:
    response = signed_in.post(PROFILE, VALID)
    assert response.status_code == 302
    page = signed_in.get(PROFILE).content.decode()
    assert "Đã lưu thông tin cá nhân." in page
    assert applicant_prefill(applicant) == {
        "full_name": "Nguyễn Thị Hoa",
        "personal_id": "001190012345",
        "phone": "0987654321",
        "email": "hoa@example.vn",
        "address": "12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
    }


def test_changing_the_contact_phone_keeps_the_sign_in_phone(
    signed_in: Client, applicant: User
) -> None:
    signed_in.post(PROFILE, VALID)
    assert applicant.sign_in_identities.get().value == "0912345678"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("personal_id", "0011900123", "Số định danh cá nhân gồm đúng 12 chữ số."),
        ("personal_id", "003190012345", "không phải là mã tỉnh của số định danh cá nhân"),
        ("personal_id", "001299012345", "Năm sinh thể hiện trong số định danh cá nhân"),
        ("phone", "12345", "Nhập số điện thoại Việt Nam"),
        ("email", "hoa@", "Nhập địa chỉ thư điện tử hợp lệ"),
        ("full_name", "", "Trường này là bắt buộc"),
    ],
    ids=["id-length", "id-province", "id-future-year", "phone", "email", "name-required"],
)
def test_invalid_details_are_explained_next_to_the_field(
    signed_in: Client, applicant: User, field: str, value: str, message: str
) -> None:
    response = signed_in.post(PROFILE, {**VALID, field: value})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'id="id_{field}_error" role="alert"' in body
    assert "id_" + field + "_error" in body.split(f'name="{field}"')[1].split(">")[0]
    assert applicant_prefill(applicant)["full_name"] == ""


def test_the_page_lists_how_the_applicant_signs_in(signed_in: Client) -> None:
    body = signed_in.get(PROFILE).content.decode()
    assert "Bạn đăng nhập bằng" in body
    assert "0912345678" in body
    assert "Đăng xuất" in body
