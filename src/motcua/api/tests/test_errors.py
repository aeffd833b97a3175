"""Bad input gets a 4xx JSON error with a stable code and a Vietnamese message; never a 500,
never an HTML page. And the OpenAPI document describes every action's input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from .conftest import Api, walk_in
from .test_permissions import ACTION_BODIES

pytestmark = pytest.mark.usefixtures("demo")


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


def test_malformed_json_is_400(receiver: Api) -> None:
    assert_error(receiver.post("/dossiers", '{"mode": "receive",'), 400, "malformed_json")
    assert_error(receiver.post("/dossiers", b"\xff\xfe"), 400, "malformed_json")


def test_field_errors_say_where_in_vietnamese(receiver: Api) -> None:
    body = assert_error(
        receiver.post(
            "/dossiers",
            {"mode": "receive", "procedure_code": 12, "applicant": {}, "documents": ["a"]},
        ),
        422,
        "invalid_input",
    )
    errors = {e["field"]: e for e in body["details"]["errors"]}
    assert {"procedure_code", "applicant.name", "documents.0"} <= set(errors)
    assert errors["applicant.name"]["type"] == "missing"
    assert errors["applicant.name"]["message"] == "Trường này là bắt buộc."
    assert body["message"].startswith("Yêu cầu không hợp lệ")


@pytest.mark.parametrize(
    "body",
    [
        [],
        "a string",
        {"mode": "teleport", "procedure_code": "1.001193", "applicant": {"name": "A"}},
        walk_in(unexpected="field"),
        walk_in(applicant={"name": "A\x00B"}),
        walk_in(applicant={"name": "\ud800"}),
        walk_in(applicant={"name": "A" * 256}),
        walk_in(applicant={"name": "   "}),
        walk_in(applicant={"name": "A", "phone": "call me"}),
        walk_in(documents=[2**70]),
        walk_in(documents=list(range(1, 300))),
        walk_in(channel="fax"),
        walk_in(procedure_code="1.001193'; DROP TABLE x; --"),
        {**walk_in(), "mode": "submit", "channel": "counter"},
    ],
    ids=lambda body: json.dumps(body, ensure_ascii=True)[:40],
)
def test_wrong_types_and_shapes_are_422(receiver: Api, body: Any) -> None:
    raw = json.dumps(body, ensure_ascii=True) if not isinstance(body, str) else json.dumps(body)
    assert_error(receiver.post("/dossiers", raw), 422, "invalid_input")


GARBAGE = [
    {"reasons": None},
    {"to_position": "two", "reason": 3},
    {"amount": "NaN", "description": "x"},
    {"amount": "1e400", "description": "x"},
    {"new_due_at": "31/12/2026", "reason": "x"},
    {"new_due_at": "99999-01-01T00:00", "reason": "x"},
    {"result_date": "2026-02-30", "result_number": "1", "result_signer": "A"},
    {"items": "not a list", "reasons": "x"},
    {"agency_codes": [None], "question": "?", "reply_within_days": 0},
    {"channel": None},
    {"documents": [-1]},
    {"assignee": "\x00"},
    {"note": "x" * 10_001},
]


@pytest.mark.parametrize("name", sorted(ACTION_BODIES))
def test_garbage_to_any_action_is_a_4xx_json_error(
    received: dict[str, Any], specialist: Api, name: str
) -> None:
    for garbage in GARBAGE:
        response = specialist.post(f"/dossiers/{received['code']}/actions/{name}", garbage)
        assert 400 <= response.status_code < 500, (garbage, response.content)
        assert set(response.json()) == {"code", "message", "details"}


@pytest.mark.parametrize(
    "code", ["x" * 65, "a%00b", "99999999999999999999", "-leading-dash", "với dấu"]
)
def test_malformed_dossier_codes_are_4xx(specialist: Api, code: str) -> None:
    for response in (
        specialist.get(f"/dossiers/{code}"),
        specialist.post(f"/dossiers/{code}/actions/forward", {}),
    ):
        assert 400 <= response.status_code < 500, response.content
        assert response["Content-Type"].startswith("application/json")


def test_an_unknown_action_is_a_json_404_listing_the_actions(
    received: dict[str, Any], specialist: Api
) -> None:
    body = assert_error(
        specialist.post(f"/dossiers/{received['code']}/actions/teleport", {}),
        404,
        "unknown_action",
    )
    assert set(body["details"]["actions"]) == set(ACTION_BODIES)


def test_unknown_paths_and_wrong_methods_answer_json(specialist: Api) -> None:
    assert_error(specialist.get("/no/such/thing"), 404, "not_found")
    assert_error(Client().get("/api/v1/"), 404, "not_found")
    assert_error(Client().delete("/api/v1/dossiers"), 405, "method_not_allowed")
    wrong = assert_error(specialist.get("/dossiers/X-1/actions/forward"), 405, "method_not_allowed")
    assert wrong["details"]["allowed"] == ["POST"]


def test_an_oversized_body_is_413(receiver: Api, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = walk_in(note="x" * 2000)
    assert_error(receiver.post("/dossiers", big), 413, "payload_too_large")


def test_a_bug_is_a_logged_500_with_a_json_body(
    receiver: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from motcua.dossiers import services

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "dossier_receive", broken)
    response = receiver.post("/dossiers", walk_in())
    assert_error(response, 500, "internal_error")
    assert "boom" not in response.content.decode()
    assert "boom" in caplog.text


# --- the OpenAPI document ------------------------------------------------------------------


def test_the_openapi_document_lists_every_action_with_its_input() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "motcua API"
    schemas = doc["components"]["schemas"]
    for name in ACTION_BODIES:
        operation = doc["paths"][f"/api/v1/dossiers/{{code}}/actions/{name}"]["post"]
        assert operation["operationId"] == f"dossier_{name}"
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[ref.rsplit("/", 1)[-1]]
        assert set(ACTION_BODIES[name]) <= set(schema["properties"]), name
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}
        assert {"200", "404", "409", "422"} <= set(operation["responses"])
    reply = doc["paths"]["/api/v1/consultations/{consultation_id}/reply"]["post"]
    assert reply["operationId"] == "consultation_reply"
    create = doc["paths"]["/api/v1/dossiers"]["post"]
    assert "201" in create["responses"]
    assert {"TokenAuth", "SessionAuth"} <= set(doc["components"]["securitySchemes"])


def test_the_docs_page_is_served() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
