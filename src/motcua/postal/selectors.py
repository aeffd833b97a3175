"""Reads of the postal shipments, through the dossiers' permissions."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User

from motcua.dossiers.selectors import visible_to

from .models import PostalShipment, ShipmentStatus

# What the desk must act on: the result came back, or an attempt to deliver it failed.
FOR_THE_DESK = (ShipmentStatus.RETURNED, ShipmentStatus.DELIVERY_FAILED)
LISTED = 200


def shipments_for_the_desk(
    user: User | AnonymousUser, *, now: dt.datetime, days: int
) -> list[PostalShipment]:
    """The shipments of the dossiers `user` may see that came back to the agency or could
    not be delivered, reported in the last `days` days, the latest first."""
    return list(
        PostalShipment.objects.filter(
            dossier__in=visible_to(user),
            status__in=FOR_THE_DESK,
            status_at__gte=now - dt.timedelta(days=days),
        )
        .select_related("dossier")
        .order_by("-status_at", "-pk")[:LISTED]
    )
