"""Migration 0002: the shipments booked before it are "handed to the postal service" since
their booking."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.integrations.tests.conftest import apps_at, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shipment_booked_before_is_handed_to_the_post_since_its_booking() -> None:
    booked = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    try:
        old = apps_at([("postal", "0001_initial")])
        old.get_model("postal", "PostalShipment").objects.create(
            dossier_id=41, tracking_number="EB1VN", booked_at=booked, recipient="A", address="B"
        )
        new = apps_at([("postal", "0002_shipment_status")])
        shipment = new.get_model("postal", "PostalShipment").objects.get(dossier_id=41)
        assert (shipment.status, shipment.status_at, shipment.status_note) == (
            "booked",
            booked,
            "",
        )
    finally:
        migrate_to_latest()
