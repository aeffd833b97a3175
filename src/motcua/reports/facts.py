"""Pre-aggregated facts for Biểu 06: exact, rebuildable from the dossier rows, refreshed
incrementally from the dossier events.

`facts_rebuild()` recomputes every `DossierFact` and `FactCell`; `facts_refresh()` folds in
the dossiers that have events newer than the watermark: it takes each one's old cell back
and adds its new one. Both give the same cells (tested). `bieu06(source="facts")` counts on
the cells, reading live only the open dossiers whose clock ever stopped.

Events are numbered when inserted, not when committed: on PostgreSQL a refresh may read
event 101 while event 100's transaction is still running. So the watermark keeps the ids it
found missing below the greatest it read and looks for them again at each refresh, folding
in their dossiers once they commit; an id still missing after MOTCUA_FACTS_SETTLE_SECONDS
(300) belonged to a transaction that rolled back and is dropped. For the same reason a
period is counted on the facts (`bieu06.facts_cover`) only when it ended that long before a
refresh. Only a transaction that runs longer than that could be missed (until a rebuild).
Refreshes take the watermark's row lock, so they run one at a time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone

from motcua.domain.calendar import VN_TZ
from motcua.dossiers.models import Dossier, DossierEvent, Status, Timeliness
from motcua.procedures.models import Channel

from .bieu06 import clock_stopped_q
from .models import NO_DAY, DossierFact, FactCell, FactWatermark, Outcome

KEY = (
    "handling_agency_id",
    "procedure_id",
    "online",
    "received_day",
    "finished_day",
    "outcome",
    "due_day",
    "paused",
)
CHUNK = 5000
# A rebuild looks for missing event ids among at most this many of the newest: a
# transaction still running when it starts took its id that recently.
RECENT_IDS = 100_000
_COLUMNS = (
    "pk",
    "handling_agency_id",
    "procedure_id",
    "channel",
    "received_at",
    "finished_at",
    "status",
    "timeliness",
    "result_number",
    "due_at",
    "supplement_count",
    "paused_seconds",
    "paused_since",
)


def _day(moment: dt.datetime | None) -> dt.date:
    return moment.astimezone(VN_TZ).date() if moment is not None else NO_DAY


def _outcome(row: dict[str, Any]) -> str:
    """As Biểu 06 judges it: early / on time / late by date (`bieu06._late_by_date`)."""
    if row["finished_at"] is None:
        return Outcome.OPEN
    status = row["status"]
    if status == Status.WITHDRAWN:
        return Outcome.WITHDRAWN
    if status == Status.REJECTED or (status == Status.RETURNED and not row["result_number"]):
        return Outcome.REJECTED
    if row["timeliness"] == Timeliness.EARLY:
        return Outcome.EARLY
    if row["timeliness"] == Timeliness.LATE and _day(row["finished_at"]) > _day(row["due_at"]):
        return Outcome.LATE
    return Outcome.ON_TIME


def fact_of(row: dict[str, Any]) -> DossierFact:
    """The facts of one dossier row (the values of `_COLUMNS` and `stopped`: an event
    stopped its clock), as `bieu06` reads them. `paused` marks the dossiers whose due
    moment may have moved or whose clock may have stood still at a period end: Biểu 06
    reads their state at the end from their events; for the others it is `due_day`."""
    return DossierFact(
        dossier_id=row["pk"],
        handling_agency_id=row["handling_agency_id"],
        procedure_id=row["procedure_id"],
        online=row["channel"] == Channel.ONLINE,
        received_day=_day(row["received_at"]),
        finished_day=_day(row["finished_at"]),
        outcome=_outcome(row),
        due_day=_day(row["due_at"]),
        paused=bool(
            row["stopped"]
            or row["supplement_count"]
            or row["paused_seconds"]
            or row["paused_since"] is not None
        ),
    )


def _key(fact: DossierFact | FactCell) -> tuple[Any, ...]:
    return tuple(getattr(fact, name) for name in KEY)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _facts(ids: Iterable[int]) -> list[DossierFact]:
    stopped = DossierEvent.objects.filter(dossier=OuterRef("pk")).filter(clock_stopped_q())
    rows = (
        Dossier.objects.filter(pk__in=list(ids), received_at__isnull=False)
        .annotate(stopped=Exists(stopped))
        .values(*_COLUMNS, "stopped")
    )
    return [fact_of(row) for row in rows]


def _apply(deltas: Counter[tuple[Any, ...]]) -> None:
    for key, delta in deltas.items():
        if not delta:
            continue
        where = dict(zip(KEY, key, strict=True))
        if not FactCell.objects.filter(**where).update(n=F("n") + delta):
            FactCell.objects.create(**where, n=delta)
    FactCell.objects.filter(n=0).delete()


def settle_time() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.MOTCUA_FACTS_SETTLE_SECONDS))


def missing_ids(after: int, seen: Iterable[int]) -> list[int]:
    """The ids above `after` and below the greatest of `seen` that `seen` lacks."""
    missing: list[int] = []
    expected = after + 1
    for event_id in sorted(seen):
        if event_id > expected:
            missing.extend(range(expected, event_id))
        expected = max(expected, event_id + 1)
    return missing


def still_pending(
    pending: list[list[Any]],
    *,
    seen: set[int],
    missing: Iterable[int],
    now: dt.datetime,
    settle: dt.timedelta,
) -> list[list[Any]]:
    """The watermark's next `pending`: the ids it waited for that are still missing and have
    been for less than `settle`, and the ids newly `missing` (first seen `now`)."""
    waiting: dict[int, str] = {}
    for event_id, first_seen in pending:
        if event_id not in seen and now - dt.datetime.fromisoformat(first_seen) < settle:
            waiting[event_id] = first_seen
    for event_id in missing:
        waiting.setdefault(event_id, now.isoformat())
    return [[event_id, waiting[event_id]] for event_id in sorted(waiting)]


@transaction.atomic
def facts_rebuild(*, now: dt.datetime | None = None) -> int:
    """Recompute every fact and cell from the dossier rows. Returns the dossiers counted."""
    now = now or timezone.now()
    watermark, _created = FactWatermark.objects.select_for_update().get_or_create(pk=1)
    last = DossierEvent.objects.aggregate(m=Max("id"))["m"] or 0
    # Missing ids may belong to transactions still running: look above the newest event
    # recorded long enough ago that its transaction and all before it have committed.
    newest = DossierEvent.objects.filter(id__gt=max(0, last - RECENT_IDS), id__lte=last)
    settled = newest.filter(at__lt=now - 2 * settle_time()).aggregate(m=Max("id"))["m"]
    after = settled if settled is not None else max(0, last - RECENT_IDS)
    recent = set(newest.filter(id__gt=after).values_list("id", flat=True))
    DossierFact.objects.all().delete()
    FactCell.objects.all().delete()
    ids = list(
        Dossier.objects.filter(received_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    cells: Counter[tuple[Any, ...]] = Counter()
    for chunk in _chunks(ids):
        facts = _facts(chunk)
        DossierFact.objects.bulk_create(facts)
        cells.update(_key(f) for f in facts)
    FactCell.objects.bulk_create(
        FactCell(**dict(zip(KEY, key, strict=True)), n=n) for key, n in cells.items()
    )
    watermark.last_event_id = last
    watermark.pending = [[event_id, now.isoformat()] for event_id in missing_ids(after, recent)]
    watermark.refreshed_at = now
    watermark.save()
    return len(ids)


@transaction.atomic
def facts_refresh(*, now: dt.datetime | None = None) -> int:
    """Fold in the dossiers with events after the watermark or among those it waits for.
    Returns how many dossiers were folded in."""
    now = now or timezone.now()
    watermark, _created = FactWatermark.objects.select_for_update().get_or_create(pk=1)
    waited = [event_id for event_id, _first_seen in watermark.pending]
    # One statement, so one snapshot: an id below the greatest read and not read is missing.
    events = list(
        DossierEvent.objects.filter(
            Q(id__gt=watermark.last_event_id) | Q(id__in=waited)
        ).values_list("id", "dossier_id")
    )
    seen = {event_id for event_id, _dossier_id in events}
    newer = [event_id for event_id in seen if event_id > watermark.last_event_id]
    ids = sorted({dossier_id for _event_id, dossier_id in events})
    for chunk in _chunks(ids):
        deltas: Counter[tuple[Any, ...]] = Counter()
        old = list(DossierFact.objects.filter(dossier_id__in=chunk))
        for fact in old:
            deltas[_key(fact)] -= 1
        new = _facts(chunk)
        for fact in new:
            deltas[_key(fact)] += 1
        DossierFact.objects.filter(dossier_id__in=chunk).delete()
        DossierFact.objects.bulk_create(new)
        _apply(deltas)
    watermark.pending = still_pending(
        watermark.pending,
        seen=seen,
        missing=missing_ids(watermark.last_event_id, newer),
        now=now,
        settle=settle_time(),
    )
    watermark.last_event_id = max(newer, default=watermark.last_event_id)
    watermark.refreshed_at = now
    watermark.save()
    return len(ids)


def refresh_job() -> str:
    """The periodic refresh (see `integrations.jobs`)."""
    folded = facts_refresh()
    return f"{folded} dossier(s) folded in" if folded else ""


def paused_open_q(agency_ids: list[int], first_day_after: dt.date) -> Q:
    """Facts of the open dossiers at the period end whose clock stopped at some time."""
    return Q(
        paused=True,
        handling_agency_id__in=agency_ids,
        received_day__lt=first_day_after,
        finished_day__gte=first_day_after,
    )
