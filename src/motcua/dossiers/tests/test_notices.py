"""The applicant's notices by SMS and e-mail, as the outbox worker sends them
(`dossiers.notices` through `integrations.notices`)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import notices, services
from motcua.dossiers.models import Dossier, Status
from motcua.integrations.delivery import Policy, deliver_due, every_destination
from motcua.integrations.models import OutboxMessage, SentNotice
from motcua.integrations.notices import NoticeDestination
from motcua.integrations.notifications import ConsoleNotifier
from motcua.integrations.services import outbox_enqueue
from motcua.integrations.tests.fakes import Inbox

from .factories import APPLICANT, MONDAY, World, at, drive, reference

EMAIL = "an.nguyen@example.vn"


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


def deliver(inbox: Inbox) -> list[OutboxMessage]:
    destination = NoticeDestination(
        name=notices.NAME, topics=notices.TOPICS, compose=notices.compose, backend=lambda: inbox
    )
    deliver_due(now=timezone.now(), destinations=[destination], policy=Policy.from_settings())
    return list(OutboxMessage.objects.order_by("pk"))


def submit_with_email(world: World) -> Dossier:
    return services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=dataclasses.replace(APPLICANT, email=EMAIL),
        documents=[d.pk for d in world.home.documents],
        now=MONDAY,
    )


def test_an_online_dossier_received_is_told_by_sms_and_email(world: World, inbox: Inbox) -> None:
    dossier = submit_with_email(world)
    deliver(inbox)
    assert inbox.sms == [] and inbox.email == []  # a submission is not a reception

    dossier = services.dossier_receive(actor=world.receiver, code=str(dossier.pk), now=at(9, 10))
    deliver(inbox)

    due = f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"
    [(phone, sms)] = inbox.sms
    assert phone == APPLICANT.phone
    # Vietnamese without marks: one 7-bit part holds 160 characters.
    assert sms.isascii() and len(sms) <= 160
    assert f"Ho so {dossier.code} da duoc tiep nhan" in sms and due in sms
    assert sms.endswith("Tra cuu: http://127.0.0.1:8000/tra-cuu/")
    [(address, subject, body)] = inbox.email
    assert address == EMAIL
    assert subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert body.startswith(f"Kính gửi {APPLICANT.name},")
    assert world.home.ward.name in body and world.home.procedure.name in body and due in body
    assert f"token={dossier.lookup_token}" in body  # the receipt's lookup link
    # The receipt itself (form 01), for the applicant's account to open.
    assert (
        f"(mẫu 01, PDF; đăng nhập để mở): http://127.0.0.1:8000/forms/{dossier.code}/01.pdf" in body
    )
    told = SentNotice.objects.order_by("channel")
    assert [(n.channel, n.recipient) for n in told] == [
        ("email", "a********@example.vn"),
        ("sms", "091*****78"),
    ]
    assert told[1].text == sms


def test_a_walk_in_gets_the_papers_at_the_counter_and_is_told_what_comes_later(
    world: World, inbox: Inbox
) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT, walk_in=True)

    deliver(inbox)

    [(_phone, sms)] = inbox.sms  # the supplement request, not the reception
    assert f"Ho so {dossier.code} can duoc bo sung" in sms


@pytest.mark.parametrize(
    ("status", "sms", "email"),
    [
        pytest.param(
            Status.RECEPTION_SUPPLEMENT_REQUESTED,
            "chua duoc tiep nhan",
            ["- Giấy chứng sinh", "Lý do: Thiếu giấy chứng sinh"],
            id="supplement-at-reception",
        ),
        pytest.param(
            Status.RECEPTION_REFUSED,
            "Ly do: Khong thuoc tham quyen",
            ["từ chối tiếp nhận", "Không thuộc thẩm quyền"],
            id="refused",
        ),
        pytest.param(
            Status.AWAITING_SUPPLEMENT,
            "can duoc bo sung",
            ["- Bản sao giấy tờ tùy thân", "Lý do: Thiếu giấy tờ", "tạm dừng"],
            id="supplement",
        ),
        pytest.param(
            Status.AWAITING_PAYMENT, "50.000 dong", ["50.000 đồng", "/thanh-toan/"], id="payment"
        ),
        pytest.param(Status.REJECTED, "Khong du dieu kien", ["Không đủ điều kiện"], id="rejected"),
        pytest.param(Status.WITHDRAWN, "da dung", ["mẫu 05"], id="withdrawn"),
        pytest.param(Status.RESOLVED, "da co ket qua", ["nhận tại"], id="resolved"),
    ],
)
def test_each_step_the_applicant_must_know_is_told_with_its_facts(
    world: World, inbox: Inbox, status: Status, sms: str, email: list[str]
) -> None:
    dossier = drive(world, status)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_email=EMAIL)

    deliver(inbox)

    [last_sms] = [text for _phone, text in inbox.sms][-1:]
    assert sms in last_sms, last_sms
    _address, _subject, body = inbox.email[-1]
    for fragment in email:
        assert fragment in body, body


def test_the_apology_carries_the_reason_and_the_new_return_time(world: World, inbox: Inbox) -> None:
    dossier = drive(world, Status.PROCESSING, walk_in=True)
    services.dossier_apologise_and_extend(
        actor=world.leader,
        code=dossier.code,
        reason="Chờ xác minh",
        new_due_at=at(17, 16),
        now=at(11, 9),
    )

    deliver(inbox)

    [(_phone, sms)] = inbox.sms
    assert "xin loi" in sms and "16:00 17/03/2026" in sms and "Cho xac minh" in sms


def test_the_agencies_own_steps_are_not_sent(world: World, inbox: Inbox) -> None:
    dossier = drive(world, Status.PROCESSING, walk_in=True)
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 11))

    messages = deliver(inbox)

    assert inbox.sms == [] and inbox.email == []
    assert {m.state for m in messages} == {"delivered"}


def test_a_channel_that_fails_is_tried_again_alone(world: World, inbox: Inbox) -> None:
    submit_with_email(world)
    dossier = Dossier.objects.get()
    services.dossier_refuse_reception(
        actor=world.receiver, reference=str(dossier.pk), reasons="Sai thẩm quyền", now=at(9, 10)
    )
    inbox.down = {"sms"}

    [_submitted, refused] = deliver(inbox)

    assert refused.state == "pending" and "sms: gateway away" in refused.last_error
    assert len(inbox.email) == 1
    inbox.down = set()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    [_submitted, refused] = deliver(inbox)
    assert refused.state == "delivered"
    assert len(inbox.sms) == 1 and len(inbox.email) == 1  # the e-mail went once
    assert inbox.sms_keys == [f"{refused.key}:sms"]  # the gateway drops a repeat by it
    assert SentNotice.objects.filter(key=refused.key).count() == 2


def test_a_number_the_gateway_refuses_is_given_up_at_once(world: World, inbox: Inbox) -> None:
    drive(world, Status.AWAITING_SUPPLEMENT, walk_in=True)
    inbox.refused = {"sms"}

    messages = deliver(inbox)

    refused = messages[-1]
    assert refused.state == "failed" and "sms: HTTP 400" in refused.last_error
    assert refused.attempts == 1


def test_the_desk_sees_when_the_applicant_could_not_be_told(
    world: World, inbox: Inbox, client: Client
) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT, walk_in=True)
    client.force_login(world.specialist)
    url = reverse("backoffice:dossier", args=[reference(dossier)])
    assert "Đang báo" not in client.get(url).content.decode()  # not tried yet

    inbox.down = {"sms"}
    deliver(inbox)
    page = client.get(url).content.decode()
    assert "Đang báo: đã thử 1 lần" in page

    inbox.refused = {"sms"}
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    deliver(inbox)
    page = client.get(url).content.decode()
    assert "Chưa báo được (sms: HTTP 400)" in page
    assert "gọi điện hoặc gửi văn bản" in page


def test_the_desk_lists_the_applicants_not_told_and_records_a_call(
    world: World, inbox: Inbox, client: Client
) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT, walk_in=True)
    inbox.refused = {"sms"}
    deliver(inbox)
    client.force_login(world.receiver)
    url = reverse("backoffice:untold")

    page = client.get(url).content.decode()

    assert dossier.code in page and "sms: HTTP 400" in page and APPLICANT.phone in page
    # An officer of another province sees nothing of it, and may record nothing.
    [row] = notices.untold_for_user(world.receiver, now=timezone.now())
    assert notices.untold_for_user(world.away_receiver, now=timezone.now()) == []
    client.force_login(world.away_receiver)
    told = reverse("backoffice:untold_told", args=[row.message_id])
    assert client.post(told).status_code == 404

    client.force_login(world.receiver)
    response = client.post(told, follow=True)

    assert dossier.code not in response.content.decode().split("<table")[1]
    notice = SentNotice.objects.get(channel="by_hand")
    assert notice.recipient == "091*****78" and notice.text == world.receiver.get_full_name()
    detail = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Chưa báo được" not in detail
    assert f"do {world.receiver.get_full_name()} ghi nhận" in detail


def test_the_deployment_chooses_the_channels_and_the_marks(world: World, inbox: Inbox) -> None:
    submit_with_email(world)
    services.dossier_refuse_reception(
        actor=world.receiver,
        reference=str(Dossier.objects.get().pk),
        reasons="Sai thẩm quyền",
        now=at(9, 10),
    )
    with override_settings(MOTCUA_NOTICE_CHANNELS="sms", MOTCUA_SMS_WITHOUT_MARKS="0"):
        deliver(inbox)
    assert inbox.email == []
    [(_phone, sms)] = inbox.sms
    assert "Lý do: Sai thẩm quyền" in sms
    message = OutboxMessage.objects.order_by("pk").last()
    assert message is not None
    with (
        override_settings(MOTCUA_NOTICE_CHANNELS="sms,fax"),
        pytest.raises(ImproperlyConfigured, match="fax"),
    ):
        notices.applicant_notices().send(message)


def test_the_console_backend_prints_and_records_nobody_as_told(world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT, walk_in=True)
    printed = io.StringIO()
    destination = NoticeDestination(
        name=notices.NAME,
        topics=notices.TOPICS,
        compose=notices.compose,
        backend=lambda: ConsoleNotifier(printed),
    )

    deliver_due(now=timezone.now(), destinations=[destination], policy=Policy.from_settings())

    assert f"Ho so {dossier.code} can duoc bo sung" in printed.getvalue()
    assert not SentNotice.objects.exists()


def test_a_message_without_its_event_tells_no_one(world: World, inbox: Inbox) -> None:
    outbox_enqueue(
        topic="dossier.changed",
        key="dossier.changed:old",
        payload={"dossier": "X", "action": "reject"},
        now=timezone.now(),
    )
    [message] = deliver(inbox)
    assert message.state == "delivered" and inbox.sms == []


def test_motcua_sends_the_notices_itself_and_keeps_the_names() -> None:
    names = [d.name for d in every_destination()]
    assert names[:2] == ["applicant-notices", "complaint-notices"]
    hook = {"name": "applicant-notices", "url": "https://x.example/", "secret": "s"}
    with (
        override_settings(MOTCUA_OUTBOX_WEBHOOKS=[hook]),
        pytest.raises(ImproperlyConfigured, match="applicant-notices"),
    ):
        every_destination()


def test_the_dossier_page_shows_whom_the_applicant_was_told_by(
    world: World, inbox: Inbox, client: Client
) -> None:
    dossier = drive(world, Status.AWAITING_PAYMENT, walk_in=True)
    deliver(inbox)

    client.force_login(world.specialist)
    page = client.get(reverse("backoffice:dossier", args=[reference(dossier)])).content.decode()

    assert "Đã thông báo qua SMS (091*****78) lúc" in page
    assert APPLICANT.phone not in page.split('class="timeline"')[1]
