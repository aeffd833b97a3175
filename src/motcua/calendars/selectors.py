"""The working calendar in force for an agency, built from the national base and the
editable overrides and schedules.

Scopes nest: national rows, then each ancestor agency's, then the agency's own; a nearer
scope's override of a date wins. Working sessions come from the nearest scope that defines
any schedule. Building a calendar precomputes holidays, so built calendars are cached per
process and rebuilt only when an override or schedule row changes."""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max, Q

from motcua.agencies.models import Agency
from motcua.domain import calendar as domain_calendar

from .exceptions import UnknownAgency
from .models import CalendarOverride, WorkingSchedule

_cache: dict[tuple[int | None, tuple[Any, ...]], domain_calendar.WorkingCalendar] = {}
_lock = threading.Lock()


def _agency_chain(agency: Agency | None) -> list[int]:
    """Agency ids from the root down to `agency`, read from its materialised path."""
    if agency is None:
        return []
    return [int(part) for part in agency.path.strip("/").split("/") if part]


def _fingerprint(chain: list[int]) -> tuple[Any, ...]:
    scope = Q(agency__isnull=True) | Q(agency__in=chain)
    overrides = CalendarOverride.objects.filter(scope).aggregate(
        n=Count("id"), at=Max("updated_at")
    )
    schedules = WorkingSchedule.objects.filter(scope).aggregate(n=Count("id"), at=Max("updated_at"))
    return (tuple(chain), overrides["n"], overrides["at"], schedules["n"], schedules["at"])


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
    chain = _agency_chain(agency)
    key = (agency.pk if agency else None, _fingerprint(chain))
    cached = _cache.get(key)
    if cached is not None:
        return cached
    built = _build(chain)
    with _lock:
        # Drop stale versions of this scope before keeping the new one.
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = built
    return built


def calendar_for_code(agency_code: str | None) -> domain_calendar.WorkingCalendar:
    """The calendar of the agency with this electronic code; national when None."""
    if not agency_code:
        return calendar_for(None)
    try:
        agency = Agency.objects.get(code=agency_code)
    except Agency.DoesNotExist as exc:
        raise UnknownAgency(agency_code) from exc
    return calendar_for(agency)
