"""What the postal service reports about a shipment after booking: in transit, a delivery
attempt that failed, delivered, or returned to the agency (chuyển hoàn).

The province's bridge to its postal operator posts each report to the API (see
`docs/postal.md`); `shipment_record_status` keeps the newest: a report older than the one
kept changes nothing, and the same report twice changes nothing, so the bridge may send
again and in any order. The applicant is told when the result could not be delivered and
went back to the agency (the outbox message `postal.returned`, see `notices`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.integrations.services import outbox_enqueue

from .exceptions import InvalidReport, ShipmentNotFound
from .models import PostalShipment, ShipmentStatus

# How far ahead of our clock a reported moment may be (the operator's clock drifts).
CLOCK_SLACK = dt.timedelta(minutes=5)
# The reports that write an outbox message (for the applicant's notice and the webhooks).
ANNOUNCED = (ShipmentStatus.BOOKED, ShipmentStatus.RETURNED)


def announce(shipment: PostalShipment) -> None:
    """Write the outbox message of the shipment's status, when it has one (see ANNOUNCED);
    call inside the transaction that changed it."""
    if shipment.status not in ANNOUNCED:
        return
    at = timezone.localtime(shipment.status_at).isoformat()
    outbox_enqueue(
        topic=f"postal.{shipment.status}",
        key=f"postal.{shipment.status}:{shipment.pk}",
        payload={
            "dossier": shipment.dossier.code,
            "tracking_number": shipment.tracking_number,
            "status": shipment.status,
            "at": at,
        },
        now=shipment.status_at,
    )


def shipment_record_status(
    *,
    tracking_number: str,
    status: str,
    at: dt.datetime,
    note: str = "",
    now: dt.datetime | None = None,
) -> PostalShipment:
    """Record the postal service's report that the shipment `tracking_number` reached
    `status` at `at` (see the module docstring). Returns the shipment as it is now."""
    now = now or timezone.now()
    if status not in ShipmentStatus.values or status == ShipmentStatus.BOOKED:
        raise InvalidReport(
            _("Unknown status: use one of %(statuses)s.")
            % {"statuses": ", ".join(s for s in ShipmentStatus.values if s != "booked")}
        )
    if timezone.is_naive(at):
        raise InvalidReport(_("The moment needs its offset, e.g. 2026-03-02T08:30:00+07:00."))
    if at > now + CLOCK_SLACK:
        raise InvalidReport(_("The moment of the report is in the future."))
    with transaction.atomic():
        shipment = (
            PostalShipment.objects.select_for_update()
            .select_related("dossier")
            .filter(tracking_number=tracking_number.strip())
            .first()
        )
        if shipment is None:
            raise ShipmentNotFound()
        if at < shipment.booked_at:
            raise InvalidReport(_("The moment of the report is before the booking."))
        if at < shipment.status_at or (at == shipment.status_at and status == shipment.status):
            return shipment  # older news, or the same report again
        shipment.status, shipment.status_at, shipment.status_note = status, at, note.strip()[:500]
        shipment.save(update_fields=["status", "status_at", "status_note"])
        announce(shipment)
    return shipment
