"""What the sender of a complaint or recommendation is told by SMS and e-mail
(`feedback.notices`), as the outbox worker sends it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.tests.factories import MONDAY, World, at
from motcua.feedback import notices, services
from motcua.feedback.models import Complaint, ComplaintAbout
from motcua.integrations.delivery import Policy, deliver_due
from motcua.integrations.models import OutboxMessage, SentNotice
from motcua.integrations.notices import NoticeDestination
from motcua.integrations.tests.fakes import Inbox


def deliver(inbox: Inbox) -> list[OutboxMessage]:
    destination = NoticeDestination(
        name=notices.NAME, topics=notices.TOPICS, compose=notices.compose, backend=lambda: inbox
    )
    deliver_due(now=timezone.now(), destinations=[destination], policy=Policy.from_settings())
    return list(OutboxMessage.objects.order_by("pk"))


def complaint(world: World, **submitter: str) -> Complaint:
    return services.complaint_submit(
        actor=None,
        about=ComplaintAbout.OTHER,
        subject="Lịch tiếp nhận",
        content="Đề nghị tiếp nhận cả sáng thứ Bảy.",
        agency_code=world.home.ward.code,
        submitter=services.Submitter(name="Lê Văn Cường", **submitter),
        now=MONDAY,
    )


def test_the_sender_is_asked_for_information_and_told_the_answer(
    world: World, client: Client
) -> None:
    inbox = Inbox()
    code = complaint(world, email="cuong@example.vn", phone="0987654321").tracking_code
    services.complaint_request_information(
        actor=world.leader, tracking_code=code, question="Phường nào?", now=at(9, 10)
    )
    deliver(inbox)
    [(phone, sms)] = inbox.sms
    assert phone == "0987654321"
    assert (
        f"phan anh, kien nghi {code}" in sms and f"/phan-anh-kien-nghi/theo-doi/?code={code}" in sms
    )
    [(_address, subject, body)] = inbox.email
    assert subject == f"Phản ánh, kiến nghị {code}: đề nghị bổ sung thông tin"
    assert body.startswith("Kính gửi Lê Văn Cường,") and "Phường nào?" in body

    services.complaint_provide_information(
        tracking_code=code,
        token=Complaint.objects.get().access_token,
        information="Phường Hồng Châu",
        now=at(9, 11),
    )
    services.complaint_answer(
        actor=world.leader, tracking_code=code, answer="Đã bố trí.", now=at(10, 9)
    )
    deliver(inbox)

    assert len(inbox.sms) == 2 and len(inbox.email) == 2  # nothing for the sender's own step
    assert "Đã bố trí." in inbox.email[-1][2]
    assert SentNotice.objects.filter(channel="email", recipient="c****@example.vn").count() == 2
    client.force_login(world.leader)
    page = client.get(reverse("backoffice:complaint", args=[code])).content.decode()
    assert page.count("Đã thông báo qua Thư điện tử (c****@example.vn) lúc") == 2
    assert page.count("Đã thông báo qua SMS (098*****21) lúc") == 2


def test_the_desk_sees_a_sender_who_could_not_be_told(world: World, client: Client) -> None:
    inbox = Inbox()
    inbox.refused = {"sms"}
    code = complaint(world, phone="0987654321").tracking_code
    services.complaint_refuse(
        actor=world.leader, tracking_code=code, reason="Không thuộc thẩm quyền", now=at(9, 10)
    )
    deliver(inbox)

    client.force_login(world.leader)
    page = client.get(reverse("backoffice:complaint", args=[code])).content.decode()

    assert "Chưa báo được (sms: HTTP 400)" in page


@pytest.mark.parametrize(
    ("submitter", "channels"),
    [({"email": "cuong@example.vn"}, ["email"]), ({"phone": "0987654321"}, ["sms"])],
    ids=["e-mail only", "phone only"],
)
def test_a_refusal_goes_where_the_sender_can_be_reached(
    world: World, submitter: dict[str, str], channels: list[str]
) -> None:
    inbox = Inbox()
    code = complaint(world, **submitter).tracking_code
    services.complaint_refuse(
        actor=world.leader, tracking_code=code, reason="Không thuộc thẩm quyền", now=at(9, 10)
    )

    messages = deliver(inbox)

    assert {m.state for m in messages} == {"delivered"}
    assert sorted(SentNotice.objects.values_list("channel", flat=True)) == channels
    assert all("Không thuộc thẩm quyền" in body for _a, _s, body in inbox.email)
