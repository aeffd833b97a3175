"""DESIGN's reliability bar: an external system down for an hour loses nothing and
duplicates nothing after recovery.

Every system motcua posts to (the SMS gateway, the mail server, the national portal's
connector, the postal service's bridge and an integrator's webhook) is away for an hour of
a working morning while the counter and the back office go on: dossiers are received,
asked for a supplement, resolved (one by post), rejected, withdrawn and returned. The
worker passes every minute, as `motcua worker` does. When the systems come back, the first
requests are taken but their answers lost (the network breaks after the other side
committed), so the worker sends them again. Then, within the retries' longest wait:

- every outbox message reached every destination it was for, and none was given up;
- each receiver took each `Idempotency-Key` and every SMS went out under the key of its
  notice, so a receiver that keeps one request per key (as the protocol asks) did each
  thing once: one SMS and one e-mail per notice, one shipment booked, one record per
  message for the national portal, which ends holding each dossier's final state;
- what motcua records (notices sent, the shipment's tracking number, the national sync)
  is there once each.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone

from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.tests.factories import World, drive, make_world
from motcua.integrations.delivery import Policy, deliver_all_due, every_destination
from motcua.integrations.models import OutboxMessage, SentNotice
from motcua.integrations.tests.fakes import FakeGateway, gateway
from motcua.national.models import NationalSync
from motcua.postal.models import PostalShipment

__all__ = ["gateway"]  # the fixture

pytestmark = pytest.mark.django_db

OUTAGE = dt.timedelta(hours=1)
# The worker's retries wait at most an hour (delivery.MAX_RETRY_DELAY): everything is in
# within that after recovery, and a few passes more.
SETTLE = dt.timedelta(hours=1, minutes=5)
EMAIL = "an.nguyen@example.vn"


class MailServer(EmailBackend):
    """Django's in-memory e-mail backend, with a mail server that can be away."""

    down = False

    def send_messages(self, messages: Any) -> int:
        if MailServer.down:
            raise ConnectionRefusedError("the mail server is away")
        return super().send_messages(messages)


@pytest.fixture
def systems(gateway: FakeGateway) -> Iterator[FakeGateway]:
    """Every external system set up, each on its own path of the fake."""
    gateway.replies["/postal"] = b'{"tracking_number": "EB000111222VN"}'

    def at(path: str) -> dict[str, Any]:
        return {"url": gateway.at(path), "secret": "s", "timeout": 2}

    with override_settings(
        MOTCUA_NOTIFY_BACKEND="http",
        MOTCUA_SMS_GATEWAY_URL=gateway.at("/sms"),
        MOTCUA_SMS_GATEWAY_SECRET="s",
        MOTCUA_SMS_GATEWAY_RETRIES="0",  # the worker retries; no sleeping in the notifier
        EMAIL_BACKEND=f"{__name__}.MailServer",
        MOTCUA_NOTICE_CHANNELS="sms,email",
        MOTCUA_NATIONAL_PORTAL=at("/national"),
        MOTCUA_POSTAL_SERVICE=at("/postal"),
        MOTCUA_OUTBOX_WEBHOOKS=[{"name": "hub", **at("/hub")}],
    ):
        yield gateway
    MailServer.down = False


def down(fake: FakeGateway, away: bool) -> None:
    fake.down = MailServer.down = away


def work(world: World, start: dt.datetime) -> list[Dossier]:
    """The morning's work, each dossier's actions 10 minutes apart from its start."""
    plan = [
        (Status.RESOLVED, 0),  # the applicant asks for the result by post
        (Status.AWAITING_SUPPLEMENT, 5),
        (Status.RETURNED, 10),
        (Status.REJECTED, 15),
        (Status.WITHDRAWN, 20),
        (Status.PROCESSING, 50),
        (Status.RETURNED, 58),  # its last actions come after the recovery
    ]
    dossiers = [
        drive(world, status, start=start + dt.timedelta(minutes=minutes))
        for status, minutes in plan
    ]
    Dossier.objects.update(applicant_email=EMAIL)
    Dossier.objects.filter(pk=dossiers[0].pk).update(requested_return_channel=ReturnChannel.POSTAL)
    return dossiers


def run_worker(start: dt.datetime, end: dt.datetime | None = None) -> None:
    """A pass a minute from `start` to `end` (the present when None, with a last pass at
    it), as `motcua worker` runs delivery."""
    policy = Policy.from_settings()
    moment = start
    while moment <= (end or timezone.now()):
        deliver_all_due(now=moment, destinations=every_destination(), policy=policy)
        moment += dt.timedelta(minutes=1)
    if end is None:
        deliver_all_due(destinations=every_destination(), policy=policy)


def test_an_hour_away_loses_nothing_and_duplicates_nothing(systems: FakeGateway) -> None:
    # The morning ends now: what the destinations write themselves (the postal booking's
    # message to the applicant) is dated by the real clock, and the last pass is now.
    start = (timezone.now() - OUTAGE - SETTLE).replace(second=0, microsecond=0)
    world = make_world()
    mail.outbox = []
    down(systems, True)
    dossiers = work(world, start)
    run_worker(start, start + OUTAGE - dt.timedelta(minutes=1))

    # While away: nothing reached anyone, nothing was given up, every try is counted.
    assert systems.requests == [] and mail.outbox == []
    assert SentNotice.objects.count() == 0
    messages = OutboxMessage.objects.all()
    assert {m.state for m in messages} == {"pending"}
    assert max(m.attempts for m in messages) < Policy.from_settings().max_attempts

    # Back, but the answers to the first requests are lost.
    down(systems, False)
    systems.lose_answers = 3
    run_worker(start + OUTAGE)

    messages = OutboxMessage.objects.all()
    assert {m.state for m in messages} == {"delivered"}, [
        (m.key, m.last_error) for m in messages if m.state != "delivered"
    ]
    assert systems.lose_answers == 0
    # Some request was sent again after its answer was lost: same key, nothing new.
    sent = Counter((r["path"], r["headers"]["Idempotency-Key"]) for r in systems.requests)
    assert max(sent.values()) > 1
    assert set(sent) == set(systems.accepted)

    # The integrator's webhook took each message once.
    hub = {key for path, key in systems.accepted if path == "/hub"}
    assert hub == {m.key for m in messages}

    # Each notice reached the applicant once by SMS (a key per notice) and once by e-mail.
    notices = SentNotice.objects.all()
    sms = {n.key for n in notices if n.channel == "sms"}
    assert {key for path, key in systems.accepted if path == "/sms"} == {f"{k}:sms" for k in sms}
    emails = {n.key for n in notices if n.channel == "email"}
    assert emails == sms and len(mail.outbox) == len(emails)
    by_key = {m.key: m.payload for m in messages}
    told = {by_key[key]["dossier"] for key in sms}
    assert told >= {d.code or d.pk for d in Dossier.objects.all()}  # everyone told

    # One shipment booked for the result by post, its tracking number kept and told.
    postal = [key for path, key in systems.accepted if path == "/postal"]
    assert postal == [f"postal:{dossiers[0].pk}"]
    shipment = PostalShipment.objects.get()
    assert (shipment.dossier_id, shipment.tracking_number) == (dossiers[0].pk, "EB000111222VN")
    assert f"postal.booked:{shipment.pk}" in sms

    # The national portal holds each received dossier's final state.
    newest: dict[str, str] = {}
    for request in systems.to("/national"):
        record = json.loads(request["body"])
        newest[record["MaHoSo"]] = record["motcua"]["status"]
    received = [d for d in Dossier.objects.order_by("pk") if d.code]
    assert newest == {d.code: d.status for d in received}
    assert NationalSync.objects.count() == len(received)
