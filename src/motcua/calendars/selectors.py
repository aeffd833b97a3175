"""The working calendar in force for an agency, built from the national base and the
editable overrides and schedules.

Scopes nest: national rows, then each ancestor agency's, then the agency's own; a nearer
scope's override of a date wins. Working sessions come from the nearest scope that defines
any schedule. Building a calendar precomputes holidays, so built calendars are cached per
process and rebuilt only when an override or schedule row changes. Whether one changed is
asked of the database (one query) at most every `MOTCUA_CALENDAR_RECHECK_SECONDS` (default
5) per agency: an edit of the calendar reaches every worker process within that time."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.caching import ProcessCache
from motcua.domain import calendar as domain_calendar

from .exceptions import UnknownAgency
from .models import CalendarOverride, WorkingSchedule

Key = tuple[int | None, tuple[Any, ...]]
_cache: dict[Key, domain_calendar.WorkingCalendar] = {}
# Per agency: the key its fingerprint gave when last read, kept for the recheck interval.
# One entry per agency, so the bound is not reached in practice; past it only the
# fingerprints are asked again (the calendars built stay in `_cache`).
_checked: ProcessCache[int | None, Key] = ProcessCache(
    recheck_setting="MOTCUA_CALENDAR_RECHECK_SECONDS", max_entries=20_000
)
_lock = threading.Lock()


def _agency_chain(agency: Agency | None) -> list[int]:
    """Agency ids from the root down to `agency`, read from its materialised path."""
    if agency is None:
        return []
    return [int(part) for part in agency.path.strip("/").split("/") if part]


def _fingerprint(chain: list[int]) -> tuple[Any, ...]:
    """How many override and schedule rows apply to the agency and when the last one
    changed, in one query."""
    where = "agency_id IS NULL" + (
        f" OR agency_id IN ({', '.join(['%s'] * len(chain))})" if chain else ""
    )
    parts = []
    for model in (CalendarOverride, WorkingSchedule):
        table = connection.ops.quote_name(model._meta.db_table)
        parts += [
            f"(SELECT COUNT(*) FROM {table} WHERE {where})",
            f"(SELECT MAX(updated_at) FROM {table} WHERE {where})",
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), chain * 4)
        row = cursor.fetchone()
    return (tuple(chain), *row)


def _build(chain: list[int]) -> domain_calendar.WorkingCalendar:
    depth = {agency_id: i + 1 for i, agency_id in enumerate(chain)}
    scope = Q(agency__isnull=True) | Q(agency__in=chain)

    overrides: dict[Any, tuple[int, domain_calendar.Override]] = {}
    for row in CalendarOverride.objects.filter(scope).only("day", "kind", "reason", "agency_id"):
        level = depth.get(row.agency_id, 0) if row.agency_id else 0
        if row.day not in overrides or overrides[row.day][0] <= level:
            overrides[row.day] = (
                level,
                domain_calendar.Override(
                    day=row.day, kind=domain_calendar.DayKind(row.kind), reason=row.reason
                ),
            )

    by_scope: dict[int, list[domain_calendar.Schedule]] = {}
    for schedule in WorkingSchedule.objects.filter(scope).only(
        "effective_from", "sessions", "agency_id"
    ):
        level = depth.get(schedule.agency_id, 0) if schedule.agency_id else 0
        by_scope.setdefault(level, []).append(
            domain_calendar.Schedule(
                effective_from=schedule.effective_from,
                sessions=domain_calendar.parse_sessions(schedule.sessions),
            )
        )
    if by_scope:
        schedules = sorted(by_scope[max(by_scope)], key=lambda s: s.effective_from)
        return domain_calendar.WorkingCalendar(
            schedules=schedules, overrides=[o for _, o in overrides.values()]
        )
    return domain_calendar.WorkingCalendar(overrides=[o for _, o in overrides.values()])


def calendar_for(agency: Agency | None = None) -> domain_calendar.WorkingCalendar:
    """The working calendar of `agency` (the national calendar when None)."""
    pk = agency.pk if agency else None
    chain = _agency_chain(agency)
    checked = _checked.fresh(pk)
    if checked is not None:
        fresh = _cache.get(checked)
        if fresh is not None and checked[1][0] == tuple(chain):
            return fresh
    key = (pk, _fingerprint(chain))
    cached = _cache.get(key)
    if cached is None:
        cached = _build(chain)
        with _lock:
            # Drop stale versions of this scope before keeping the new one.
            for old in [k for k in _cache if k[0] == pk]:
                del _cache[old]
            _cache[key] = cached
    _checked.put(pk, key)
    return cached


def calendar_for_code(agency_code: str | None) -> domain_calendar.WorkingCalendar:
    """The calendar of the agency with this electronic code; national when None."""
    if not agency_code:
        return calendar_for(None)
    try:
        agency = Agency.objects.get(code=agency_code)
    except Agency.DoesNotExist as exc:
        raise UnknownAgency(agency_code) from exc
    return calendar_for(agency)
