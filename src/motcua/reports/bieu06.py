"""Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP): results of handling administrative procedures,
for one period and one agency subtree, by field (lĩnh vực) or by agency, grouped by level.

Columns (DOMAIN.md section 3), counted in SQL with conditional aggregates:

    (3) received = (4) online + (5) counter and postal, received in the period
                 + (6) carried over (received before the period, not finished before it)
    (7) resolved in the period = (8) early + (9) on time + (10) late
    (11) in progress at the period end = (12) in time + (13) overdue
    (14) withdrawn (stopped at the applicant's request, Mẫu 05) in the period: outside
         (3)..(13), so that (3) = (4)+(5)+(6) = (7)+(11) hold on every row.

Early / on time / late compare the finishing date with the due date (Vietnam's time), as
section 3 says: finishing on the due date is on time at any hour. The state of a dossier
still in progress at the period end is read from its last event before the end: in time
while its clock stood still then (waiting for a supplement, or for opinions or a payment
that do not count), overdue when the legal due moment that event left (`to_due_at`) was
before the end. Timeliness is always judged against the legal due moment (the receipt's,
moved by the time the clock stood still), never against the new appointment of an
apology (`extended_due_at`)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencyLevel
from motcua.domain.calendar import VN_TZ
from motcua.domain.text import fold
from motcua.dossiers.models import Dossier, DossierEvent, Status, Timeliness
from motcua.procedures.models import Channel, Field, Procedure

from .periods import Period


class RowsBy(enum.StrEnum):
    FIELD = "field"
    AGENCY = "agency"


class LevelGroup(enum.StrEnum):
    """Row groups of the form, in their order: ministry, province (departments, centre),
    district (before 1/7/2025), commune, other."""

    MINISTRY = "ministry"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            LevelGroup.MINISTRY: _("Ministry level"),
            LevelGroup.PROVINCE: _("Province level (departments, boards, sectors)"),
            LevelGroup.DISTRICT: _("District level"),
            LevelGroup.COMMUNE: _("Commune level (communes, wards, special zones)"),
            LevelGroup.OTHER: _("Other agencies"),
        }[self]


# The Biểu 06 row group of each agency level (also used by Biểu II.07b and the operational views).
LEVEL_GROUP = {
    AgencyLevel.MINISTRY: LevelGroup.MINISTRY,
    AgencyLevel.PROVINCE: LevelGroup.PROVINCE,
    AgencyLevel.DEPARTMENT: LevelGroup.PROVINCE,
    AgencyLevel.SERVICE_CENTER: LevelGroup.PROVINCE,
    AgencyLevel.DISTRICT: LevelGroup.DISTRICT,
    AgencyLevel.COMMUNE: LevelGroup.COMMUNE,
}


@dataclass(frozen=True)
class Counts:
    """One line of the form: columns (3) to (14)."""

    received: int = 0  # (3)
    online: int = 0  # (4)
    counter_postal: int = 0  # (5)
    carried_over: int = 0  # (6)
    resolved: int = 0  # (7)
    early: int = 0  # (8)
    on_time: int = 0  # (9)
    late: int = 0  # (10)
    in_progress: int = 0  # (11)
    in_time: int = 0  # (12)
    overdue: int = 0  # (13)
    withdrawn: int = 0  # (14), extra column

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in COLUMNS)

    @property
    def identities_hold(self) -> bool:
        return (
            self.received
            == self.online + self.counter_postal + self.carried_over
            == self.resolved + self.in_progress
            and self.resolved == self.early + self.on_time + self.late
            and self.in_progress == self.in_time + self.overdue
        )

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved, in per cent; None when nothing was resolved."""
        if not self.resolved:
            return None
        return round(100 * (self.early + self.on_time) / self.resolved, 2)


# Column names in the order of the form, numbered from (3).
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Counts))
COLUMN_NUMBERS: dict[str, int] = {name: i + 3 for i, name in enumerate(COLUMNS)}


@dataclass(frozen=True)
class Row:
    key: int | None  # field id or agency id (None: field not stated)
    label: str
    counts: Counts


@dataclass(frozen=True)
class Group:
    level: LevelGroup
    rows: list[Row]

    @property
    def label(self) -> str:
        return self.level.label

    @property
    def counts(self) -> Counts:
        return sum((r.counts for r in self.rows), Counts())


@dataclass(frozen=True)
class Bieu06:
    agency_id: int
    agency_name: str
    period: Period
    rows_by: RowsBy
    groups: list[Group] = field(default_factory=list)

    @property
    def totals(self) -> Counts:
        return sum((g.counts for g in self.groups), Counts())


# --- the counting rules, as SQL conditions ----------------------------------------------------


def clock_stopped_q() -> Q:
    """Events whose status after them stops the clock: waiting for the applicant's
    supplement, or for opinions or a payment when the procedure version says they do not
    count."""
    return (
        Q(to_status=Status.AWAITING_SUPPLEMENT)
        | Q(
            to_status=Status.CONSULTING,
            dossier__procedure_version__consultation_counts_toward_deadline=False,
        )
        | Q(
            to_status=Status.AWAITING_PAYMENT,
            dossier__procedure_version__payment_counts_toward_deadline=False,
        )
    )


def _state_at(end: dt.datetime) -> Subquery:
    """1 if the outer dossier was overdue at `end` by the state its last event before `end`
    left it in, else 0: in time while its clock stood still (waiting for a supplement, or
    for opinions or a payment that do not count: DOMAIN.md section 3), overdue when the due
    moment after that event (`to_due_at`) was before `end`. Exact for dossiers paused
    across the period end, resumed before it, paused again after it, extended (an apology
    never moves the legal due moment).

    Events written before `to_due_at` existed have none: those read the dossier's current
    legal due moment, which is never earlier than the one at `end` (they can only be
    counted in time when they were overdue)."""
    state = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), at__lt=end)
        .order_by("-at", "-id")
        .annotate(
            overdue=Case(
                When(clock_stopped_q(), then=Value(0)),
                When(to_due_at__lt=end, then=Value(1)),
                When(to_due_at__isnull=True, dossier__due_at__lt=end, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("overdue")[:1]
    )
    return Subquery(state, output_field=IntegerField())


def _maybe_overdue(end: dt.datetime) -> Q:
    """The open dossiers whose state at `end` must be read from the events: those whose
    first due moment (the receipt's) was before `end`. Due moments only move later, so the
    others were in time at `end` whatever happened to them."""
    return Q(initial_due_at__lt=end)


def _overdue_at(end: dt.datetime) -> Case:
    """1 when a dossier still in progress at `end` was past its due moment then, else 0
    (no due moment: in time)."""
    return Case(
        # Finished before `end`: not in progress then (the cheap tests come first, so the
        # events are read only for the few dossiers still open at `end`).
        When(finished_at__lt=end, then=Value(0)),
        When(due_at__isnull=True, then=Value(0)),
        When(~_maybe_overdue(end), then=Value(0)),
        default=Coalesce(_state_at(end), Value(0)),
        output_field=IntegerField(),
    )


def _late_by_date() -> Q:
    """Finished on a later date than the due date (Vietnam's time). Biểu 06 compares at
    date precision (DOMAIN.md section 3): finishing on the due date after the due hour is
    on time in the form, though the dossier's own timeliness says late."""
    later_date = GreaterThan(
        TruncDate("finished_at", tzinfo=VN_TZ), TruncDate("due_at", tzinfo=VN_TZ)
    )
    return Q(timeliness=Timeliness.LATE) & Q(later_date)


def rejected_q() -> Q:
    """Not resolved on the merits (written reasons): counted as resolved on time. Once the
    refusal letter is returned the status is `returned` like a result; a rejection issues
    no result number (`dossier_resolve` requires one), which tells them apart."""
    return Q(status=Status.REJECTED) | Q(status=Status.RETURNED, result_number="")


def column_conditions(period: Period) -> dict[str, Q]:
    """For each column, the condition a dossier of the population must meet to count in it.
    Conditions on `overdue_flag` need the annotation of `population()`."""
    start, end = period.start, period.end
    withdrawn = Q(status=Status.WITHDRAWN, finished_at__lt=end)
    counted = ~withdrawn
    new = counted & Q(received_at__gte=start)
    resolved = counted & Q(finished_at__gte=start, finished_at__lt=end)
    in_progress = counted & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    judged = resolved & ~rejected_q()
    early = judged & Q(timeliness=Timeliness.EARLY)
    late = judged & _late_by_date()
    return {
        "received": counted,
        "online": new & Q(channel=Channel.ONLINE),
        "counter_postal": new & ~Q(channel=Channel.ONLINE),
        "carried_over": counted & Q(received_at__lt=start),
        "resolved": resolved,
        "early": early,
        # Rejections, dossiers without a due moment and those finished on the due date
        # count as on time.
        "on_time": resolved & ~(early | late),
        "late": late,
        "in_progress": in_progress,
        "in_time": in_progress & Q(overdue_flag=0),
        "overdue": in_progress & Q(overdue_flag=1),
        "withdrawn": withdrawn,
    }


def population(agency: Agency, period: Period) -> QuerySet[Dossier]:
    """Dossiers the form speaks of: handled by `agency` or an agency under it, received
    before the period end and not finished before its start."""
    return (
        Dossier.objects.filter(
            handling_agency__path__startswith=agency.path,
            received_at__lt=period.end,
        )
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=period.start))
        .annotate(overdue_flag=_overdue_at(period.end))
    )


def bieu06_dossiers(agency: Agency, period: Period, column: str) -> QuerySet[Dossier]:
    """The dossiers behind one number of the form (drill-down)."""
    conditions = column_conditions(period)
    if column not in conditions:
        raise ValueError(f"unknown column {column!r}")
    return population(agency, period).filter(conditions[column])


def _agencies(agency: Agency) -> dict[int, tuple[str, str]]:
    """Id -> (level, name) of `agency` and every agency under it."""
    rows = Agency.objects.filter(path__startswith=agency.path).values_list("pk", "level", "name")
    return {pk: (level, name) for pk, level, name in rows}


def _subtree_population(agency_ids: Iterable[int], period: Period) -> QuerySet[Dossier]:
    """`population()` by the ids of the subtree: no join, so that the aggregate reads the
    dossier rows alone (the (handling_agency, received_at) index)."""
    return Dossier.objects.filter(
        handling_agency_id__in=list(agency_ids), received_at__lt=period.end
    ).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=period.start))


def _count_lines(agency_ids: Iterable[int], period: Period) -> dict[tuple[int, int], Counts]:
    """Counts per (handling agency, procedure), in two aggregate queries.

    The first counts every column over all the dossiers, settling as in time the open ones
    whose first due moment was after the period end (or that have none); the second reads
    the events of the other open ones (`_state_at`), usually a small share."""
    end = period.end
    conditions = column_conditions(period)
    in_progress = conditions["in_progress"]
    undecided = in_progress & Q(due_at__isnull=False) & _maybe_overdue(end)
    bulk = {name: q for name, q in conditions.items() if name not in ("in_time", "overdue")}
    bulk["in_time"] = in_progress & ~undecided
    population = _subtree_population(agency_ids, period)
    keys = ("handling_agency_id", "procedure_id")
    lines: dict[tuple[int, int], Counts] = {}
    for line in (
        population.values(*keys)
        .annotate(**{name: Count("pk", filter=q) for name, q in bulk.items()})
        .order_by()
    ):
        values: dict[str, Any] = dict(line)
        lines[(values[keys[0]], values[keys[1]])] = Counts(
            **{name: values.get(name, 0) for name in COLUMNS}
        )
    for line in (
        population.filter(undecided)
        .annotate(overdue_flag=Coalesce(_state_at(end), Value(0)))
        .values(*keys)
        .annotate(
            in_time=Count("pk", filter=Q(overdue_flag=0)),
            overdue=Count("pk", filter=Q(overdue_flag=1)),
        )
        .order_by()
    ):
        values = dict(line)
        key = (values[keys[0]], values[keys[1]])
        lines[key] = lines[key] + Counts(in_time=values["in_time"], overdue=values["overdue"])
    return lines


def _at_midnight(moment: dt.datetime) -> bool:
    local = moment.astimezone(VN_TZ)
    return local.time() == dt.time(0, 0)


def _count_lines_from_facts(
    agency_ids: Iterable[int], period: Period
) -> dict[tuple[int, int], Counts]:
    """`_count_lines` on the pre-aggregated cells (`reports.facts`), whose days stand for
    the moments of a period that starts and ends at midnight; the open dossiers whose
    clock ever stopped are split into in time / overdue live, as in `_count_lines`."""
    from .facts import paused_open_q
    from .models import DossierFact, FactCell, Outcome

    ids = list(agency_ids)
    s, e = period.first_day, period.last_day + dt.timedelta(days=1)
    withdrawn = Q(outcome=Outcome.WITHDRAWN, finished_day__lt=e)
    counted = ~withdrawn
    new = counted & Q(received_day__gte=s)
    resolved = counted & Q(finished_day__lt=e)
    in_progress = counted & Q(finished_day__gte=e)
    plain = in_progress & Q(paused=False)
    columns = {
        "received": counted,
        "online": new & Q(online=True),
        "counter_postal": new & Q(online=False),
        "carried_over": counted & Q(received_day__lt=s),
        "resolved": resolved,
        "early": resolved & Q(outcome=Outcome.EARLY),
        "on_time": resolved & Q(outcome__in=[Outcome.ON_TIME, Outcome.REJECTED]),
        "late": resolved & Q(outcome=Outcome.LATE),
        "in_progress": in_progress,
        "in_time": plain & Q(due_day__gte=e),
        "overdue": plain & Q(due_day__lt=e),
        "withdrawn": withdrawn,
    }
    keys = ("handling_agency_id", "procedure_id")
    cells = (
        FactCell.objects.filter(handling_agency_id__in=ids, received_day__lt=e, finished_day__gte=s)
        .values(*keys)
        # Prefixed: "online" is also a column of the cells.
        .annotate(**{f"c_{name}": Sum("n", filter=q, default=0) for name, q in columns.items()})
        .order_by()
    )
    lines: dict[tuple[int, int], Counts] = {}
    for line in cells:
        values: dict[str, Any] = dict(line)
        lines[(values[keys[0]], values[keys[1]])] = Counts(
            **{name: values[f"c_{name}"] for name in COLUMNS}
        )
    paused = DossierFact.objects.filter(paused_open_q(ids, e)).values("dossier_id")
    for line in (
        Dossier.objects.filter(pk__in=paused)
        .annotate(overdue_flag=_overdue_at(period.end))
        .values(*keys)
        .annotate(
            in_time=Count("pk", filter=Q(overdue_flag=0)),
            overdue=Count("pk", filter=Q(overdue_flag=1)),
        )
        .order_by()
    ):
        values = dict(line)
        key = (values[keys[0]], values[keys[1]])
        extra = Counts(in_time=values["in_time"], overdue=values["overdue"])
        lines[key] = lines.get(key, Counts()) + extra
    return lines


def facts_cover(period: Period) -> bool:
    """Whether the pre-aggregated facts count `period` exactly as the live query does."""
    from .models import FactWatermark

    if not (_at_midnight(period.start) and _at_midnight(period.end)):
        return False
    from .facts import settle_time

    refreshed = FactWatermark.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    # Every event recorded before the period's end had committed by the refresh.
    return refreshed is not None and refreshed >= period.end + settle_time()


def bieu06(
    *,
    agency: Agency,
    period: Period,
    rows_by: RowsBy | str = RowsBy.FIELD,
    source: str = "live",
) -> Bieu06:
    """The form for `agency` and its subtree over `period`, one row per field (or per
    handling agency), grouped by the level of the handling agency.

    Two aggregate queries over the dossier rows (see `_count_lines`), grouped by handling
    agency and procedure; those lines, a few per agency and procedure, are then added up
    into the form's rows with the agencies' levels and the procedures' fields.

    `source="facts"` counts on the pre-aggregated facts instead (`reports.facts`; refresh
    them first), for periods that start and end at midnight; otherwise it counts live.
    `source="auto"` counts on the facts when they give the same numbers as live: the period
    starts and ends at midnight and ended before the facts' last refresh (every event before
    its end is folded in); otherwise live."""
    rows_by = RowsBy(rows_by)
    agencies = _agencies(agency)
    if source == "auto":
        source = "facts" if facts_cover(period) else "live"
    if source == "facts" and _at_midnight(period.start) and _at_midnight(period.end):
        lines = _count_lines_from_facts(agencies, period)
    else:
        lines = _count_lines(agencies, period)
    fields_of = dict(
        Procedure.objects.filter(pk__in={p for _a, p in lines}).values_list("pk", "field_id")
    )
    by_row: dict[tuple[LevelGroup, int | None], Counts] = {}
    for (agency_id, procedure_id), counts in lines.items():
        level = LEVEL_GROUP.get(AgencyLevel(agencies[agency_id][0]), LevelGroup.OTHER)
        key = fields_of.get(procedure_id) if rows_by is RowsBy.FIELD else agency_id
        by_row[(level, key)] = by_row.get((level, key), Counts()) + counts
    labels = _labels(rows_by, {key for _level, key in by_row})
    groups = [
        Group(
            level,
            sorted(
                (
                    Row(key, labels.get(key, _("Field not stated")), counts)
                    for (row_level, key), counts in by_row.items()
                    if row_level is level
                ),
                key=lambda r: fold(r.label),
            ),
        )
        for level in LevelGroup
        if any(row_level is level for row_level, _key in by_row)
    ]
    return Bieu06(agency.pk, agency.name, period, rows_by, groups)


def _labels(rows_by: RowsBy, keys: Iterable[int | None]) -> dict[int | None, str]:
    ids = [k for k in keys if k is not None]
    if rows_by is RowsBy.FIELD:
        return dict(Field.objects.filter(pk__in=ids).values_list("pk", "name"))
    return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
