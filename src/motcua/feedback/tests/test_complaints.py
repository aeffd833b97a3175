"""Complaints and recommendations: submission, deadlines in working days of the handling
agency, every handling step and its timeliness, illegal steps, who sees and handles what,
the public list, attachments."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.calendars.models import CalendarOverride
from motcua.db import all_or_nothing
from motcua.domain.calendar import DayKind
from motcua.domain.lifecycle import Status
from motcua.dossiers.models import Timeliness
from motcua.dossiers.tests.factories import MONDAY, World, at, drive
from motcua.feedback import services
from motcua.feedback.exceptions import (
    ComplaintNotAllowed,
    ComplaintNotFound,
    IllegalComplaintAction,
    InvalidAttachment,
    InvalidFeedback,
)
from motcua.feedback.models import (
    Complaint,
    ComplaintAbout,
    ComplaintAction,
    ComplaintAttachment,
    ComplaintState,
)
from motcua.feedback.selectors import (
    ComplaintFilter,
    complaint_events_for,
    complaint_get_for,
    complaint_list_for,
    complaint_list_published,
    complaint_public_status,
    complaint_timeliness_by_agency,
    complaint_visible_to,
)
from motcua.integrations.models import OutboxMessage
from motcua.integrations.orphan_files import orphan_files_purge

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def other_complaint(world: World, *, now: dt.datetime = MONDAY, **extra) -> Complaint:
    """A complaint by an account about something general, addressed to the ward."""
    return services.complaint_submit(
        actor=world.applicant,
        about=ComplaintAbout.OTHER,
        subject="Bãi đỗ xe trước trụ sở",
        content="Đề nghị bố trí thêm chỗ để xe cho người dân đến làm thủ tục.",
        agency_code=world.home.ward.code,
        now=now,
        **extra,
    )


# --- submission and deadlines ---------------------------------------------------------------------


def test_a_complaint_about_a_dossier_goes_to_its_handling_agency(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    complaint = services.complaint_submit(
        actor=world.applicant,
        about=ComplaintAbout.DOSSIER,
        dossier_code=dossier.code,
        subject="Hồ sơ chậm",
        content="Hồ sơ của tôi chưa được xử lý.",
        now=MONDAY,
    )
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED
    assert complaint.agency == world.home.ward
    assert complaint.dossier == dossier and complaint.procedure == dossier.procedure
    assert complaint.tracking_code.startswith("PAKN-260309-")
    # Monday 09:00, no holiday for three weeks: 2 working days = Wednesday 09:00, 5 = the
    # next Monday, 15 = three weeks later.
    assert complaint.refuse_due_at == at(11, 9)
    assert complaint.information_due_at == at(16, 9)
    assert complaint.answer_due_at == at(30, 9)
    event = complaint.events.get()
    assert (event.action, event.from_state, event.to_state) == (
        ComplaintAction.SUBMIT,
        "",
        ComplaintState.RECEIVED,
    )
    message = OutboxMessage.objects.get(topic="complaint.submit")
    assert message.payload["complaint"] == complaint.tracking_code


def test_deadlines_skip_the_weekend_and_the_holidays(world: World) -> None:
    # Friday 24/04/2026 10:00; Monday 27/04 (Giỗ Tổ, observed), 30/04 and 01/05 are off.
    complaint = other_complaint(world, now=at(24, 10, month=4))
    assert complaint.refuse_due_at == at(29, 10, month=4)  # Tue 28, Wed 29
    assert complaint.information_due_at == at(6, 10, month=5)  # Tue, Wed, Mon 4, Tue 5, Wed 6


def test_deadlines_use_the_handling_agencys_calendar(world: World) -> None:
    CalendarOverride.objects.create(
        day=dt.date(2026, 3, 13), kind=DayKind.DAY_OFF, agency=world.home.ward, reason="Nghỉ bù"
    )
    complaint = other_complaint(world, now=at(12, 10))  # Thursday
    assert complaint.refuse_due_at == at(17, 10)  # Friday 13 off: Monday 16, Tuesday 17


def test_a_submitter_without_an_account_leaves_a_name_and_a_contact(world: World) -> None:
    common = {
        "actor": AnonymousUser(),
        "about": ComplaintAbout.OTHER,
        "subject": "Góp ý",
        "content": "Nội dung góp ý",
        "agency_code": world.home.ward.code,
        "now": MONDAY,
    }
    with pytest.raises(InvalidFeedback) as error:
        services.complaint_submit(submitter=services.Submitter(name="Trần Thị Bình"), **common)
    assert error.value.details["field"] == "submitter_phone"
    assert "số điện thoại" in error.value.message
    with pytest.raises(InvalidFeedback) as error:
        services.complaint_submit(
            submitter=services.Submitter(name="Trần Thị Bình", email="not-an-email"), **common
        )
    assert error.value.details["field"] == "submitter_email"
    complaint = services.complaint_submit(
        submitter=services.Submitter(name="Trần Thị Bình", phone="0987 654 321"), **common
    )
    assert complaint.submitter_user is None and complaint.submitter_phone == "0987654321"
    assert complaint_public_status(tracking_code=complaint.tracking_code, token="x") is None
    assert (
        complaint_public_status(tracking_code=complaint.tracking_code, token=complaint.access_token)
        == complaint
    )


def test_a_strangers_dossier_needs_the_second_factor(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    common = {
        "actor": world.other_applicant,
        "about": ComplaintAbout.DOSSIER,
        "dossier_code": dossier.code,
        "subject": "Hồ sơ của mẹ tôi",
        "content": "Xin kiểm tra.",
        "now": MONDAY,
    }
    with pytest.raises(InvalidFeedback) as error:
        services.complaint_submit(**common)
    assert error.value.details["field"] == "dossier_code"
    complaint = services.complaint_submit(dossier_factor=dossier.applicant_phone[-4:], **common)
    assert complaint.dossier == dossier


@pytest.mark.parametrize(
    ("about", "extra", "field"),
    [
        ("nonsense", {"agency_code": "H98.50.01"}, "about"),
        (ComplaintAbout.OTHER, {"agency_code": "X00"}, "agency_code"),
        (ComplaintAbout.OFFICER, {"agency_code": "H98.50.01"}, "officer_name"),
        (ComplaintAbout.PROCEDURE, {"procedure_code": "0.000000"}, "procedure_code"),
    ],
)
def test_what_is_missing_is_named(world: World, about: str, extra: dict, field: str) -> None:
    with pytest.raises(InvalidFeedback) as error:
        services.complaint_submit(
            actor=world.applicant,
            about=about,
            subject="Góp ý",
            content="Nội dung",
            now=MONDAY,
            **extra,
        )
    assert error.value.details["field"] == field
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_procedure_goes_to_its_competent_agency(world: World) -> None:
    complaint = services.complaint_submit(
        actor=world.applicant,
        about=ComplaintAbout.PROCEDURE,
        procedure_code=world.procedure_code,
        subject="Thành phần hồ sơ",
        content="Đề nghị bỏ bản sao giấy chứng sinh.",
        now=MONDAY,
    )
    assert complaint.agency == world.home.ward


# --- handling ---------------------------------------------------------------------------


def test_the_whole_handling_with_a_pause_for_information(world: World) -> None:
    complaint = other_complaint(world)
    code = complaint.tracking_code

    complaint = services.complaint_assign(
        actor=world.leader,
        tracking_code=code,
        agency_code=world.home.office.code,
        assignee_id=world.specialist.pk,
        now=at(9, 10),
    )
    assert complaint.state == ComplaintState.PROCESSING
    assert complaint.agency == world.home.office and complaint.assignee == world.specialist
    assert complaint.answer_due_at == at(30, 9)  # from receipt, same calendar

    complaint = services.complaint_request_information(
        actor=world.specialist,
        tracking_code=code,
        question="Xin ảnh chụp hiện trạng",
        now=at(10, 9),
    )
    assert complaint.state == ComplaintState.AWAITING_INFORMATION
    assert complaint.information_timeliness == Timeliness.EARLY  # due Monday 16
    assert complaint.paused_since == at(10, 9)

    complaint = services.complaint_provide_information(
        actor=world.applicant,
        tracking_code=code,
        information="Ảnh chụp kèm theo",
        attachments=[SimpleUploadedFile("anh.png", PNG, content_type="image/png")],
        now=at(12, 9),
    )
    assert complaint.state == ComplaintState.PROCESSING
    assert complaint.paused_since is None
    # Waited Tuesday 09:00 to Thursday 09:00: two working days more to answer.
    assert complaint.answer_due_at == at(1, 9, month=4)

    complaint = services.complaint_answer(
        actor=world.specialist, tracking_code=code, answer="Đã bố trí thêm 20 chỗ.", now=at(31, 10)
    )
    assert complaint.state == ComplaintState.ANSWERED
    # Late against the original 30 March, in time once the wait is counted.
    assert complaint.handling_timeliness == Timeliness.EARLY
    assert complaint.publish_due_at == at(2, 10, month=4)

    complaint = services.complaint_publish(
        actor=world.specialist, tracking_code=code, now=at(3, 9, month=4)
    )
    assert complaint.state == ComplaintState.PUBLISHED
    assert complaint.publish_timeliness == Timeliness.LATE

    events = complaint_events_for(world.leader, tracking_code=code)
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        (ComplaintAction.SUBMIT, "", ComplaintState.RECEIVED),
        (ComplaintAction.ASSIGN, ComplaintState.RECEIVED, ComplaintState.PROCESSING),
        (
            ComplaintAction.REQUEST_INFORMATION,
            ComplaintState.PROCESSING,
            ComplaintState.AWAITING_INFORMATION,
        ),
        (
            ComplaintAction.PROVIDE_INFORMATION,
            ComplaintState.AWAITING_INFORMATION,
            ComplaintState.PROCESSING,
        ),
        (ComplaintAction.ANSWER, ComplaintState.PROCESSING, ComplaintState.ANSWERED),
        (ComplaintAction.PUBLISH, ComplaintState.ANSWERED, ComplaintState.PUBLISHED),
    ]
    assert events[1].actor == world.leader and events[1].actor_agency == world.home.ward
    assert events[-1].due_at == at(2, 10, month=4)
    assert events[-1].timeliness == Timeliness.LATE
    assert events[3].actor == world.applicant
    assert complaint.attachments.count() == 1
    assert OutboxMessage.objects.filter(topic="complaint.answer").count() == 1
    assert OutboxMessage.objects.filter(topic="complaint.request_information").count() == 1
    assert complaint_list_published() == [complaint]


def test_a_late_refusal_is_flagged(world: World) -> None:
    complaint = other_complaint(world)
    with pytest.raises(InvalidFeedback):
        services.complaint_refuse(
            actor=world.leader, tracking_code=complaint.tracking_code, reason=" ", now=at(12, 9)
        )
    complaint = services.complaint_refuse(
        actor=world.leader,
        tracking_code=complaint.tracking_code,
        reason="Không thuộc thẩm quyền",
        now=at(12, 9),
    )
    assert complaint.state == ComplaintState.REFUSED
    assert complaint.handling_timeliness == Timeliness.LATE  # due Wednesday 11, 09:00
    event = complaint.events.last()
    assert event is not None and event.due_at == at(11, 9) and event.timeliness == "late"
    assert OutboxMessage.objects.filter(topic="complaint.refuse").exists()


def test_the_submitter_without_an_account_answers_with_the_token(world: World) -> None:
    complaint = services.complaint_submit(
        actor=None,
        about=ComplaintAbout.OTHER,
        subject="Góp ý",
        content="Nội dung góp ý",
        agency_code=world.home.ward.code,
        submitter=services.Submitter(name="Lê Văn Cường", email="cuong@example.vn"),
        now=MONDAY,
    )
    services.complaint_request_information(
        actor=world.leader,
        tracking_code=complaint.tracking_code,
        question="Địa chỉ?",
        now=at(9, 10),
    )
    with pytest.raises(ComplaintNotFound):
        services.complaint_provide_information(
            tracking_code=complaint.tracking_code,
            token="wrong",
            information="Số 1 Lê Lợi",
            now=at(9, 11),
        )
    complaint = services.complaint_provide_information(
        tracking_code=complaint.tracking_code,
        token=complaint.access_token,
        information="Số 1 Lê Lợi",
        now=at(9, 11),
    )
    assert complaint.state == ComplaintState.PROCESSING


def test_keeping_the_answer_private_ends_the_handling(world: World) -> None:
    code = other_complaint(world).tracking_code
    services.complaint_answer(
        actor=world.leader, tracking_code=code, answer="Trả lời", now=at(9, 11)
    )
    complaint = services.complaint_keep_private(
        actor=world.leader, tracking_code=code, reason="Thông tin cá nhân", now=at(9, 12)
    )
    assert complaint.state == ComplaintState.CLOSED
    assert complaint_list_published() == []
    with pytest.raises(IllegalComplaintAction):
        services.complaint_publish(actor=world.leader, tracking_code=code, now=at(9, 13))


@pytest.mark.parametrize(
    ("steps", "action", "state_label"),
    [
        ([], "publish", "Đã tiếp nhận"),
        (["refuse"], "answer", "Đã từ chối"),
        ([], "provide_information", "Đã tiếp nhận"),
        (["answer"], "request_information", "Đã trả lời"),
    ],
)
def test_illegal_steps_name_the_state(
    world: World, steps: list[str], action: str, state_label: str
) -> None:
    code = other_complaint(world).tracking_code
    moment = at(9, 10)
    for step in steps:
        if step == "refuse":
            services.complaint_refuse(
                actor=world.leader, tracking_code=code, reason="Trùng lặp", now=moment
            )
        else:
            services.complaint_answer(
                actor=world.leader, tracking_code=code, answer="Trả lời", now=moment
            )
    calls = {
        "publish": lambda: services.complaint_publish(
            actor=world.leader, tracking_code=code, now=moment
        ),
        "answer": lambda: services.complaint_answer(
            actor=world.leader, tracking_code=code, answer="Trả lời", now=moment
        ),
        "provide_information": lambda: services.complaint_provide_information(
            actor=world.applicant, tracking_code=code, information="Thêm", now=moment
        ),
        "request_information": lambda: services.complaint_request_information(
            actor=world.leader, tracking_code=code, question="Hỏi", now=moment
        ),
    }
    before = Complaint.objects.get(tracking_code=code).events.count()
    with pytest.raises(IllegalComplaintAction) as error:
        calls[action]()
    assert state_label in error.value.message
    assert error.value.code == "illegal_transition"
    assert Complaint.objects.get(tracking_code=code).events.count() == before


# --- who sees and handles what ------------------------------------------------------------


@pytest.mark.parametrize(
    "stranger",
    ["away_leader", "away_monitor", "construction_leader", "specialist", "other_applicant"],
)
def test_strangers_see_nothing_and_cannot_act(world: World, stranger: str) -> None:
    complaint = other_complaint(world)
    user = getattr(world, stranger)
    assert not complaint_visible_to(user).exists()
    with pytest.raises(ComplaintNotFound):
        complaint_get_for(user, tracking_code=complaint.tracking_code)
    with pytest.raises(ComplaintNotFound):
        services.complaint_answer(
            actor=user, tracking_code=complaint.tracking_code, answer="x", now=at(9, 10)
        )
    with pytest.raises(ComplaintNotFound):
        services.complaint_assign(
            actor=user,
            tracking_code=complaint.tracking_code,
            assignee_id=world.leader.pk,
            now=at(9, 10),
        )


@pytest.mark.parametrize("who", ["monitor", "province_monitor"])
def test_monitors_read_but_do_not_act(world: World, who: str) -> None:
    complaint = other_complaint(world)
    user = getattr(world, who)
    assert complaint_get_for(user, tracking_code=complaint.tracking_code) == complaint
    with pytest.raises(ComplaintNotAllowed):
        services.complaint_answer(
            actor=user, tracking_code=complaint.tracking_code, answer="x", now=at(9, 10)
        )


def test_the_submitter_sees_their_own(world: World) -> None:
    complaint = other_complaint(world)
    assert list(complaint_visible_to(world.applicant)) == [complaint]


def test_once_moved_the_old_agencys_officers_lose_it(world: World) -> None:
    complaint = other_complaint(world)
    services.complaint_assign(
        actor=world.leader,
        tracking_code=complaint.tracking_code,
        agency_code=world.justice.code,
        now=at(9, 10),
    )
    assert not complaint_visible_to(world.monitor).exists()
    assert complaint_visible_to(world.justice_specialist).get() == complaint
    services.complaint_answer(
        actor=world.justice_specialist,
        tracking_code=complaint.tracking_code,
        answer="Sở Tư pháp trả lời",
        now=at(9, 11),
    )


def test_the_assignee_must_work_at_the_agency(world: World) -> None:
    complaint = other_complaint(world)
    with pytest.raises(InvalidFeedback) as error:
        services.complaint_assign(
            actor=world.leader,
            tracking_code=complaint.tracking_code,
            assignee_id=world.away_specialist.pk,
            now=at(9, 10),
        )
    assert error.value.details["field"] == "assignee"


# --- lists and reports ---------------------------------------------------------------------------


def test_overdue_list_and_timeliness_per_agency(world: World) -> None:
    on_time = other_complaint(world)
    late = other_complaint(world, now=MONDAY + dt.timedelta(minutes=1))
    other_complaint(world, now=MONDAY + dt.timedelta(minutes=2))  # left open
    services.complaint_answer(
        actor=world.leader, tracking_code=on_time.tracking_code, answer="Trả lời", now=at(10, 9)
    )
    services.complaint_refuse(
        actor=world.leader, tracking_code=late.tracking_code, reason="Trùng", now=at(13, 9)
    )
    services.complaint_keep_private(
        actor=world.leader, tracking_code=on_time.tracking_code, now=at(10, 10)
    )
    answered_late = other_complaint(world, now=MONDAY + dt.timedelta(minutes=3))
    services.complaint_answer(
        actor=world.leader,
        tracking_code=answered_late.tracking_code,
        answer="Trả lời",
        now=at(11, 9),
    )  # in time, but never published nor kept private
    after_deadline = at(31, 9)
    overdue = complaint_list_for(world.leader, filters=ComplaintFilter(overdue_at=after_deadline))
    assert len(overdue) == 1 and overdue[0].state == ComplaintState.RECEIVED
    rows = complaint_timeliness_by_agency(
        root=world.home.root, start=MONDAY, end=at(16, 0), now=after_deadline
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row.received, row.answered, row.refused) == (4, 2, 1)
    assert (row.handled_on_time, row.handled_late, row.open, row.open_overdue) == (2, 1, 1, 1)
    assert row.publication_overdue == 1
    assert row.fully_on_time == 1
    assert str(row.on_time_share) == "66.67"


def test_the_work_queue_pages_by_receipt(world: World, django_assert_max_num_queries) -> None:
    made = [other_complaint(world, now=MONDAY + dt.timedelta(minutes=i)) for i in range(5)]
    with django_assert_max_num_queries(2):
        first = complaint_list_for(world.leader, limit=3)
    last = first[-1]
    second = complaint_list_for(world.leader, after=(last.received_at, last.pk), limit=3)
    assert [c.pk for c in first + second] == [c.pk for c in made]


# --- attachments ---------------------------------------------------------------------------------


def test_attachments_are_sniffed_and_stored_under_a_random_name(world: World) -> None:
    complaint = other_complaint(
        world,
        attachments=[
            SimpleUploadedFile("don thu.pdf", PDF, content_type="application/pdf"),
            # The browser's claim and the name do not matter: the bytes say JPEG.
            SimpleUploadedFile("anh", JPEG, content_type="application/octet-stream"),
        ],
    )
    stored = {a.original_name: a for a in complaint.attachments.all()}
    assert stored["don thu.pdf"].content_type == "application/pdf"
    assert stored["anh"].content_type == "image/jpeg"
    assert stored["anh"].file.name.endswith(".jpg")
    assert "don thu" not in stored["don thu.pdf"].file.name
    with stored["don thu.pdf"].file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 40, "application/pdf"),
        SimpleUploadedFile("ghi chu.png", b"just some text", "image/png"),
        SimpleUploadedFile("rong.pdf", b"", "application/pdf"),
    ],
    ids=["exe-named-pdf", "text-named-png", "empty"],
)
def test_other_files_are_refused_and_nothing_is_written(world: World, upload) -> None:
    with pytest.raises(InvalidAttachment) as error:
        other_complaint(world, attachments=[upload])
    assert upload.name in error.value.message
    assert error.value.code == "invalid_attachment"
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_attachment_size_and_count_are_bounded(world: World, settings) -> None:
    settings.MOTCUA_FEEDBACK_MAX_ATTACHMENT_BYTES = 1024 * 1024
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(InvalidAttachment) as error:
        other_complaint(world, attachments=[big])
    assert "1 MB" in error.value.message
    settings.MOTCUA_FEEDBACK_MAX_ATTACHMENTS = 1
    with pytest.raises(InvalidAttachment):
        other_complaint(
            world,
            attachments=[
                SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("b.pdf", PDF, "application/pdf"),
            ],
        )


def test_attachments_of_a_rolled_back_complaint_are_swept_once_old(
    world: World, media_root: Path
) -> None:
    sent = other_complaint(world, attachments=[SimpleUploadedFile("giu.pdf", PDF)])
    kept = Path(sent.attachments.get().file.path)
    with pytest.raises(RuntimeError), all_or_nothing():
        other_complaint(world, attachments=[SimpleUploadedFile("bo.png", PNG)])
        raise RuntimeError("rolled back after its attachment was stored")
    assert ComplaintAttachment.objects.count() == 1
    (orphan,) = set((media_root / "complaints").iterdir()) - {kept}
    day_ago = timezone.now() - dt.timedelta(hours=24)
    assert sum(p.files for p in orphan_files_purge(older_than=day_ago)) == 0  # too young

    old = (day_ago - dt.timedelta(hours=1)).timestamp()
    for path in (orphan, kept):
        os.utime(path, (old, old))
    purged = orphan_files_purge(older_than=day_ago)

    assert [(p.directory, p.files, p.bytes) for p in purged if p.files] == [
        ("complaints", 1, len(PNG))
    ]
    assert not orphan.exists() and kept.read_bytes() == PDF


@pytest.mark.parametrize("ending", ["refuse", "answer"])
def test_a_wait_for_information_can_end_without_it(world: World, ending: str) -> None:
    code = other_complaint(world).tracking_code
    services.complaint_request_information(
        actor=world.leader, tracking_code=code, question="Địa chỉ cụ thể?", now=at(10, 9)
    )
    if ending == "refuse":
        complaint = services.complaint_refuse(
            actor=world.leader, tracking_code=code, reason="Không bổ sung thông tin", now=at(20, 9)
        )
        assert complaint.state == ComplaintState.REFUSED
    else:
        complaint = services.complaint_answer(
            actor=world.leader, tracking_code=code, answer="Trả lời theo hồ sơ", now=at(20, 9)
        )
        assert complaint.state == ComplaintState.ANSWERED
        # Eight working days waited (Tue 10 to Fri 20): the answer is due eight later.
        assert complaint.answer_due_at == at(9, 9, month=4)
    assert complaint.paused_since is None


# --- the portal's and the back office's reads ------------------------------------------------


def test_publishing_folds_the_text_for_the_public_search(world: World) -> None:
    complaint = services.complaint_submit(
        actor=world.applicant,
        about=ComplaintAbout.OTHER,
        subject="Đăng ký khai sinh trực tuyến",
        content="Không tải được tệp.",
        agency_code=world.home.ward.code,
        now=MONDAY,
    )
    services.complaint_answer(
        actor=world.leader, tracking_code=complaint.tracking_code, answer="Đã sửa lỗi.", now=MONDAY
    )
    assert complaint_list_published(query="dang ky") == []  # answered, not yet published
    published = services.complaint_publish(
        actor=world.leader, tracking_code=complaint.tracking_code, now=MONDAY
    )
    published.refresh_from_db()
    assert published.state == ComplaintState.PUBLISHED
    assert "dang ky khai sinh" in published.published_folded
    assert published.events.last().action == ComplaintAction.PUBLISH
    assert complaint_list_published(query="DANG KY da sua") == [published]
    assert complaint_list_published(query="ket hon") == []


def test_the_submitters_own_list_and_page(world: World) -> None:
    from motcua.feedback.selectors import complaint_get_submitted_by, complaint_list_submitted_by

    mine = other_complaint(world)
    theirs = other_complaint(world, submitter=services.Submitter(name="X"))
    theirs.submitter_user = world.other_applicant
    theirs.save(update_fields=["submitter_user"])
    assert complaint_list_submitted_by(world.applicant) == [mine]
    assert complaint_list_submitted_by(AnonymousUser()) == []
    assert complaint_get_submitted_by(world.applicant, tracking_code=mine.tracking_code) == mine
    with pytest.raises(ComplaintNotFound):
        complaint_get_submitted_by(world.applicant, tracking_code=theirs.tracking_code)
    # An officer who sees it in the back office still does not get it as "mine".
    with pytest.raises(ComplaintNotFound):
        complaint_get_submitted_by(world.leader, tracking_code=mine.tracking_code)


def test_the_submitter_timeline_leaves_out_the_routing(world: World) -> None:
    from motcua.feedback.selectors import complaint_timeline_for_submitter

    complaint = other_complaint(world)
    services.complaint_assign(
        actor=world.leader,
        tracking_code=complaint.tracking_code,
        assignee_id=world.leader.pk,
        note="Nội bộ: giao anh Hùng",
        now=MONDAY,
    )
    services.complaint_answer(
        actor=world.leader, tracking_code=complaint.tracking_code, answer="Trả lời", now=MONDAY
    )
    actions = [e.action for e in complaint_timeline_for_submitter(complaint)]
    assert actions == [ComplaintAction.SUBMIT, ComplaintAction.ANSWER]


def test_the_actions_offered_follow_the_state_and_the_role(world: World) -> None:
    from motcua.feedback.selectors import complaint_actions_for

    complaint = other_complaint(world)
    today = MONDAY.date()
    assert complaint_actions_for(world.leader, complaint, on=today) == [
        ComplaintAction.ASSIGN,
        ComplaintAction.REFUSE,
        ComplaintAction.REQUEST_INFORMATION,
        ComplaintAction.ANSWER,
    ]
    assert complaint_actions_for(world.monitor, complaint, on=today) == []
    assert complaint_actions_for(world.away_leader, complaint, on=today) == []
    services.complaint_answer(
        actor=world.leader, tracking_code=complaint.tracking_code, answer="A", now=MONDAY
    )
    complaint.refresh_from_db()
    assert complaint_actions_for(world.leader, complaint, on=today) == [
        ComplaintAction.PUBLISH,
        ComplaintAction.KEEP_PRIVATE,
    ]


def test_officers_to_assign_are_those_of_the_handling_agency(world: World) -> None:
    from motcua.feedback.selectors import complaint_assignable_officers

    complaint = other_complaint(world)
    officers = complaint_assignable_officers(complaint, on=MONDAY.date())
    assert world.leader in officers
    assert world.monitor not in officers  # monitors only read
    assert world.specialist not in officers  # works in a division, not at the ward itself
    assert world.away_leader not in officers
