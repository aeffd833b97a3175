"""Booking the public postal service to carry a result to the applicant.

An applicant may ask for the result by post (bưu chính công ích, Decree 118/2025 Art. 15).
When such a dossier is resolved, or rejected (the written reasons go the same way), its
outbox message makes the worker book a shipment with the postal service's system, from the
agency that returns the result to the applicant's (or representative's) address, and keep
the tracking number it answers (`PostalShipment`): the desk hands the envelope to the
postman with it, the back office and the applicant's page show it.

Set `MOTCUA_POSTAL_SERVICE` (a Django setting or the environment variable; JSON):
`{"url": "https://bridge.example.gov.vn/vnpost/shipments", "secret": "...", "timeout": 10}`.
The request is a POST signed as the webhooks' (`X-Motcua-Signature`), keyed
`postal:<dossier id>` so that a retry books nothing twice:

    {"reference": "<dossier code>", "contents": "...", "sender": {"code", "name", "address",
     "phone"}, "recipient": {"name", "phone", "address"}}

and the answer a JSON object with the `tracking_number`. A province's bridge turns it into
its postal operator's API. Without the setting nothing is booked (the desk books by hand). A
dossier whose applicant gave no address is given up at once: the desk must call them.

The booking writes the outbox message `postal.booked`, which tells the applicant the
tracking number (`notices`); what the postal service reports afterwards is recorded by
`services.shipment_record_status`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Action, Dossier, ReturnChannel
from motcua.dossiers.selectors import event_of_message
from motcua.integrations.delivery import Endpoint, endpoint
from motcua.integrations.models import OutboxMessage
from motcua.integrations.notifications import DeliveryFailed

from .models import PostalShipment
from .services import announce

NAME = "postal-service"
# The actions that leave a paper for the applicant: the result, or the written reasons.
SHIPPED = (Action.RESOLVE, Action.REJECT)


def booking(dossier: Dossier) -> dict[str, Any]:
    """What the postal service is asked to carry (see the module docstring)."""
    agency = dossier.receiving_unit or dossier.handling_agency
    return {
        "reference": dossier.code,
        "contents": f"Kết quả giải quyết thủ tục hành chính: {dossier.procedure.name}",
        "sender": {
            "code": agency.code,
            "name": agency.name,
            "address": agency.address,
            "phone": agency.phone,
        },
        "recipient": {
            "name": dossier.representative_name or dossier.applicant_name,
            "phone": dossier.representative_phone or dossier.applicant_phone,
            "address": dossier.applicant_address,
        },
    }


@dataclass(frozen=True)
class PostalService:
    """The outbox destination that books the shipments of results."""

    endpoint: Endpoint
    name: str = NAME

    def accepts(self, topic: str) -> bool:
        return topic.startswith("dossier.")

    def send(self, message: OutboxMessage) -> None:
        event = event_of_message(message.payload)
        if event is None or event.action not in SHIPPED:
            return
        dossier = event.dossier
        if dossier.requested_return_channel != ReturnChannel.POSTAL:
            return
        if PostalShipment.objects.filter(dossier=dossier).exists():
            return  # booked already (a delivered message sent again)
        request = booking(dossier)
        if not request["recipient"]["address"]:
            raise DeliveryFailed("the applicant gave no address for the post", final=True)
        answer = self.endpoint.post(
            request, key=f"postal:{dossier.pk}", user_agent="motcua-postal/1"
        )
        try:
            tracking = str(json.loads(answer)["tracking_number"]).strip()
        except (ValueError, KeyError, TypeError):
            tracking = ""
        if not tracking or len(tracking) > 64:
            raise DeliveryFailed("the postal service answered no tracking number", final=True)
        booked_at = timezone.now()
        try:
            with transaction.atomic():
                shipment = PostalShipment.objects.create(
                    dossier=dossier,
                    tracking_number=tracking,
                    booked_at=booked_at,
                    status_at=booked_at,
                    recipient=request["recipient"]["name"],
                    address=request["recipient"]["address"],
                )
                announce(shipment)  # the applicant learns the tracking number
        except IntegrityError:
            if PostalShipment.objects.filter(dossier=dossier).exists():
                return  # another worker recorded the same booking (its key is ours)
            raise DeliveryFailed(
                f"the postal service answered tracking number {tracking}, "
                "which another dossier's shipment has",
                final=True,
            ) from None


def postal_service() -> PostalService | None:
    """The destination `MOTCUA_POSTAL_SERVICE` sets, None without it."""
    found = endpoint("MOTCUA_POSTAL_SERVICE")
    return PostalService(found) if found else None
