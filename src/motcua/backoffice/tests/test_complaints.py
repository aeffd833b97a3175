"""Complaints and recommendations in the back office: the inbox (time-left colours, bounded
queries), a complaint's page with the actions the officer may take, each action posted
through its service, clear errors, attachments, and an officer of another agency getting
404 everywhere."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.dossiers.tests.factories import World
from motcua.feedback import services
from motcua.feedback.models import Complaint, ComplaintAction, ComplaintState

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _actions(html: str) -> set[str]:
    return set(re.findall(r'<details[^>]* id="act-([a-z_]+)"', html))


def complaint(world: World, *, now: dt.datetime | None = None, **extra: object) -> Complaint:
    return services.complaint_submit(
        actor=world.applicant,
        about="other",
        subject=str(extra.pop("subject", "Bãi đỗ xe trước trụ sở")),
        content="Đề nghị bố trí thêm chỗ để xe.",
        agency_code=world.home.ward.code,
        now=now,
        **extra,  # type: ignore[arg-type]
    )


def url(c: Complaint, action: str = "") -> str:
    return f"/office/complaints/{c.tracking_code}/" + (f"{action}/" if action else "")


def test_the_inbox_colours_rows_by_time_left_in_bounded_queries(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    late = complaint(world, subject="Quá hạn", now=timezone.now() - dt.timedelta(days=40))
    fresh = complaint(world, subject="Mới nhận")
    for n in range(5):
        complaint(world, subject=f"Thêm {n}")
    complaint_elsewhere = services.complaint_submit(
        actor=world.applicant,
        about="other",
        subject="Ở tỉnh khác",
        content="C",
        agency_code=world.away.ward.code,
    )
    client.force_login(world.leader)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        html = client.get("/office/complaints/").content.decode()
    rows = {
        code: colour
        for colour, code in re.findall(
            r'<tr class="([a-z]*)">\s*<td><a href="/office/complaints/([^/]+)/"', html
        )
    }
    assert rows[late.tracking_code] == "overdue"
    assert rows[fresh.tracking_code] in ("today", "soon")  # refusal due within 2 working days
    assert complaint_elsewhere.tracking_code not in html
    assert '<span class="tag overdue">' in html


def test_the_leader_answers_and_publishes_through_the_page(client: Client, world: World) -> None:
    c = complaint(world)
    client.force_login(world.leader)
    html = client.get(url(c)).content.decode()
    assert {"assign", "refuse", "request_information", "answer"} <= _actions(html)
    assert "publish" not in _actions(html)  # nothing to publish before the answer
    response = client.post(url(c, "answer"), {"answer-answer": "Đã bố trí thêm 20 chỗ."})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.state == ComplaintState.ANSWERED and c.answer == "Đã bố trí thêm 20 chỗ."
    assert c.events.last().actor == world.leader  # type: ignore[union-attr]
    html = client.get(url(c)).content.decode()
    assert _actions(html) == {"publish", "keep_private"}
    client.post(url(c, "publish"), {})
    c.refresh_from_db()
    assert c.state == ComplaintState.PUBLISHED and c.published_at is not None
    assert c.events.last().action == ComplaintAction.PUBLISH  # type: ignore[union-attr]


def test_an_empty_answer_is_refused_with_a_message_and_changes_nothing(
    client: Client, world: World
) -> None:
    c = complaint(world)
    client.force_login(world.leader)
    response = client.post(url(c, "answer"), {"answer-answer": "  "})
    assert response.status_code == 400
    assert "Vui lòng sửa các trường được đánh dấu" in response.content.decode()
    assert "Vui lòng nhập nội dung trả lời" in response.content.decode()
    c.refresh_from_db()
    assert c.state == ComplaintState.RECEIVED and c.events.count() == 1


def test_an_illegal_step_is_explained(client: Client, world: World) -> None:
    c = complaint(world)
    client.force_login(world.leader)
    response = client.post(url(c, "publish"), {})
    assert response.status_code == 409
    assert "Không được thực hiện thao tác" in response.content.decode()
    c.refresh_from_db()
    assert c.state == ComplaintState.RECEIVED


def test_asking_for_information_and_refusing_through_the_page(client: Client, world: World) -> None:
    c = complaint(world)
    client.force_login(world.leader)
    client.post(url(c, "request_information"), {"request_information-question": "Ở đâu?"})
    c.refresh_from_db()
    assert c.state == ComplaintState.AWAITING_INFORMATION and c.paused_since is not None
    assert "tạm dừng tính thời gian" in client.get("/office/complaints/").content.decode()
    client.post(url(c, "refuse"), {"refuse-reason": "Không cung cấp thông tin."})
    c.refresh_from_db()
    assert c.state == ComplaintState.REFUSED and c.refusal_reason == "Không cung cấp thông tin."
    assert c.events.last().action == ComplaintAction.REFUSE  # type: ignore[union-attr]


def test_assigning_to_an_officer_of_the_agency(client: Client, world: World) -> None:
    c = complaint(world)
    client.force_login(world.leader)
    html = client.get(url(c)).content.decode()
    assert f'<option value="{world.leader.pk}">' in html
    client.post(url(c, "assign"), {"assign-assignee": str(world.leader.pk), "assign-note": ""})
    c.refresh_from_db()
    assert c.assignee == world.leader and c.state == ComplaintState.PROCESSING
    response = client.post(url(c, "assign"), {"assign-assignee": str(world.away_leader.pk)})
    assert response.status_code == 422
    assert world.home.ward.name in response.content.decode()  # "does not work at ..."


def test_a_monitor_reads_and_acts_on_nothing(client: Client, world: World) -> None:
    c = complaint(world)
    client.force_login(world.monitor)
    html = client.get(url(c)).content.decode()
    assert "Bãi đỗ xe trước trụ sở" in html and _actions(html) == set()
    assert client.post(url(c, "answer"), {"answer-answer": "X"}).status_code == 403
    c.refresh_from_db()
    assert c.state == ComplaintState.RECEIVED


def test_an_officer_of_another_agency_gets_404_everywhere(client: Client, world: World) -> None:
    c = complaint(world, attachments=[SimpleUploadedFile("a.pdf", PDF, "application/pdf")])
    attachment = c.attachments.get()
    client.force_login(world.away_leader)
    assert client.get(url(c)).status_code == 404
    assert client.post(url(c, "answer"), {"answer-answer": "X"}).status_code == 404
    assert client.get(url(c) + f"files/{attachment.pk}/").status_code == 404
    assert c.tracking_code not in client.get("/office/complaints/").content.decode()
    c.refresh_from_db()
    assert c.state == ComplaintState.RECEIVED


def test_the_handling_officer_downloads_an_attachment(client: Client, world: World) -> None:
    c = complaint(world, attachments=[SimpleUploadedFile("anh.pdf", PDF, "application/pdf")])
    client.force_login(world.leader)
    response = client.get(url(c) + f"files/{c.attachments.get().pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "anh.pdf" in response["Content-Disposition"]
    assert client.get(url(c, "explode")).status_code == 405  # actions are POST only
    assert client.post(url(c, "explode"), {}).status_code == 404


def test_sign_in_is_required(client: Client, world: World) -> None:
    c = complaint(world)
    response = client.get(url(c))
    assert response.status_code == 302 and "/office/login/" in response["Location"]
