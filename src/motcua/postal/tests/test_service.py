"""Booking the postal service for results asked by post (`postal.service`), against a local
fake of the province's bridge to its postal operator."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.tests.factories import APPLICANT, World, drive, make_world
from motcua.integrations.delivery import Endpoint, Policy, deliver_due, every_destination
from motcua.integrations.models import OutboxMessage
from motcua.integrations.notifications import signature
from motcua.integrations.tests.fakes import FakeGateway, gateway
from motcua.postal.models import PostalShipment
from motcua.postal.service import PostalService, postal_service

__all__ = ["gateway"]  # the fixture

SECRET = "bi-mat-buu-chinh"
PATH = "/vnpost/shipments"


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def deliver(fake: FakeGateway) -> list[OutboxMessage]:
    service = PostalService(Endpoint(url=fake.at(PATH), secret=SECRET, timeout=5))
    deliver_due(now=timezone.now(), destinations=[service], policy=Policy.from_settings())
    return list(OutboxMessage.objects.filter(topic__startswith="dossier.").order_by("pk"))


def by_post(world: World, status: Status = Status.RESOLVED) -> Dossier:
    dossier = drive(world, status, walk_in=True)
    Dossier.objects.filter(pk=dossier.pk).update(requested_return_channel=ReturnChannel.POSTAL)
    return dossier


def test_a_result_asked_by_post_is_booked_once_with_its_tracking_number(
    world: World, gateway: FakeGateway
) -> None:
    dossier = by_post(world)
    gateway.replies[PATH] = b'{"tracking_number": "EB123456789VN"}'

    messages = deliver(gateway)

    [request] = gateway.to(PATH)
    assert request["headers"]["Idempotency-Key"] == f"postal:{dossier.pk}"
    assert request["headers"]["X-Motcua-Signature"] == signature(SECRET, request["body"])
    booking = json.loads(request["body"])
    assert booking["reference"] == dossier.code
    assert booking["recipient"] == {
        "name": APPLICANT.name,
        "phone": APPLICANT.phone,
        "address": APPLICANT.address,
    }
    assert booking["sender"]["code"] == (dossier.receiving_unit or dossier.handling_agency).code
    shipment = PostalShipment.objects.get()
    assert shipment.dossier_id == dossier.pk and shipment.tracking_number == "EB123456789VN"
    assert {m.state for m in messages} == {"delivered"}
    # The booking's own message, for the applicant's notice and the webhooks.
    booked = OutboxMessage.objects.get(topic="postal.booked")
    assert booked.payload == {
        "dossier": dossier.code,
        "tracking_number": "EB123456789VN",
        "status": "booked",
        "at": timezone.localtime(shipment.booked_at).isoformat(),
    }
    # Sent again from the admin: nothing is booked twice.
    OutboxMessage.objects.update(delivered_at=None, delivered_to=[], next_attempt_at=timezone.now())
    deliver(gateway)
    assert len(gateway.to(PATH)) == 1


def test_a_result_collected_at_the_counter_books_nothing(
    world: World, gateway: FakeGateway
) -> None:
    drive(world, Status.RESOLVED, walk_in=True)
    deliver(gateway)
    assert gateway.to(PATH) == [] and not PostalShipment.objects.exists()


def test_a_rejection_goes_by_post_too(world: World, gateway: FakeGateway) -> None:
    by_post(world, Status.REJECTED)
    gateway.replies[PATH] = b'{"tracking_number": "EB000000001VN"}'
    deliver(gateway)
    assert PostalShipment.objects.get().tracking_number == "EB000000001VN"


def test_no_address_or_no_tracking_number_is_given_up_for_the_desk(
    world: World, gateway: FakeGateway
) -> None:
    dossier = by_post(world)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_address="")
    resolved = deliver(gateway)[-1]
    assert resolved.state == "failed" and "no address" in resolved.last_error
    assert gateway.to(PATH) == []

    Dossier.objects.filter(pk=dossier.pk).update(applicant_address=APPLICANT.address)
    OutboxMessage.objects.filter(pk=resolved.pk).update(
        failed_at=None, next_attempt_at=timezone.now()
    )
    gateway.replies[PATH] = b'{"ok": true}'
    resolved = deliver(gateway)[-1]
    assert resolved.state == "failed" and "no tracking number" in resolved.last_error


def test_an_operator_away_is_retried(world: World, gateway: FakeGateway) -> None:
    by_post(world)
    gateway.statuses = [503]
    gateway.replies[PATH] = b'{"tracking_number": "EB123456789VN"}'
    assert deliver(gateway)[-1].state == "pending"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert deliver(gateway)[-1].state == "delivered"
    assert PostalShipment.objects.count() == 1


def test_the_tracking_number_shows_to_the_desk(
    world: World, gateway: FakeGateway, client: Client
) -> None:
    dossier = by_post(world)
    gateway.replies[PATH] = b'{"tracking_number": "EB123456789VN"}'
    deliver(gateway)
    client.force_login(User.objects.get(pk=world.receiver.pk))
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "mã vận đơn EB123456789VN" in page


def test_the_setting_turns_it_on() -> None:
    assert postal_service() is None
    assert "postal-service" not in [d.name for d in every_destination()]
    config = {"url": "https://bridge.example.gov.vn/vnpost", "secret": "s"}
    with override_settings(MOTCUA_POSTAL_SERVICE=config):
        assert postal_service() == PostalService(
            Endpoint("https://bridge.example.gov.vn/vnpost", "s")
        )
        assert "postal-service" in [d.name for d in every_destination()]
