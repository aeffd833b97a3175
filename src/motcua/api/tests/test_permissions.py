"""Permission personas on every dossier endpoint: an officer of another agency can neither
read nor act on this agency's dossiers, and cannot even learn that they exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import Api

pytestmark = pytest.mark.usefixtures("demo")

# A well-formed body for every action, so that only the permission can refuse it.
ACTION_BODIES: dict[str, dict[str, Any]] = {
    "receive": {},
    "request_supplement_at_reception": {"reasons": "Thiếu giấy tờ"},
    "refuse_reception": {"reasons": "Không thuộc thẩm quyền"},
    "forward": {},
    "send_back": {"to_position": 1, "reason": "Xem lại"},
    "assign": {"assignee": "chuyenvien.stp"},
    "transfer": {"agency_code": "H99.03.02"},
    "request_supplement": {"items": ["Tờ khai"], "reasons": "Thiếu chữ ký"},
    "supplement": {},
    "consult": {"agency_codes": ["H99.03"], "question": "Ý kiến?", "reply_within_days": 1},
    "request_payment": {"amount": 1000, "description": "Lệ phí"},
    "confirm_payment": {"reference": "BL-1"},
    "apologise_and_extend": {"reason": "Chậm", "new_due_at": "2031-01-02T08:00:00+07:00"},
    "reject": {"reasons": "Không đủ điều kiện"},
    "withdraw": {},
    "resolve": {"result_number": "1/KS", "result_signer": "A", "result_date": "2026-11-20"},
    "return_result": {"channel": "online"},
}


def test_every_action_of_the_openapi_document_is_covered_here() -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    prefix = "/api/v1/dossiers/{code}/actions/"
    actions = {path.removeprefix(prefix) for path in doc["paths"] if path.startswith(prefix)}
    assert actions == set(ACTION_BODIES)


@pytest.mark.parametrize("name", sorted(ACTION_BODIES))
def test_an_officer_of_another_agency_gets_404_for_every_action(
    received: dict[str, Any], outsider: Api, name: str
) -> None:
    code = received["code"]
    before = DossierEvent.objects.filter(dossier__code=code).count()
    response = outsider.post(f"/dossiers/{code}/actions/{name}", ACTION_BODIES[name])
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "dossier_not_found"
    # Exactly what an unknown code answers: the refusal says nothing of the dossier.
    unknown = outsider.post(f"/dossiers/H99.50.01-000101-9999/actions/{name}", ACTION_BODIES[name])
    assert unknown.json() == response.json()
    assert DossierEvent.objects.filter(dossier__code=code).count() == before
    assert Dossier.objects.get(code=code).status == received["status"]["value"]


def test_a_receiver_of_another_commune_sees_nothing_in_processing_here(
    received: dict[str, Any], other_receiver: Api
) -> None:
    code = received["code"]
    assert other_receiver.get("/dossiers").json()["items"] == []
    assert other_receiver.get(f"/dossiers/{code}").status_code == 404
    forward = other_receiver.post(f"/dossiers/{code}/actions/forward", {})
    assert forward.status_code == 404


def test_an_officer_of_another_agency_reads_nothing(
    received: dict[str, Any], outsider: Api
) -> None:
    code = received["code"]
    assert outsider.get("/dossiers").json() == {"items": [], "next_cursor": None}
    assert outsider.get("/dossiers", {"agency": "H99.50.01"}).json()["items"] == []
    for path in (f"/dossiers/{code}", f"/dossiers/{code}/events"):
        response = outsider.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "dossier_not_found"


def test_an_officer_of_another_agency_cannot_reply_to_a_consultation(
    received: dict[str, Any], specialist: Api, outsider: Api
) -> None:
    asked = specialist.post(
        f"/dossiers/{received['code']}/actions/consult",
        {"agency_codes": ["H99.40.50.01"], "question": "Xác nhận?", "reply_within_days": 2},
    )
    consultation_id = asked.json()["consultations"][0]["id"]
    response = outsider.post(f"/consultations/{consultation_id}/reply", {"reply": "Đồng ý"})
    assert response.status_code == 404
    assert response.json() == outsider.post("/consultations/987654/reply", {"reply": "x"}).json()


@pytest.mark.parametrize("name", sorted(ACTION_BODIES))
def test_a_monitor_reads_but_acts_on_nothing(
    received: dict[str, Any], monitor: Api, name: str
) -> None:
    code = received["code"]
    assert monitor.get(f"/dossiers/{code}").status_code == 200
    response = monitor.post(f"/dossiers/{code}/actions/{name}", ACTION_BODIES[name])
    # Visible, so the refusal may say why: not theirs (403) or not now (409).
    assert response.status_code in {403, 409}, response.content
    assert response.json()["code"] in {"not_allowed", "illegal_transition"}


def test_the_catalogue_and_calendar_are_the_same_for_every_officer(outsider: Api) -> None:
    assert outsider.get("/agencies/H99.50.01").status_code == 200
    assert outsider.get("/procedures/1.001193").status_code == 200
    due = outsider.get(
        "/calendar/due",
        {"received_at": "2026-03-02T08:00:00+07:00", "amount": 1, "unit": "working_day"},
    )
    assert due.status_code == 200
