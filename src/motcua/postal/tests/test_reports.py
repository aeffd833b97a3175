"""What the postal service reports about a shipment after booking, posted to the API by the
province's bridge, and what the applicant is told of their result's journey by post."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.tests.factories import World, drive, make_world
from motcua.integrations.delivery import Policy, deliver_due
from motcua.integrations.models import OutboxMessage, SentNotice
from motcua.integrations.notices import NoticeDestination
from motcua.integrations.notifications import signature
from motcua.integrations.tests.fakes import Inbox
from motcua.postal import notices
from motcua.postal.models import PostalShipment, ShipmentStatus
from motcua.postal.services import announce

SECRET = "bi-mat-buu-chinh"
TRACKING = "EB123456789VN"
URL = f"/api/v1/postal/shipments/{TRACKING}/reports"


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def postal(settings: Any) -> None:
    settings.MOTCUA_POSTAL_SERVICE = {
        "url": "https://bridge.example.gov.vn/vnpost",
        "secret": SECRET,
    }


@pytest.fixture
def shipment(world: World) -> PostalShipment:
    """A result by post, booked an hour ago (as `service.PostalService` records it)."""
    dossier = drive(world, Status.RESOLVED)  # submitted online by world.applicant
    Dossier.objects.filter(pk=dossier.pk).update(
        requested_return_channel=ReturnChannel.POSTAL, applicant_email="an@example.vn"
    )
    booked_at = timezone.now() - dt.timedelta(hours=1)
    shipment = PostalShipment.objects.create(
        dossier=Dossier.objects.get(pk=dossier.pk),
        tracking_number=TRACKING,
        booked_at=booked_at,
        status_at=booked_at,
        recipient="Nguyễn Văn An",
        address="12 Lê Lợi, phường Một",
    )
    announce(shipment)
    return shipment


def report(client: Client, body: dict[str, Any], *, secret: str = SECRET, url: str = URL) -> Any:
    raw = json.dumps(body).encode()
    return client.post(
        url,
        raw,
        content_type="application/json",
        headers={"X-Motcua-Signature": signature(secret, raw)},
    )


def ago(minutes: int) -> str:
    return (timezone.localtime() - dt.timedelta(minutes=minutes)).isoformat()


def test_a_signed_report_moves_the_shipment_on(
    postal: None, shipment: PostalShipment, client: Client
) -> None:
    answer = report(client, {"status": "delivery_failed", "at": ago(30), "note": "Vắng nhà"})

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == {"value": "delivery_failed", "label": "Phát không thành công lần này"}
    assert (body["tracking_number"], body["dossier"]) == (TRACKING, shipment.dossier.code)
    assert body["status_note"] == "Vắng nhà"
    shipment.refresh_from_db()
    assert (shipment.status, shipment.status_note) == (ShipmentStatus.DELIVERY_FAILED, "Vắng nhà")


def test_reports_may_come_twice_and_out_of_order(
    postal: None, shipment: PostalShipment, client: Client
) -> None:
    delivered = {"status": "delivered", "at": ago(5)}
    assert report(client, delivered).status_code == 200
    # In transit, reported late: older than what is kept, so nothing changes.
    late = report(client, {"status": "in_transit", "at": ago(40)})
    assert late.status_code == 200 and late.json()["status"]["value"] == "delivered"
    # The same report again changes nothing either.
    assert report(client, delivered).json()["status"]["value"] == "delivered"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipment.status_at == dt.datetime.fromisoformat(delivered["at"])
    # Delivered is no news for the applicant, who holds the result.
    assert not OutboxMessage.objects.filter(topic="postal.delivered").exists()


def test_a_report_without_our_signature_changes_nothing(
    postal: None, shipment: PostalShipment, client: Client
) -> None:
    forged = report(client, {"status": "delivered", "at": ago(5)}, secret="doan-mo")
    unsigned = client.post(
        URL, {"status": "delivered", "at": ago(5)}, content_type="application/json"
    )

    for answer in (forged, unsigned):
        assert answer.status_code == 401
        assert answer.json()["code"] == "bad_signature"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED


@pytest.mark.parametrize(
    ("body", "told"),
    [
        ({"status": "lost", "at": ago(5)}, "Phải là một trong"),
        ({"status": "booked", "at": ago(5)}, "Phải là một trong"),  # ours to say
        ({"status": "delivered"}, "bắt buộc"),
        ({"status": "delivered", "at": "2099-01-01T09:00:00+07:00"}, "tương lai"),
        ({"status": "delivered", "at": "2020-01-01T09:00:00+07:00"}, "trước cả lúc gửi"),
        ({"status": "delivered", "at": ago(5), "x": 1}, "không được chấp nhận"),
    ],
)
def test_a_bad_report_is_refused_with_its_reason(
    postal: None, shipment: PostalShipment, client: Client, body: dict[str, Any], told: str
) -> None:
    answer = report(client, body)

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")
    assert told in json.dumps(answer.json(), ensure_ascii=False)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED


def test_an_unknown_tracking_number_and_a_deployment_without_the_post(
    world: World, client: Client, settings: Any
) -> None:
    body = {"status": "delivered", "at": ago(5)}
    assert report(client, body).json()["code"] == "postal_service_not_set"
    settings.MOTCUA_POSTAL_SERVICE = {"url": "https://bridge.example.gov.vn/", "secret": SECRET}
    answer = report(client, body, url="/api/v1/postal/shipments/EB000VN/reports")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def tell(inbox: Inbox) -> list[OutboxMessage]:
    destination = NoticeDestination(
        name=notices.NAME, topics=notices.TOPICS, compose=notices.compose, backend=lambda: inbox
    )
    deliver_due(now=timezone.now(), destinations=[destination], policy=Policy.from_settings())
    return list(OutboxMessage.objects.filter(topic__startswith="postal."))


def test_the_applicant_learns_the_tracking_number_then_that_the_result_came_back(
    postal: None, shipment: PostalShipment, client: Client
) -> None:
    inbox = Inbox()
    tell(inbox)
    [(phone, sms)] = inbox.sms
    assert phone == shipment.dossier.applicant_phone
    assert TRACKING in sms and shipment.dossier.code in sms
    [(address, subject, email)] = inbox.email
    assert address == "an@example.vn" and "bưu chính" in subject
    assert shipment.address in email

    answer = report(client, {"status": "returned", "at": ago(2), "note": "Sai địa chỉ"})
    assert answer.json()["status"]["label"] == "Đã chuyển hoàn về cơ quan"
    messages = tell(inbox)

    assert [m.topic for m in messages] == ["postal.booked", "postal.returned"]
    assert {m.state for m in messages} == {"delivered"}
    returned = inbox.sms[-1][1]
    agency = shipment.dossier.receiving_unit or shipment.dossier.handling_agency
    assert TRACKING in returned and agency.name.split()[0] in returned
    assert "Sai địa chỉ" in inbox.email[-1][2]
    assert SentNotice.objects.filter(key__startswith="postal.").count() == 4


def test_the_desk_and_the_applicant_see_where_the_result_is(
    world: World, postal: None, shipment: PostalShipment, client: Client
) -> None:
    report(client, {"status": "returned", "at": ago(2), "note": "Sai địa chỉ"})
    code = shipment.dossier.code

    client.force_login(User.objects.get(pk=world.receiver.pk))
    desk = client.get(reverse("backoffice:dossier", args=[code])).content.decode()
    assert f"mã vận đơn {TRACKING}" in desk
    assert "Đã chuyển hoàn về cơ quan" in desk and "Sai địa chỉ" in desk

    client.force_login(User.objects.get(pk=world.applicant.pk))
    mine = client.get(reverse("portal:my_dossier", args=[code])).content.decode()
    assert "Đã chuyển hoàn về cơ quan" in mine


def test_the_report_is_in_the_api_document(client: Client, db: None) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/postal/shipments/{tracking_number}/reports"]["post"]
    assert operation["operationId"] == "postal_shipment_report"
    assert set(operation["responses"]) == {"200", "401", "404", "422"}


def test_the_desk_lists_the_results_back_from_the_post(
    world: World, postal: None, shipment: PostalShipment, client: Client
) -> None:
    client.force_login(User.objects.get(pk=world.receiver.pk))
    assert TRACKING not in client.get("/office/shipments/").content.decode()  # on its way

    report(client, {"status": "returned", "at": ago(2), "note": "Sai địa chỉ"})

    page = client.get("/office/shipments/").content.decode()
    assert TRACKING in page and "Đã chuyển hoàn về cơ quan" in page and "Sai địa chỉ" in page
    assert shipment.dossier.code in page and shipment.dossier.applicant_phone in page
    away = Client()
    away.force_login(User.objects.get(pk=world.away_receiver.pk))
    assert TRACKING not in away.get("/office/shipments/").content.decode()
