"""The facts' refresh and events that commit after events numbered above them."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Max

from motcua.domain.calendar import VN_TZ
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import World, at, make_world
from motcua.reports.facts import (
    facts_rebuild,
    facts_refresh,
    missing_ids,
    settle_time,
    still_pending,
)
from motcua.reports.models import FactCell, FactWatermark

from .conftest import Driver

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
SETTLE = dt.timedelta(minutes=5)


def _cells() -> set[tuple[object, ...]]:
    return set(FactCell.objects.values_list(*[f.name for f in FactCell._meta.fields][1:]))


def _last_event_id() -> int:
    return int(DossierEvent.objects.aggregate(m=Max("id"))["m"])


def test_missing_ids_are_the_holes_below_the_greatest_seen() -> None:
    assert missing_ids(10, [11, 14, 12, 17]) == [13, 15, 16]
    assert missing_ids(10, [13]) == [11, 12]
    assert missing_ids(10, []) == []
    assert missing_ids(10, [9, 11]) == []  # a waited-for id below the watermark


def test_an_id_is_waited_for_until_it_comes_or_the_settle_time_passes() -> None:
    first = still_pending([], seen=set(), missing=[13, 15], now=NOW, settle=SETTLE)
    assert first == [[13, NOW.isoformat()], [15, NOW.isoformat()]]

    # 13 came; 15 is still missing, and 21 is newly missing.
    later = NOW + dt.timedelta(minutes=4)
    second = still_pending(first, seen={13, 20, 22}, missing=[21], now=later, settle=SETTLE)
    assert second == [[15, NOW.isoformat()], [21, later.isoformat()]]

    # 15 never comes: its transaction rolled back.
    third = still_pending(second, seen=set(), missing=[], now=NOW + SETTLE, settle=SETTLE)
    assert third == [[21, later.isoformat()]]


def test_a_refresh_folds_in_the_dossier_of_an_event_it_waited_for(
    world: World, drive: Driver
) -> None:
    a = drive.counter(at(9, 9))
    drive.counter(at(9, 10))
    facts_rebuild(now=NOW)
    drive.resolve(a, at(10, 9))
    resolution = DossierEvent.objects.filter(dossier=a).order_by("id")[1:]
    # As if the last refresh had read a later event while the resolution's transaction was
    # still running: the watermark is past its events and waits for them.
    FactWatermark.objects.filter(pk=1).update(
        last_event_id=_last_event_id(),
        pending=[[event.pk, NOW.isoformat()] for event in resolution],
    )
    stale = _cells()

    assert facts_refresh(now=NOW + dt.timedelta(minutes=1)) == 1

    folded = _cells()
    assert folded != stale
    assert FactWatermark.objects.get().pending == []
    facts_rebuild(now=NOW + dt.timedelta(minutes=2))
    assert _cells() == folded


def test_a_rebuild_waits_for_the_ids_missing_among_the_newest(world: World, drive: Driver) -> None:
    drive.counter(at(9, 9))  # long settled: the ids below its events are not looked for
    settled = _last_event_id()
    drive.counter((NOW - dt.timedelta(minutes=1)).astimezone(VN_TZ))
    last = _last_event_id()
    # An id taken by a transaction still running (or rolled back) below the newest.
    DossierEvent.objects.filter(pk=last).update(id=last + 2)

    facts_rebuild(now=NOW)

    watermark = FactWatermark.objects.get()
    assert settled < last
    assert watermark.last_event_id == last + 2
    assert watermark.pending == [[last, NOW.isoformat()], [last + 1, NOW.isoformat()]]
    assert facts_refresh(now=NOW + settle_time()) == 0
    assert FactWatermark.objects.get().pending == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_an_event_committed_after_a_refresh_read_a_newer_one_is_folded_in() -> None:
    world = make_world()
    drive = Driver(world)
    slow, quick = drive.counter(at(9, 9)), drive.counter(at(9, 10))
    facts_refresh()
    numbered, refreshed = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def resolve_slowly() -> None:
        try:
            with transaction.atomic():
                drive.resolve(Dossier.objects.get(pk=slow.pk), at(10, 9))
                numbered.set()  # its events have ids; it has not committed
                assert refreshed.wait(30)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            numbered.set()
        finally:
            connection.close()

    thread = threading.Thread(target=resolve_slowly)
    thread.start()
    assert numbered.wait(30)
    drive.withdraw(Dossier.objects.get(pk=quick.pk), at(10, 10))  # numbered above, committed
    facts_refresh()
    missed = FactWatermark.objects.get()
    refreshed.set()
    thread.join()
    assert failures == []

    assert missed.pending  # the resolution's events were missing at that refresh
    assert facts_refresh() == 1
    folded = _cells()
    facts_rebuild()
    assert _cells() == folded
    assert FactWatermark.objects.get().pending == []
