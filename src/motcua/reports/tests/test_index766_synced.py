"""Indicator 1.4 of the 766 index: the dossiers received in the period that the national
portal took a record of (`national.sync`, posted to a local fake of the connector)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import MONDAY, World, drive
from motcua.integrations.tests.fakes import FakeGateway, gateway
from motcua.national.tests.test_sync import sync
from motcua.reports.index766 import index766, index766_dossiers
from motcua.reports.periods import date_range

__all__ = ["gateway"]  # the fixture


def test_indicator_1_4_counts_the_dossiers_received_in_the_period_that_were_synced(
    world: World, gateway: FakeGateway
) -> None:
    first = drive(world, Status.PROCESSING, walk_in=True, start=MONDAY)
    sync(gateway)
    drive(world, Status.PROCESSING, walk_in=True, start=MONDAY + dt.timedelta(hours=1))
    week = date_range(dt.date(2026, 3, 9), dt.date(2026, 3, 13))

    item = index766(agency=world.home.root, period=week).indicator("1.4")

    assert (item.numerator, item.denominator) == (1, 2)
    assert item.rate == Decimal("50.00") and item.score == Decimal("3.00")  # 6 x 50 %
    rows = index766_dossiers(world.home.root, week, "1.4")
    assert [d.pk for d in rows] == [first.pk]
