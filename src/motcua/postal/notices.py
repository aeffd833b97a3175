"""What the applicant is told of their result's journey by post, by SMS and e-mail: the
tracking number once the shipment is booked, and that the postal service could not deliver
it and brought it back to the agency, where they may collect it. Sent by the outbox worker
through `integrations.notices`, from the messages `postal.booked` and `postal.returned`
(`services.announce`), to the contacts of the dossier as the dossier's notices are."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from motcua.dossiers.notices import to_applicant
from motcua.integrations.models import OutboxMessage
from motcua.integrations.notices import Notice, NoticeDestination, Wording

from .models import PostalShipment, ShipmentStatus

NAME = "postal-notices"
TOPICS = tuple(f"postal.{status}" for status in (ShipmentStatus.BOOKED, ShipmentStatus.RETURNED))

TEXTS: dict[str, Wording] = {
    ShipmentStatus.BOOKED: Wording(
        gettext_lazy("Dossier %(code)s: the result is on its way by post"),
        gettext_lazy(
            "The result of dossier %(code)s was sent by post, tracking number %(tracking)s."
        ),
        gettext_lazy(
            "The result of your dossier %(code)s for the procedure “%(procedure)s” was "
            "handed to the postal service for %(address)s. Tracking number: %(tracking)s."
        ),
    ),
    ShipmentStatus.RETURNED: Wording(
        gettext_lazy("Dossier %(code)s: the post could not deliver the result"),
        gettext_lazy(
            "The post could not deliver the result of dossier %(code)s (%(tracking)s); "
            "collect it at %(agency)s."
        ),
        gettext_lazy(
            "The postal service could not deliver the result of your dossier %(code)s "
            "(tracking number %(tracking)s) and brought it back%(reason)s. Please collect "
            "it at %(agency)s, with the receipt and your identity document."
        ),
    ),
}


def postal_notices() -> NoticeDestination:
    """The outbox destination of the applicants' postal notices (`PostalConfig`)."""
    return NoticeDestination(name=NAME, topics=TOPICS, compose=compose)


def compose(message: OutboxMessage) -> list[Notice]:
    payload = message.payload if isinstance(message.payload, dict) else {}
    status = payload.get("status")
    shipment = (
        PostalShipment.objects.select_related(
            "dossier", "dossier__procedure", "dossier__handling_agency", "dossier__receiving_unit"
        )
        .filter(tracking_number=str(payload.get("tracking_number", "")))
        .first()
    )
    if shipment is None or status not in TEXTS:
        return []
    dossier = shipment.dossier
    desk = dossier.receiving_unit or dossier.handling_agency
    note = shipment.status_note if status == ShipmentStatus.RETURNED else ""
    with translation.override(settings.LANGUAGE_CODE):
        text = TEXTS[status].fill(
            {
                "code": dossier.code or "",
                "tracking": shipment.tracking_number,
                "procedure": dossier.procedure.name,
                "address": shipment.address,
                "agency": desk.name,
                "reason": f" ({note})" if note else "",
            }
        )
        return to_applicant(dossier, text)
