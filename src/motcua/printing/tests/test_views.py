"""The forms over HTTP: the back office's PDF links and the API. Whoever may not see the
dossier gets the same 404 as for a dossier that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, at
from motcua.integrations.models import ApiToken
from motcua.printing import pdf as pdf_module
from motcua.printing.exceptions import PdfEngineUnavailable

from .conftest import NAME

Text = Callable[[bytes], str]


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Api:
    """/api/v1/ with a bearer token, as an integrator calls it (the API's own test helpers
    sit in an interface package that this app may not import)."""

    def __init__(self, secret: str | None = None) -> None:
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str) -> Any:
        return Client().get("/api/v1" + path, headers=self.headers)


def api(user: Any, *scopes: str) -> Api:
    _token, secret = ApiToken.objects.issue(user=user, name="test", scopes=scopes or ("read",))
    return Api(secret)


# --- the back office's links --------------------------------------------------------------


def test_officer_opens_the_receipt_inline(world: World, received: Dossier, text_of: Text) -> None:
    response = browser(world.receiver).get(f"/forms/{received.code}/01.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{received.code}-mau-01.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = text_of(response.content)
    assert received.code and received.code in text
    assert NAME in text


def test_a_form_before_reception_is_named_by_the_submission_number(
    world: World, submitted: Dossier
) -> None:
    services.dossier_refuse_reception(
        actor=world.receiver, reference=str(submitted.pk), reasons="Sai thẩm quyền", now=at(9, 10)
    )
    response = browser(world.receiver).get(f"/forms/{submitted.pk}/03.pdf")
    assert response.status_code == 200
    assert f'filename="{submitted.pk}-mau-03.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["away_receiver", "construction_specialist", "applicant"])
def test_someone_who_may_not_see_the_dossier_gets_404(
    world: World, received: Dossier, persona: str
) -> None:
    missing = browser(world.receiver).get("/forms/H98.50.01-260309-9999/01.pdf")
    response = browser(getattr(world, persona)).get(f"/forms/{received.code}/01.pdf")

    assert response.status_code == missing.status_code == 404
    assert "Không có hồ sơ" in response.content.decode()  # the same message for both


def test_signed_out_visitors_are_sent_to_sign_in(received: Dossier) -> None:
    from django.conf import settings
    from django.shortcuts import resolve_url

    response = Client().get(f"/forms/{received.code}/01.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_unknown_and_not_applicable_forms_explain_in_vietnamese(
    world: World, received: Dossier
) -> None:
    client = browser(world.receiver)

    unknown = client.get(f"/forms/{received.code}/09.pdf")
    assert unknown.status_code == 404
    assert "unknown_form" in unknown.content.decode()
    assert "Không có mẫu 09" in unknown.content.decode()

    refused = client.get(f"/forms/{received.code}/03.pdf")
    assert refused.status_code == 409
    assert "form_not_applicable" in refused.content.decode()
    assert "không bị từ chối tiếp nhận" in refused.content.decode()


def test_a_missing_pdf_engine_tells_the_operator_what_to_install(
    world: World, received: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise PdfEngineUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf_module, "_weasyprint", missing)
    response = browser(world.receiver).get(f"/forms/{received.code}/01.pdf")

    assert response.status_code == 503
    assert "libpango-1.0-0 libpangoft2-1.0-0" in response.content.decode()
    assert "libpango-1.0-0 libpangoft2-1.0-0" in pdf_module.engine_problem()


# --- the tracking book ---------------------------------------------------------------------


def book(client: Client, **params: str) -> Any:
    return client.get("/forms/tracking-book.pdf", params)


def test_tracking_book_lists_the_dossiers_received_in_the_period(
    world: World, received: Dossier, text_of: Text
) -> None:
    response = book(
        browser(world.leader),
        agency=world.home.ward.code,
        **{"from": "2026-03-01", "to": "2026-03-31"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="{world.home.ward.code}-mau-07-20260301-20260331.pdf"'
        in (response["Content-Disposition"])
    )
    text = text_of(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    assert received.code and received.code in text
    assert NAME in text
    assert "09 giờ 00 phút, 09/03/2026" in text  # received
    assert "09 giờ 00 phút, 12/03/2026" in text  # appointment


def test_tracking_book_of_another_period_is_empty(
    world: World, received: Dossier, text_of: Text
) -> None:
    response = book(
        browser(world.leader),
        agency=world.home.ward.code,
        **{"from": "2026-04-01", "to": "2026-04-30"},
    )
    text = text_of(response.content)
    assert received.code and received.code not in text
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ" in text


def test_tracking_book_of_another_agency_is_404(world: World, received: Dossier) -> None:
    for persona in ("away_leader", "construction_leader"):
        response = book(browser(getattr(world, persona)), agency=world.home.ward.code)
        assert response.status_code == 404
        assert "agency_not_found" in response.content.decode()
    assert book(browser(world.leader), agency="H00.99").status_code == 404


@pytest.mark.parametrize(
    ("params", "field_message"),
    [
        ({}, "chọn cơ quan"),
        ({"from": "09/03/2026"}, "năm-tháng-ngày"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "trước ngày bắt đầu"),
        ({"from": "2025-01-01", "to": "2026-03-01"}, "366"),
    ],
)
def test_tracking_book_bad_parameters_are_explained(
    world: World, params: dict[str, str], field_message: str
) -> None:
    if params:
        params = {"agency": world.home.ward.code, **params}
    response = book(browser(world.leader), **params)
    assert response.status_code == 422
    assert field_message in response.content.decode()


# --- the API -------------------------------------------------------------------------------


def test_api_returns_the_form_as_pdf(world: World, received: Dossier, text_of: Text) -> None:
    response = api(world.receiver).get(f"/dossiers/{received.code}/forms/01.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{received.code}-mau-01.pdf"'
    assert NAME in text_of(response.content)


def test_api_hides_the_dossier_of_another_agency(world: World, received: Dossier) -> None:
    response = api(world.away_receiver).get(f"/dossiers/{received.code}/forms/01.pdf")
    missing = api(world.receiver).get("/dossiers/H98.50.01-260309-9999/forms/01.pdf")

    assert response.status_code == missing.status_code == 404
    assert response.json()["code"] == missing.json()["code"] == "dossier_not_found"


def test_api_errors_have_stable_codes(world: World, received: Dossier) -> None:
    client = api(world.receiver)

    unknown = client.get(f"/dossiers/{received.code}/forms/99.pdf")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_form"
    assert unknown.json()["details"]["known_forms"][0] == "01"

    not_applicable = client.get(f"/dossiers/{received.code}/forms/05.pdf")
    assert not_applicable.status_code == 409
    body = not_applicable.json()
    assert body["code"] == "form_not_applicable"
    assert body["details"]["status"] == "processing"
    assert "yêu cầu" in body["message"]


def test_api_needs_a_token(received: Dossier) -> None:
    response = Api().get(f"/dossiers/{received.code}/forms/01.pdf")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_api_documents_the_pdf_endpoint(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/dossiers/{code}/forms/{form}.pdf"]["get"]
    assert operation["operationId"] == "dossier_form_pdf"
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert "409" in operation["responses"]


def test_the_desk_prints_the_book_of_the_agency_it_receives_for(
    world: World, received: Dossier, text_of: Text
) -> None:
    response = book(browser(world.receiver), agency=world.home.ward.code, **{"from": "2026-03-09"})
    assert response.status_code == 200
    assert received.code and received.code in text_of(response.content)


def test_a_book_too_large_to_print_asks_for_a_shorter_period(
    world: World, received: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.printing import forms

    monkeypatch.setattr(forms, "TRACKING_BOOK_MAX_ROWS", 0)
    response = book(browser(world.leader), agency=world.home.ward.code, **{"from": "2026-03-01"})
    assert response.status_code == 422
    assert "tracking_book_too_large" in response.content.decode()


def test_the_system_check_warns_when_the_pdf_engine_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from motcua.printing.checks import pdf_engine_check

    assert pdf_engine_check() == []

    def missing() -> None:
        raise PdfEngineUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf_module, "_weasyprint", missing)
    (warning,) = pdf_engine_check()
    assert warning.id == "printing.W001"
    assert "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" in warning.msg
