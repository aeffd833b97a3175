import re

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from motcua.domain.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, DossierFactory, World, make_world

pytestmark = pytest.mark.django_db

URL = reverse("portal:lookup")
PHONE_DIGITS = APPLICANT.phone[-4:]
ID_DIGITS = APPLICANT.id_number[-4:]


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def dossier(world: World) -> Dossier:
    return DossierFactory(world=world)


def _post(client: Client, code: str, factor: str):
    return client.post(URL, {"code": code, "factor": factor})


def _no_personal_data(html: str) -> None:
    for secret in (APPLICANT.name, APPLICANT.phone, APPLICANT.id_number, APPLICANT.address):
        assert secret not in html


def test_the_form_is_labelled(client: Client) -> None:
    html = client.get(URL).content.decode()
    assert re.search(r'<label for="id_code">Mã[^<]*hồ sơ</label>', html)
    assert '<label for="id_factor">4 số cuối' in html
    assert 'aria-describedby="id_factor-help"' in html


@pytest.mark.parametrize("factor", [PHONE_DIGITS, ID_DIGITS])
def test_code_and_last_digits_show_the_status(
    client: Client, dossier: Dossier, factor: str
) -> None:
    response = _post(client, dossier.code, factor)
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html
    assert "Đang xử lý" in html
    assert dossier.procedure.name in html
    assert "Hẹn trả kết quả" in html
    _no_personal_data(html)


def test_the_receipt_qr_link_shows_the_status(client: Client, dossier: Dossier) -> None:
    response = client.get(URL, {"code": dossier.code, "token": dossier.lookup_token})
    html = response.content.decode()
    assert "Đang xử lý" in html
    _no_personal_data(html)
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_dossier_ready_for_pickup_says_so(client: Client, world: World) -> None:
    dossier = DossierFactory(world=world, status=Status.RESOLVED)
    html = _post(client, dossier.code, PHONE_DIGITS).content.decode()
    assert "Kết quả đã sẵn sàng" in html


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_wrong_factor_answers_exactly_like_an_unknown_code(
    client: Client, dossier: Dossier
) -> None:
    wrong = _post(client, dossier.code, "0000")
    unknown_code = dossier.code[:-4] + "9999"
    unknown = _post(client, unknown_code, "0000")
    assert wrong.status_code == unknown.status_code == 200
    wrong_html = _without_csrf(wrong.content.decode()).replace(dossier.code, "X")
    unknown_html = _without_csrf(unknown.content.decode()).replace(unknown_code, "X")
    assert wrong_html == unknown_html
    assert "Đang xử lý" not in wrong_html and 'role="alert"' in wrong_html
    bad_token = client.get(URL, {"code": dossier.code, "token": "x" * 16}).content.decode()
    assert dossier.procedure.name not in bad_token


def test_bad_input_is_explained_next_to_the_field(client: Client) -> None:
    response = _post(client, "<script>", "12")
    html = response.content.decode()
    assert response.status_code == 422
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
    assert "Nhập đúng 4 chữ số." in html
    assert "<script>" not in html


@override_settings(MOTCUA_PORTAL_LOOKUP_RATE="3/minute")
def test_lookups_are_rate_limited_per_client(client: Client, dossier: Dossier) -> None:
    for _ in range(3):
        assert _post(client, dossier.code, "0000").status_code == 200
    limited = _post(client, dossier.code, PHONE_DIGITS)
    assert limited.status_code == 429
    assert "Retry-After" in limited
    assert "Đang xử lý" not in limited.content.decode()


@override_settings(MOTCUA_PORTAL_LOOKUP_CODE_FAILURES="2/hour")
def test_guessing_one_code_from_many_addresses_is_stopped(client: Client, dossier: Dossier) -> None:
    for n in range(2):
        client.post(URL, {"code": dossier.code, "factor": "0000"}, REMOTE_ADDR=f"10.0.0.{n}")
    right = client.post(
        URL, {"code": dossier.code, "factor": PHONE_DIGITS}, REMOTE_ADDR="10.0.0.99"
    )
    assert right.status_code == 429


def test_the_lookup_answers_in_a_few_queries(
    client: Client, dossier: Dossier, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(3):
        response = _post(client, dossier.code, PHONE_DIGITS)
    assert dossier.code in response.content.decode()


def test_a_link_with_the_code_only_prefills_the_form_and_reveals_nothing(
    client: Client, dossier: Dossier
) -> None:
    html = client.get(URL, {"code": dossier.code}).content.decode()
    assert f'value="{dossier.code}"' in html
    assert dossier.procedure.name not in html
