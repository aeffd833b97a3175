"""Pre-aggregated facts: the incremental refresh gives the same cells as a rebuild, and
Biểu 06 on the facts equals Biểu 06 counted live, for past and current periods."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, at
from motcua.reports.bieu06 import RowsBy, bieu06
from motcua.reports.facts import facts_rebuild, facts_refresh, settle_time
from motcua.reports.models import FactCell
from motcua.reports.periods import date_range

from .conftest import Driver

PERIODS = [
    date_range(dt.date(2026, 3, 9), dt.date(2026, 3, 13)),
    date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 20)),
    date_range(dt.date(2026, 3, 23), dt.date(2026, 3, 27)),
    date_range(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
]


def _cells() -> set[tuple[Any, ...]]:
    return set(FactCell.objects.values_list(*[f.name for f in FactCell._meta.fields][1:]))


def _same_as_live(world: World) -> None:
    for period in PERIODS:
        for rows_by in RowsBy:
            live = bieu06(agency=world.home.root, period=period, rows_by=rows_by)
            facts = bieu06(agency=world.home.root, period=period, rows_by=rows_by, source="facts")
            assert facts.groups == live.groups, (period, rows_by)


def test_refresh_equals_rebuild_and_reports_agree(world: World, drive: Driver) -> None:
    d: dict[str, Dossier] = {}
    d["A"] = drive.counter(at(9, 9))
    d["H"] = drive.online(at(12, 9))
    d["F"] = drive.counter(at(9, 9, 20))
    call_command("refresh_facts", "--rebuild", stdout=io.StringIO())
    assert sum(FactCell.objects.values_list("n", flat=True)) == 3
    _same_as_live(world)

    # Later events: resolved late, supplement asked (clock stopped), withdrawn, rejected,
    # new receptions; the refresh folds in only the dossiers that changed.
    drive.resolve(d["A"], at(16, 10))
    drive.ask_supplement(d["H"], at(13, 9))
    drive.withdraw(d["F"], at(17, 9))
    d["G"] = drive.counter(at(10, 9))
    drive.reject(d["G"], at(18, 9))
    drive.give_back(d["G"], at(18, 15))
    d["B"] = drive.counter(at(16, 8))
    assert facts_refresh() == 5
    assert facts_refresh() == 0  # nothing new
    incremental = _cells()
    _same_as_live(world)

    assert facts_rebuild() == 5
    assert _cells() == incremental
    drive.supplement(d["H"], at(23, 9))
    call_command("refresh_facts", stdout=io.StringIO())
    _same_as_live(world)


def test_auto_counts_on_the_facts_only_for_periods_they_cover(world: World, drive: Driver) -> None:
    from motcua.reports.bieu06 import facts_cover
    from motcua.reports.models import FactWatermark
    from motcua.reports.periods import Period

    march = PERIODS[-1]
    assert not facts_cover(march)  # never refreshed
    drive.counter(at(9, 9))
    facts_rebuild()
    assert facts_cover(march)
    # Not at midnight, or ending less than the settle time before the last refresh (an
    # event of the period may not have committed yet): the facts may not hold it.
    assert not facts_cover(Period(march.start, march.end - dt.timedelta(hours=1)))
    settled = march.end + settle_time()
    FactWatermark.objects.filter(pk=1).update(refreshed_at=settled - dt.timedelta(seconds=1))
    assert not facts_cover(march)
    FactWatermark.objects.filter(pk=1).update(refreshed_at=settled)

    # An event folded in after the refresh is what tells the sources apart: "auto" reads
    # the facts for a covered period and counts live otherwise.
    drive.counter(at(10, 9))
    live = bieu06(agency=world.home.root, period=march)
    facts = bieu06(agency=world.home.root, period=march, source="facts")
    assert facts.groups != live.groups
    assert bieu06(agency=world.home.root, period=march, source="auto").groups == facts.groups
    FactWatermark.objects.filter(pk=1).update(refreshed_at=settled - dt.timedelta(seconds=1))
    assert bieu06(agency=world.home.root, period=march, source="auto").groups == live.groups
