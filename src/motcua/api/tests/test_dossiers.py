"""Dossiers through the API: intake, the journey through the process by the right
officers, every action, reading, filtering and paging."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from motcua.domain.deadlines import VN_TZ
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.procedures.models import Procedure

from .conftest import BIRTH, WARD, Api, api_as, walk_in

pytestmark = pytest.mark.usefixtures("demo")


def action(api: Api, code: str, name: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(f"/dossiers/{code}/actions/{name}", body or {})


def test_walk_in_is_received_and_driven_to_its_return_by_the_right_officers(
    receiver: Api, specialist: Api, leader: Api
) -> None:
    created = receiver.post("/dossiers", walk_in())
    assert created.status_code == 201, created.content
    dossier = created.json()
    code = dossier["code"]
    assert code.startswith(f"{WARD}-")
    assert created["Location"] == f"/api/v1/dossiers/{code}"
    assert dossier["status"]["value"] == "processing"
    assert dossier["receiving_unit"]["code"] == "H99.50.01.01"
    assert dossier["current_step"]["role"] == "specialist"
    received_at = dt.datetime.fromisoformat(dossier["received_at"])
    due_at = dt.datetime.fromisoformat(dossier["due_at"])
    assert received_at.utcoffset() == due_at.utcoffset() == dt.timedelta(hours=7)
    assert due_at > received_at

    # The receiver cannot take the specialist's step; the specialist can.
    assert action(receiver, code, "forward").status_code == 403
    forwarded = action(specialist, code, "forward", {"note": "Đủ điều kiện"})
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["current_step"]["role"] == "leader"

    resolved = action(
        leader,
        code,
        "resolve",
        {
            "result_number": "125/2026/KS",
            "result_signer": "Nguyễn Văn Hùng",
            "result_date": timezone.localdate().isoformat(),
            "electronic": True,
            "summary": "Giấy khai sinh",
        },
    )
    assert resolved.status_code == 200, resolved.content
    body = resolved.json()
    assert body["status"]["value"] == "resolved"
    assert body["result"]["number"] == "125/2026/KS"
    assert body["timeliness"]["value"] in {"early", "on_time"}
    assert "return_result" in receiver.get(f"/dossiers/{code}").json()["allowed_actions"]

    returned = action(
        receiver, code, "return_result", {"channel": "counter", "collected_by": "Nguyễn Văn An"}
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"]["value"] == "returned"
    assert returned.json()["returned_at"] is not None

    events = receiver.get(f"/dossiers/{code}/events")
    assert events.status_code == 200
    assert [e["action"]["value"] for e in events.json()] == [
        "receive",
        "forward",
        "resolve",
        "return_result",
    ]
    assert [e["actor"]["username"] for e in events.json()] == [
        "tiepnhan.hongchau",
        "tuphap.hongchau",
        "lanhdao.hongchau",
        "tiepnhan.hongchau",
    ]
    stored = Dossier.objects.get(code=code)
    assert stored.status == Status.RETURNED
    assert stored.collected_by == "Nguyễn Văn An"


def test_online_submission_awaits_reception_then_is_received_by_its_number(
    receiver: Api,
) -> None:
    citizen = User.objects.create_user("congdan.an")
    portal = api_as(citizen.username)
    submitted = portal.post(
        "/dossiers",
        {"mode": "submit", "procedure_code": BIRTH, "applicant": {"name": "Trần Thị Bình"}},
    )
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    assert body["code"] is None
    assert body["status"]["value"] == "awaiting_reception"
    assert body["channel"]["value"] == "online"
    assert body["requested_return_channel"]["value"] == "online"
    assert body["due_at"] is None
    reference = body["reference"]
    # The applicant sees their own dossier; the receiver finds it by its number.
    assert portal.get(f"/dossiers/{reference}").status_code == 200
    assert "receive" in receiver.get(f"/dossiers/{reference}").json()["allowed_actions"]

    documents = list(
        Procedure.objects.get(code=BIRTH)
        .versions.get()
        .documents.order_by("position")
        .values_list("pk", flat=True)[:2]
    )
    received = action(receiver, reference, "receive", {"documents": documents, "note": "Đủ"})
    assert received.status_code == 200, received.content
    assert received.json()["code"].startswith(f"{WARD}-")
    assert received.json()["documents"] == documents
    assert received.json()["status"]["value"] == "processing"


def test_a_submission_can_be_refused_or_sent_back_for_a_supplement_at_reception(
    receiver: Api,
) -> None:
    citizen = User.objects.create_user("congdan.binh")
    portal = api_as(citizen.username)
    first, second = (
        portal.post(
            "/dossiers",
            {"mode": "submit", "procedure_code": BIRTH, "applicant": {"name": "Lê Văn Cường"}},
        ).json()["reference"]
        for _ in range(2)
    )
    incomplete = action(
        receiver,
        first,
        "request_supplement_at_reception",
        {"reasons": "Thiếu giấy chứng sinh", "items": ["Giấy chứng sinh"]},
    )
    assert incomplete.status_code == 200, incomplete.content
    assert incomplete.json()["status"]["value"] == "reception_supplement_requested"
    refused = action(receiver, second, "refuse_reception", {"reasons": "Không thuộc thẩm quyền"})
    assert refused.status_code == 200, refused.content
    assert refused.json()["status"]["value"] == "reception_refused"
    # Both end the submission: nothing more is allowed.
    again = action(receiver, second, "receive")
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"
    assert again.json()["details"]["allowed_actions"] == []


def test_supplement_during_processing_stops_and_restarts_the_clock(
    received: dict[str, Any], specialist: Api, receiver: Api
) -> None:
    code = received["code"]
    asked = action(
        specialist,
        code,
        "request_supplement",
        {"items": ["Giấy chứng sinh bản chính"], "reasons": "Bản sao không rõ"},
    )
    assert asked.status_code == 200, asked.content
    assert asked.json()["status"]["value"] == "awaiting_supplement"
    assert asked.json()["paused"] is True
    assert asked.json()["supplement_count"] == 1
    brought = action(receiver, code, "supplement", {"note": "Đã nộp bản chính"})
    assert brought.status_code == 200, brought.content
    assert brought.json()["status"]["value"] == "processing"
    assert brought.json()["paused"] is False
    # A second request needs its own reason.
    second = action(specialist, code, "request_supplement", {"items": ["Tờ khai"], "reasons": "x"})
    assert second.status_code == 422
    assert second.json()["details"]["field"] == "second_reason"


def test_consultation_is_asked_and_answered_by_the_consulted_agency(
    received: dict[str, Any], specialist: Api
) -> None:
    code = received["code"]
    asked = action(
        specialist,
        code,
        "consult",
        {
            "agency_codes": ["H99.40.50.01"],
            "question": "Xác nhận nơi cư trú của người mẹ",
            "reply_within_days": "2",
        },
    )
    assert asked.status_code == 200, asked.content
    assert asked.json()["status"]["value"] == "consulting"
    [consultation] = asked.json()["consultations"]
    assert consultation["agency"]["code"] == "H99.40.50.01"
    assert consultation["replied_at"] is None

    police = api_as("chuyenvien.cahongchau")
    seen = police.get(f"/dossiers/{code}")
    assert seen.status_code == 200
    assert "reply_consultation" in seen.json()["allowed_actions"]
    replied = police.post(
        f"/consultations/{consultation['id']}/reply", {"reply": "Đúng nơi cư trú", "agreed": True}
    )
    assert replied.status_code == 200, replied.content
    assert replied.json()["status"]["value"] == "processing"
    assert replied.json()["consultations"][0]["agreed"] is True
    assert police.post(f"/consultations/{consultation['id']}/reply", {"reply": "lại"}).json()[
        "code"
    ] in {"illegal_transition", "invalid_input"}


def test_payment_is_requested_and_confirmed(
    received: dict[str, Any], specialist: Api, receiver: Api
) -> None:
    code = received["code"]
    asked = action(
        specialist, code, "request_payment", {"amount": "50000", "description": "Lệ phí"}
    )
    assert asked.status_code == 200, asked.content
    assert asked.json()["status"]["value"] == "awaiting_payment"
    paid = action(receiver, code, "confirm_payment", {"reference": "BL-0001"})
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"]["value"] == "processing"
    event = DossierEvent.objects.filter(dossier__code=code, action="request_payment").get()
    assert event.payload["amount"] == "50000"


def test_the_head_of_the_agency_apologises_and_sets_a_new_appointment(
    received: dict[str, Any], specialist: Api, leader: Api
) -> None:
    code = received["code"]
    new_due = dt.datetime.fromisoformat(received["due_at"]) + dt.timedelta(days=3)
    body = {"reason": "Cần xác minh thêm", "new_due_at": new_due.isoformat()}
    # Form 04 is signed by the agency head, not by the specialist.
    assert action(specialist, code, "apologise_and_extend", body).status_code == 403
    extended = action(leader, code, "apologise_and_extend", body)
    assert extended.status_code == 200, extended.content
    assert dt.datetime.fromisoformat(extended.json()["extended_due_at"]) == new_due
    assert extended.json()["due_at"] == received["due_at"]  # the legal due moment is kept


def test_send_back_assign_and_transfer(
    received: dict[str, Any], specialist: Api, leader: Api
) -> None:
    code = received["code"]
    assert action(specialist, code, "forward").status_code == 200
    back = action(leader, code, "send_back", {"to_position": 2, "reason": "Ghi sai ngày sinh"})
    assert back.status_code == 200, back.content
    assert back.json()["current_step"]["position"] == 2

    assigned = action(leader, code, "assign", {"assignee": "tuphap.hongchau"})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["assignee"]["username"] == "tuphap.hongchau"
    nobody = action(leader, code, "assign", {"assignee": "no.such.user"})
    assert nobody.status_code == 422

    moved = action(specialist, code, "transfer", {"agency_code": "H99.50.02.02"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["current_agency"]["code"] == "H99.50.02.02"
    unknown = action(leader, code, "transfer", {"agency_code": "H99.99"})
    assert unknown.status_code in {403, 422}


def test_reject_on_the_merits_then_the_letter_is_returned(
    received: dict[str, Any], specialist: Api, receiver: Api
) -> None:
    code = received["code"]
    rejected = action(specialist, code, "reject", {"reasons": "Không đủ điều kiện"})
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"]["value"] == "rejected"
    assert rejected.json()["finished_at"] is not None
    returned = action(receiver, code, "return_result", {"channel": "postal"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["return_channel"]["value"] == "postal"


def test_withdrawal_at_the_applicants_request(received: dict[str, Any], receiver: Api) -> None:
    code = received["code"]
    withdrawn = action(receiver, code, "withdraw", {"reason": "Người dân rút hồ sơ"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"]["value"] == "withdrawn"
    assert withdrawn.json()["allowed_actions"] == []


def test_an_illegal_action_names_the_status_and_the_allowed_actions(
    received: dict[str, Any], receiver: Api
) -> None:
    response = action(receiver, received["code"], "return_result", {"channel": "online"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["details"]["status"] == "processing"
    assert "forward" in body["details"]["allowed_actions"]
    assert body["message"]
    assert Dossier.objects.get(code=received["code"]).status == Status.PROCESSING


def test_the_dossier_shows_the_applicant_and_what_the_reader_may_do(
    received: dict[str, Any], specialist: Api, monitor: Api
) -> None:
    mine = specialist.get(f"/dossiers/{received['code']}").json()
    assert mine["applicant"]["phone"] == "0912345678"
    assert {"forward", "reject", "resolve", "request_supplement"} <= set(mine["allowed_actions"])
    watched = monitor.get(f"/dossiers/{received['code']}")
    assert watched.status_code == 200
    assert watched.json()["allowed_actions"] == []
    read_only = api_as("tuphap.hongchau", "read").get(f"/dossiers/{received['code']}")
    assert read_only.json()["allowed_actions"] == []


# --- lists ---------------------------------------------------------------------------------


def receive_many(count: int, **service_kwargs: Any) -> list[Dossier]:
    receiver = User.objects.get(username="tiepnhan.hongchau")
    return [
        services.dossier_receive(
            actor=receiver,
            procedure_code=BIRTH,
            applicant=services.Applicant(name=f"Người nộp {i}", phone=f"09000000{i:02d}"),
            **service_kwargs,
        )
        for i in range(count)
    ]


def test_list_pages_by_due_moment_with_an_opaque_cursor(leader: Api) -> None:
    receive_many(5)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        response = leader.get("/dossiers", params)
        assert response.status_code == 200, response.content
        page = response.json()
        seen += [item["code"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    dues = [Dossier.objects.get(code=c).due_at for c in seen]
    assert dues == sorted(dues)


def test_list_filters(leader: Api) -> None:
    past = timezone.now() - dt.timedelta(days=20)
    late = receive_many(1, now=past)[0]
    fresh = receive_many(1)[0]

    def codes(**params: Any) -> set[str]:
        response = leader.get("/dossiers", params)
        assert response.status_code == 200, response.content
        return {item["code"] for item in response.json()["items"]}

    assert codes(overdue="true") == {late.code}
    assert codes() == {late.code, fresh.code}
    assert codes(status="processing") == {late.code, fresh.code}
    assert codes(status="returned") == set()
    assert codes(procedure=BIRTH, agency=WARD, channel="counter") == {late.code, fresh.code}
    assert codes(procedure="1.000894") == set()
    assert fresh.due_at is not None
    assert codes(due_after=fresh.due_at.isoformat()) == {fresh.code}
    assert codes(due_before=fresh.due_at.astimezone(VN_TZ).isoformat()) == {late.code}
    assert leader.get("/dossiers", {"status": "nonsense"}).status_code == 422
    for cursor in ("not-a-cursor", "WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzE0OjAwIiwxXQ", "W251bGwsMF0"):
        response = leader.get("/dossiers", {"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("rows", [2, 12])
def test_list_query_count_does_not_grow_with_rows(
    leader: Api, rows: int, django_assert_max_num_queries: Any
) -> None:
    dossiers = receive_many(rows)
    leader.get("/dossiers")  # warm the token's last_used_at
    services.dossier_assign(
        actor=User.objects.get(username="lanhdao.hongchau"),
        code=dossiers[0].code or "",
        assignee_id=User.objects.get(username="tuphap.hongchau").pk,
    )
    with django_assert_max_num_queries(6):
        response = leader.get("/dossiers", {"limit": 50})
    assert len(response.json()["items"]) == rows


def test_events_query_count_does_not_grow_with_events(
    received: dict[str, Any], specialist: Api, leader: Api, django_assert_max_num_queries: Any
) -> None:
    code = received["code"]
    action(specialist, code, "forward")
    action(leader, code, "send_back", {"to_position": 2, "reason": "Sửa lại"})
    action(specialist, code, "forward")
    leader.get(f"/dossiers/{code}/events")
    with django_assert_max_num_queries(6):
        response = leader.get(f"/dossiers/{code}/events")
    assert len(response.json()) == 4


def test_submissions_awaiting_reception_come_last_and_are_paged_too(receiver: Api) -> None:
    receive_many(2)
    portal = api_as(User.objects.create_user("congdan.cuong").username)
    references = [
        portal.post(
            "/dossiers",
            {"mode": "submit", "procedure_code": BIRTH, "applicant": {"name": f"Người {i}"}},
        ).json()["reference"]
        for i in range(3)
    ]
    seen: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = receiver.get("/dossiers", params).json()
        seen += page["items"]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert [item["reference"] for item in seen[-3:]] == references
    assert all(item["due_at"] is not None for item in seen[:-3])
    assert len({item["reference"] for item in seen}) == len(seen) == 5


def test_silence_past_the_deadline_is_recorded_as_agreement(specialist: Api) -> None:
    past = timezone.now() - dt.timedelta(days=14)
    [dossier] = receive_many(1, now=past)
    services.dossier_consult(
        actor=User.objects.get(username="tuphap.hongchau"),
        code=dossier.code or "",
        agency_codes=["H99.40.50.01"],
        question="Xác nhận nơi cư trú?",
        reply_within_days=Decimal(1),
        now=past + dt.timedelta(days=1),
    )
    consultation = dossier.consultations.get()
    # The specialist cannot answer for the police, only record their silence.
    not_theirs = specialist.post(f"/consultations/{consultation.pk}/reply", {"reply": "Có"})
    assert not_theirs.status_code == 403
    deemed = specialist.post(f"/consultations/{consultation.pk}/reply", {"deemed": True})
    assert deemed.status_code == 200, deemed.content
    assert deemed.json()["status"]["value"] == "processing"
    assert deemed.json()["consultations"][0]["deemed_agreed"] is True
