"""Operational views for leaders and monitors: what is late or about to be, who and which
step holds it, how each officer and step hands dossiers on, the online share by procedure,
procedures nobody uses, satisfaction, complaint handling and the agencies' ranking.

Read-only, and every number is one SQL aggregate (grouped by agency, step, officer or
procedure), never a loop over dossiers in Python; each has its drill-down queryset. The
caller authorises: it passes an agency the reader oversees, and everything here stays
inside that agency's subtree.

Two kinds of moment are used. Live views ("overdue now") take `now`; period views take a
`Period` (`reports.periods`). Due-soon is judged in calendar time (`soon` after `now`),
which is what a leader scanning the list needs; the legal working-time arithmetic stays
in `domain.deadlines`."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Action, Dossier, DossierEvent, Status, Timeliness
from motcua.feedback import selectors as feedback_selectors
from motcua.procedures.models import Channel, Procedure, ProcedureVersion

from .bieu06 import (
    LEVEL_GROUP,
    Bieu06,
    LevelGroup,
    RowsBy,
    bieu06,
    bieu06_dossiers,
    rejected_q,
)
from .periods import Period

TWO_PLACES = Decimal("0.01")

# Statuses of a dossier taken for handling and not finished (the clock may stand still).
OPEN_STATUSES = (
    Status.PROCESSING,
    Status.AWAITING_SUPPLEMENT,
    Status.CONSULTING,
    Status.AWAITING_PAYMENT,
)
# Statuses in which the clock stands still whatever the procedure says.
_WAITING_FOR_APPLICANT = (Status.AWAITING_SUPPLEMENT,)
# Actions that hand a dossier on from a step (the control slip's rows, DOMAIN.md 1.4),
# reception and the return of the result left out: they end no processing step.
STEP_HAND_OVERS = (
    Action.FORWARD,
    Action.SEND_BACK,
    Action.TRANSFER,
    Action.RESOLVE,
    Action.REJECT,
)
DEFAULT_SOON = dt.timedelta(days=2)


def share(part: int, whole: int) -> Decimal | None:
    """Per cent with 2 decimals; None when there is nothing to divide (shown as N/A)."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _subtree(agency: Agency) -> QuerySet[Dossier]:
    return Dossier.objects.filter(handling_agency__path__startswith=agency.path)


# --- overdue and due soon --------------------------------------------------------------------


class GroupBy(enum.StrEnum):
    AGENCY = "agency"  # the agency holding the dossier now
    STEP = "step"  # the step it is at (by name, within the agency holding it)
    OFFICER = "officer"  # the officer it is assigned to


class Urgency(enum.StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    STEP_OVERDUE = "step_overdue"


def _urgency_q(now: dt.datetime, soon: dt.timedelta) -> dict[Urgency, Q]:
    """Open dossiers by urgency at `now`. A dossier waiting for the applicant's supplement
    is in time (its clock stands still), so it is neither overdue nor due soon; the step
    budget is the internal one of the process (form 06), the due moment the legal one."""
    open_ = Q(status__in=OPEN_STATUSES, finished_at__isnull=True)
    running = open_ & Q(paused_since__isnull=True) & ~Q(status__in=_WAITING_FOR_APPLICANT)
    return {
        Urgency.OPEN: open_,
        Urgency.OVERDUE: running & Q(due_at__lt=now),
        Urgency.DUE_SOON: running & Q(due_at__gte=now, due_at__lt=now + soon),
        Urgency.STEP_OVERDUE: running & Q(step_due_at__lt=now),
    }


@dataclass(frozen=True)
class UrgencyRow:
    key: str  # agency id, "<agency id>:<step name>" or officer id ("" for nobody)
    label: str
    detail: str  # the agency of a step or an officer
    open: int
    overdue: int
    due_soon: int
    step_overdue: int

    @property
    def overdue_share(self) -> Decimal | None:
        return share(self.overdue, self.open)


_GROUP_FIELDS: dict[GroupBy, tuple[str, ...]] = {
    GroupBy.AGENCY: ("current_agency_id", "current_agency__name"),
    GroupBy.STEP: ("current_agency_id", "current_agency__name", "current_step__name"),
    GroupBy.OFFICER: (
        "assignee_id",
        "assignee__last_name",
        "assignee__first_name",
        "assignee__username",
        "current_agency__name",
    ),
}


def _officer_name(last: str | None, first: str | None, username: str | None) -> str:
    name = f"{last or ''} {first or ''}".strip()
    return name or username or ""


def overdue_summary(
    *,
    agency: Agency,
    now: dt.datetime,
    group_by: GroupBy | str = GroupBy.AGENCY,
    soon: dt.timedelta = DEFAULT_SOON,
) -> list[UrgencyRow]:
    """Open dossiers of `agency`'s subtree at `now`, per agency holding them, step or
    assigned officer: how many are open, past their legal due moment, due within `soon`,
    and past their step's budget. One aggregate query; rows with the most overdue first."""
    group_by = GroupBy(group_by)
    conditions = _urgency_q(now, soon)
    keys = _GROUP_FIELDS[group_by]
    lines = (
        _subtree(agency)
        .filter(conditions[Urgency.OPEN])
        .values(*keys)
        .annotate(**{u.value: Count("pk", filter=q) for u, q in conditions.items()})
        .order_by()
    )
    rows = []
    for line in lines:
        if group_by is GroupBy.AGENCY:
            key, label, detail = str(line["current_agency_id"]), line["current_agency__name"], ""
        elif group_by is GroupBy.STEP:
            step = line["current_step__name"] or ""
            key = f"{line['current_agency_id']}:{step}"
            label, detail = step or _("No step"), line["current_agency__name"]
        else:
            officer_id = line["assignee_id"]
            key = str(officer_id or "")
            label = (
                _officer_name(
                    line["assignee__last_name"],
                    line["assignee__first_name"],
                    line["assignee__username"],
                )
                if officer_id
                else _("Not assigned")
            )
            detail = line["current_agency__name"]
        rows.append(
            UrgencyRow(
                key=key,
                label=label,
                detail=detail or "",
                open=line[Urgency.OPEN.value],
                overdue=line[Urgency.OVERDUE.value],
                due_soon=line[Urgency.DUE_SOON.value],
                step_overdue=line[Urgency.STEP_OVERDUE.value],
            )
        )
    # Officers are merged by id: the agency name is only a hint of where they work.
    if group_by is GroupBy.OFFICER:
        rows = _merge_by_key(rows)
    rows.sort(key=lambda r: (-r.overdue, -r.due_soon, -r.open, r.label))
    return rows


def _merge_by_key(rows: Sequence[UrgencyRow]) -> list[UrgencyRow]:
    merged: dict[str, UrgencyRow] = {}
    for row in rows:
        seen = merged.get(row.key)
        if seen is None:
            merged[row.key] = row
            continue
        merged[row.key] = UrgencyRow(
            key=row.key,
            label=row.label,
            detail=", ".join(sorted({*seen.detail.split(", "), row.detail})),
            open=seen.open + row.open,
            overdue=seen.overdue + row.overdue,
            due_soon=seen.due_soon + row.due_soon,
            step_overdue=seen.step_overdue + row.step_overdue,
        )
    return list(merged.values())


def urgent_dossiers(
    *,
    agency: Agency,
    now: dt.datetime,
    urgency: Urgency | str,
    group_by: GroupBy | str | None = None,
    key: str = "",
    soon: dt.timedelta = DEFAULT_SOON,
) -> QuerySet[Dossier]:
    """The dossiers behind one number of `overdue_summary` (drill-down). Raises ValueError
    for an unknown urgency, grouping or key."""
    condition = _urgency_q(now, soon)[Urgency(urgency)]
    qs = _subtree(agency).filter(condition)
    if group_by is None or group_by == "":
        return qs
    group_by = GroupBy(group_by)
    if group_by is GroupBy.AGENCY:
        return qs.filter(current_agency_id=_int(key))
    if group_by is GroupBy.STEP:
        agency_part, _sep, step = key.partition(":")
        return qs.filter(current_agency_id=_int(agency_part), current_step__name=step)
    if key == "":
        return qs.filter(assignee__isnull=True)
    return qs.filter(assignee_id=_int(key))


def _int(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    if number <= 0:
        raise ValueError(f"not an id: {value!r}")
    return number


# --- per-step and per-officer timeliness (control slip) -----------------------------------


@dataclass(frozen=True)
class HandOverRow:
    key: str
    label: str
    detail: str
    hand_overs: int  # steps finished (the dossier handed on) in the period
    after_due: int  # of them, handed on after the dossier's legal due moment
    dossiers: int  # distinct dossiers

    @property
    def in_time(self) -> int:
        return self.hand_overs - self.after_due

    @property
    def in_time_share(self) -> Decimal | None:
        return share(self.in_time, self.hand_overs)


def _hand_overs(agency: Agency, period: Period) -> QuerySet[DossierEvent]:
    """Hand-overs from a processing step in the period by the subtree's officers."""
    return DossierEvent.objects.filter(
        dossier__handling_agency__path__startswith=agency.path,
        action__in=STEP_HAND_OVERS,
        at__gte=period.start,
        at__lt=period.end,
        from_step__isnull=False,
    )


def _after_due() -> Q:
    # `to_due_at` is the legal due moment as it stood after the event (a hand-over does not
    # move it), so a hand-over later than it left the step when the dossier was overdue.
    return Q(to_due_at__isnull=False, at__gt=F("to_due_at"))


def step_timeliness(*, agency: Agency, period: Period) -> list[HandOverRow]:
    """Per step (by name, within the agency that held the dossier): how many times a
    dossier left that step in the period (a row of the control slip, form 06), and how
    many of those left it after the dossier's legal due moment. One aggregate query."""
    lines = (
        _hand_overs(agency, period)
        .values("from_agency_id", "from_agency__name", "from_step__name")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=_after_due()),
            dossiers=Count("dossier_id", distinct=True),
        )
        .order_by()
    )
    rows = [
        HandOverRow(
            key=f"{line['from_agency_id'] or ''}:{line['from_step__name']}",
            label=line["from_step__name"],
            detail=line["from_agency__name"] or "",
            hand_overs=line["n"],
            after_due=line["late"],
            dossiers=line["dossiers"],
        )
        for line in lines
    ]
    rows.sort(key=lambda r: (-r.after_due, -r.hand_overs, r.label))
    return rows


def officer_timeliness(*, agency: Agency, period: Period) -> list[HandOverRow]:
    """Per officer who handed dossiers on from a step in the period: how many hand-overs,
    how many after the dossier's legal due moment. One aggregate query."""
    lines = (
        _hand_overs(agency, period)
        .filter(actor__isnull=False)
        .values("actor_id", "actor__last_name", "actor__first_name", "actor__username")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=_after_due()),
            dossiers=Count("dossier_id", distinct=True),
        )
        .order_by()
    )
    rows = [
        HandOverRow(
            key=str(line["actor_id"]),
            label=_officer_name(
                line["actor__last_name"], line["actor__first_name"], line["actor__username"]
            ),
            detail="",
            hand_overs=line["n"],
            after_due=line["late"],
            dossiers=line["dossiers"],
        )
        for line in lines
    ]
    rows.sort(key=lambda r: (-r.after_due, -r.hand_overs, r.label))
    return rows


def hand_over_dossiers(
    *, agency: Agency, period: Period, by: str, key: str, late_only: bool = False
) -> QuerySet[Dossier]:
    """The dossiers behind a row of `step_timeliness` (`by="step"`) or `officer_timeliness`
    (`by="officer"`). Raises ValueError for a bad key."""
    events = _hand_overs(agency, period)
    if by == "step":
        agency_part, _sep, step = key.partition(":")
        events = events.filter(from_agency_id=_int(agency_part), from_step__name=step)
    elif by == "officer":
        events = events.filter(actor_id=_int(key))
    else:
        raise ValueError(f"unknown grouping {by!r}")
    if late_only:
        events = events.filter(_after_due())
    return Dossier.objects.filter(pk__in=events.values("dossier_id"))


# --- online share by procedure ---------------------------------------------------------------


@dataclass(frozen=True)
class OnlineShareRow:
    procedure_id: int
    code: str
    name: str
    received: int
    online: int

    @property
    def online_share(self) -> Decimal | None:
        return share(self.online, self.received)


def online_share_by_procedure(*, agency: Agency, period: Period) -> list[OnlineShareRow]:
    """Dossiers received in the period per procedure, and how many of them online. One
    aggregate query; most received first."""
    lines = (
        _subtree(agency)
        .filter(received_at__gte=period.start, received_at__lt=period.end)
        .values("procedure_id", "procedure__code", "procedure__name")
        .annotate(received=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))
        .order_by("-received", "procedure__code")
    )
    return [
        OnlineShareRow(
            line["procedure_id"],
            line["procedure__code"],
            line["procedure__name"],
            line["received"],
            line["online"],
        )
        for line in lines
    ]


def online_dossiers(
    *, agency: Agency, period: Period, procedure_id: int | None = None, online_only: bool = True
) -> QuerySet[Dossier]:
    qs = _subtree(agency).filter(received_at__gte=period.start, received_at__lt=period.end)
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    return qs.filter(channel=Channel.ONLINE) if online_only else qs


# --- procedures with no dossier --------------------------------------------------------------


@dataclass(frozen=True)
class IdleProcedure:
    procedure_id: int
    code: str
    name: str
    field: str
    last_received_at: dt.datetime | None  # None: never a dossier here


def idle_procedures(*, agency: Agency, now: dt.datetime, months: int = 12) -> list[IdleProcedure]:
    """Procedures in use that an agency of the subtree handles (a version in force names
    it) and for which no dossier was received in the subtree in the last `months` months
    before `now`: candidates for simplification or abolition. One query."""
    if months < 1:
        raise ValueError("months must be at least 1")
    since = _months_before(now, months)
    today = now.date()
    handled_here = ProcedureVersion.objects.effective_on(today).filter(
        procedure=OuterRef("pk"), competent_agency__path__startswith=agency.path
    )
    dossiers = Dossier.objects.filter(
        procedure=OuterRef("pk"),
        handling_agency__path__startswith=agency.path,
        received_at__isnull=False,
    )
    last = Subquery(
        dossiers.order_by().values("procedure").annotate(last=Max("received_at")).values("last")[:1]
    )
    rows = (
        Procedure.objects.filter(is_active=True)
        .filter(Exists(handled_here))
        .exclude(Exists(dossiers.filter(received_at__gte=since)))
        .annotate(last_received_at=last)
        .values("pk", "code", "name", "field__name", "last_received_at")
        .order_by(F("last_received_at").asc(nulls_first=True), "code")
    )
    return [
        IdleProcedure(r["pk"], r["code"], r["name"], r["field__name"] or "", r["last_received_at"])
        for r in rows
    ]


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)


# --- satisfaction and complaints -------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    rows: list[feedback_selectors.SatisfactionRow]

    @property
    def very_satisfied(self) -> int:
        return sum(r.very_satisfied for r in self.rows)

    @property
    def satisfied(self) -> int:
        return sum(r.satisfied for r in self.rows)

    @property
    def dissatisfied(self) -> int:
        return sum(r.dissatisfied for r in self.rows)

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    @property
    def satisfied_share(self) -> Decimal | None:
        return share(self.very_satisfied + self.satisfied, self.total)


def satisfaction(*, agency: Agency, period: Period) -> Satisfaction:
    """Ratings given in the period on dossiers of the subtree, per handling agency."""
    return Satisfaction(
        feedback_selectors.satisfaction_by_agency(root=agency, start=period.start, end=period.end)
    )


def rated_dossiers(*, agency: Agency, period: Period, level: str) -> QuerySet[Dossier]:
    return _subtree(agency).filter(
        rating__level=level, rating__rated_at__gte=period.start, rating__rated_at__lt=period.end
    )


@dataclass(frozen=True)
class Complaints:
    rows: list[feedback_selectors.ComplaintTimelinessRow]

    def _sum(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rows)

    @property
    def received(self) -> int:
        return self._sum("received")

    @property
    def handled_on_time(self) -> int:
        return self._sum("handled_on_time")

    @property
    def handled_late(self) -> int:
        return self._sum("handled_late")

    @property
    def open(self) -> int:
        return self._sum("open")

    @property
    def open_overdue(self) -> int:
        return self._sum("open_overdue")

    @property
    def on_time_share(self) -> Decimal | None:
        return share(self.handled_on_time, self.handled_on_time + self.handled_late)


def complaints(*, agency: Agency, period: Period, now: dt.datetime) -> Complaints:
    """Complaints and recommendations received in the period by the subtree, per agency:
    handled on time or late, still open and overdue at `now`."""
    return Complaints(
        feedback_selectors.complaint_timeliness_by_agency(
            root=agency, start=period.start, end=period.end, now=now
        )
    )


# --- ranking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    rank: int | None  # None: nothing resolved in the period, listed last
    agency_id: int
    name: str
    resolved: int
    on_time: int  # early + on time
    overdue: int  # in progress and overdue at the period end
    rate: Decimal | None  # on-time rate of the resolved dossiers
    previous_rate: Decimal | None
    previous_rank: int | None

    @property
    def change(self) -> Decimal | None:
        """Change of the rate from the previous period, in percentage points."""
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost since the previous period."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


def _rates(
    agency: Agency, period: Period, report: Bieu06 | None = None
) -> dict[int, tuple[str, int, int, int]]:
    if report is None or report.rows_by is not RowsBy.AGENCY:
        report = bieu06(agency=agency, period=period, rows_by=RowsBy.AGENCY, source="auto")
    rates: dict[int, tuple[str, int, int, int]] = {}
    for group in report.groups:
        for row in group.rows:
            if row.key is None:
                continue
            c = row.counts
            rates[row.key] = (row.label, c.resolved, c.early + c.on_time, c.overdue)
    return rates


def _ranked(rates: dict[int, tuple[str, int, int, int]]) -> list[tuple[int, Decimal | None]]:
    """Agency ids by on-time rate, best first; agencies that resolved nothing last."""
    scored = [(pk, share(v[2], v[1])) for pk, v in rates.items()]
    return sorted(
        scored,
        key=lambda item: (
            item[1] is None,
            -(item[1] or 0),
            -rates[item[0]][1],
            rates[item[0]][0],
        ),
    )


def agency_ranking(
    *, agency: Agency, period: Period, report: Bieu06 | None = None
) -> list[RankingRow]:
    """Handling agencies of the subtree ranked by their on-time rate over the dossiers
    resolved in the period (Biểu 06: (early + on time) / resolved), with the rate and the
    place they had in the previous period (`Period.previous`). Ties share a rank.
    `report`: the period's Biểu 06 by agency, if the caller has it already."""
    current = _rates(agency, period, report)
    previous = _rates(agency, period.previous())
    previous_ranks = _ranks(_ranked(previous))
    current_order = _ranked(current)
    ranks = _ranks(current_order)
    rows = []
    for pk, rate in current_order:
        name, resolved, on_time, overdue = current[pk]
        before = previous.get(pk)
        rows.append(
            RankingRow(
                rank=ranks.get(pk),
                agency_id=pk,
                name=name,
                resolved=resolved,
                on_time=on_time,
                overdue=overdue,
                rate=rate,
                previous_rate=share(before[2], before[1]) if before else None,
                previous_rank=previous_ranks.get(pk),
            )
        )
    return rows


def _ranks(order: list[tuple[int, Decimal | None]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) over the agencies with a rate."""
    ranks: dict[int, int] = {}
    last_rate: Decimal | None = None
    last_rank = 0
    for position, (pk, rate) in enumerate(order, start=1):
        if rate is None:
            continue
        if rate != last_rate:
            last_rank, last_rate = position, rate
        ranks[pk] = last_rank
    return ranks


# --- monthly trend ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    received: int  # newly received in the period
    online: int
    resolved: int  # finished in the period (withdrawals left out)
    on_time: int  # early or on time (rejections on the merits count as on time)
    late: int

    @property
    def on_time_rate(self) -> Decimal | None:
        return share(self.on_time, self.resolved)

    @property
    def online_share(self) -> Decimal | None:
        return share(self.online, self.received)


def _bucket(field_name: str, periods: Sequence[Period]) -> Case:
    return Case(
        *(
            When(**{f"{field_name}__gte": p.start, f"{field_name}__lt": p.end}, then=Value(i))
            for i, p in enumerate(periods)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )


def monthly_trend(*, agency: Agency, periods: Sequence[Period]) -> list[TrendPoint]:
    """Received and resolved dossiers in each of `periods` (consecutive, not overlapping),
    in two aggregate queries: one over the receptions, one over the finishes."""
    if not periods:
        return []
    first, last = periods[0].start, periods[-1].end
    received: dict[int, dict[str, Any]] = {
        line["bucket"]: dict(line)
        for line in _subtree(agency)
        .filter(received_at__gte=first, received_at__lt=last)
        .annotate(bucket=_bucket("received_at", periods))
        .values("bucket")
        .annotate(n=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))
        .order_by()
    }
    judged = ~rejected_q()
    finished: dict[int, dict[str, Any]] = {
        line["bucket"]: dict(line)
        for line in _subtree(agency)
        .filter(finished_at__gte=first, finished_at__lt=last)
        .exclude(status=Status.WITHDRAWN)
        .annotate(bucket=_bucket("finished_at", periods))
        .values("bucket")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=judged & Q(timeliness=Timeliness.LATE)),
        )
        .order_by()
    }
    points = []
    for i, period in enumerate(periods):
        r = received.get(i, {})
        f = finished.get(i, {})
        resolved, late = f.get("n", 0), f.get("late", 0)
        points.append(
            TrendPoint(period, r.get("n", 0), r.get("online", 0), resolved, resolved - late, late)
        )
    return points


# --- Biểu 06 cells -----------------------------------------------------------------------------


def level_group_q(group: LevelGroup | str) -> Q:
    """The dossiers whose handling agency falls in the row group `group` of Biểu 06."""
    group = LevelGroup(group)
    grouped = list(LEVEL_GROUP)
    if group is LevelGroup.OTHER:
        return ~Q(handling_agency__level__in=grouped)
    return Q(handling_agency__level__in=[lvl for lvl, g in LEVEL_GROUP.items() if g is group])


def bieu06_cell_dossiers(
    *,
    agency: Agency,
    period: Period,
    column: str,
    rows_by: RowsBy | str = RowsBy.FIELD,
    group: str = "",
    key: str = "",
) -> QuerySet[Dossier]:
    """The dossiers behind one cell of Biểu 06: a column (`bieu06_dossiers`), narrowed to a
    row group and a row (a field, "none" for the field not stated, or a handling agency).
    Without a group and a row: the totals row. Raises ValueError for a bad column or row."""
    qs = bieu06_dossiers(agency, period, column)
    if group:
        qs = qs.filter(level_group_q(group))
    if not key:
        return qs
    if RowsBy(rows_by) is RowsBy.AGENCY:
        return qs.filter(handling_agency_id=_int(key))
    if key == "none":
        return qs.filter(procedure__field__isnull=True)
    return qs.filter(procedure__field_id=_int(key))
