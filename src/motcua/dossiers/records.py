"""The records the one-stop desk keeps, derived from what happened (Circular 03/2025,
Annex I; DOMAIN.md 1.4):

- the control slip (form 06, Phiếu kiểm soát quá trình giải quyết hồ sơ): one row per
  hand-over of a dossier, who gave it and who received it, when, and how the step just
  finished went against its time budget. The receiving side records that result, and the
  electronic system logs it automatically: here it is computed from the events;
- the tracking book (form 07, Sổ theo dõi hồ sơ): one row per dossier received, kept per
  agency or per field, with its reception, appointment and return.

Read-only: nothing here writes, and who may read is for the caller to check (through
`selectors.dossier_get_for` for the dossier of a slip)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from motcua.agencies.models import Agency, Role
from motcua.calendars.selectors import calendar_for
from motcua.domain import deadlines, lifecycle
from motcua.domain.lifecycle import Action, Status
from motcua.procedures.models import Field, ProcessStep

from .models import Dossier, DossierEvent, ReturnChannel, Timeliness

# Actions that hand the dossier from one holder to another.
HAND_OVERS = frozenset(
    {
        Action.RECEIVE,
        Action.FORWARD,
        Action.SEND_BACK,
        Action.TRANSFER,
        Action.RESOLVE,
        Action.REJECT,
        Action.RETURN_RESULT,
    }
)


@dataclass(frozen=True)
class HandOver:
    """One row of the control slip."""

    at: dt.datetime  # thời gian giao nhận: when the receiving side got the dossier
    action: str
    giver_agency: Agency | None  # 1. Giao
    giver_officer: User | None
    receiver_agency: Agency | None  # 2. Nhận (None: the applicant)
    receiver_step: ProcessStep | None
    receiver_officer: User | None  # who took it: the assignee, or who acted next there
    receiver_name: str  # the applicant's side for a returned result: who collected it
    finished_step: ProcessStep | None  # the step the giver ends (or, transferring, leaves)
    budget_hours: Decimal | None
    spent: dt.timedelta  # working time the giver held it, paused time excluded
    timeliness: str | None  # early / on_time / late against the budget; None: no budget
    note: str


def step_timeliness(spent: dt.timedelta, budget_hours: Decimal) -> str:
    """Early when the step took fewer whole minutes than its budget, on time when exactly
    as many, late otherwise (the practice of DOMAIN.md 1.4: budgets in hours, time spent
    in minutes)."""
    spent_minutes = math.floor(spent.total_seconds() / 60)
    budget_minutes = budget_hours * 60
    if budget_minutes > spent_minutes:
        return Timeliness.EARLY.value
    if budget_minutes == spent_minutes:
        return Timeliness.ON_TIME.value
    return Timeliness.LATE.value


def _reception_step(dossier: Dossier) -> ProcessStep | None:
    first = dossier.procedure_version.steps.order_by("position").first()
    return first if first is not None and first.role == Role.RECEIVER else None


def control_slip(dossier: Dossier) -> list[HandOver]:
    """The hand-overs of `dossier` in order (see `control_slip_and_holding`)."""
    return control_slip_and_holding(dossier, now=None)[0]


def control_slip_and_holding(
    dossier: Dossier, *, now: dt.datetime | None
) -> tuple[list[HandOver], dt.timedelta | None]:
    """The control slip and, when `now` is given and the dossier is at a step, the working
    time its current holder has used so far (from the moment they got it to `now`, the
    time the clock stood still excluded; nothing is counted before the hand-over moment).
    One query for the events.

    The hand-overs of `dossier` in order. The time each holder spent runs from the
    moment they got the dossier (for the desk, the submission; for the first processing
    step, the hand-over moment of the reception, the next working morning after 15:00) to
    the moment they passed it on, in working time, less the time the clock stood still
    meanwhile (supplement; consultation or payment when the procedure excludes them).

    The officer who received is the one the step was assigned to, else the first officer
    of the receiving agency who acted on it, else nobody yet."""
    events = list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related(
            "actor",
            "actor_agency",
            "from_step",
            "to_step",
            "from_agency",
            "to_agency",
            "to_assignee",
        )
        .order_by("at", "pk")
    )
    version = dossier.procedure_version
    calendar = calendar_for(dossier.handling_agency)

    def working(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        return deadlines.working_time_between(start, end, calendar)

    def stands_still(event: DossierEvent) -> bool:
        return lifecycle.is_clock_paused(
            Status(event.to_status),
            consultation_counts=version.consultation_counts_toward_deadline,
            payment_counts=version.payment_counts_toward_deadline,
        )

    rows: list[HandOver] = []
    held_since = dossier.submitted_at or dossier.received_at
    paused = dt.timedelta(0)  # since `held_since`
    paused_since: dt.datetime | None = None
    for i, event in enumerate(events):
        action = Action(event.action)
        if action in HAND_OVERS and held_since is not None:
            if paused_since is not None:
                paused += working(max(paused_since, held_since), event.at)
            spent = working(held_since, event.at) - paused
            row = _hand_over(dossier, event, spent, events[i + 1 :])
            rows.append(row)
            held_since, paused = row.at, dt.timedelta(0)
            paused_since = event.at if stands_still(event) else None
        elif paused_since is not None and not stands_still(event):
            paused += working(max(paused_since, held_since or paused_since), event.at)
            paused_since = None
        elif paused_since is None and stands_still(event):
            paused_since = event.at
    holding = None
    if (
        now is not None
        and dossier.current_step_id is not None
        and held_since is not None
        and Status(dossier.status) not in lifecycle.TERMINAL
    ):
        until = max(now, held_since)
        if paused_since is not None:
            paused += working(max(paused_since, held_since), until)
        holding = max(working(held_since, until) - paused, dt.timedelta(0))
    return rows, holding


def _hand_over(
    dossier: Dossier, event: DossierEvent, spent: dt.timedelta, later: list[DossierEvent]
) -> HandOver:
    action = Action(event.action)
    if action is Action.RECEIVE:
        handed_at = _handed_over_at(event) or event.at
        finished = _reception_step(dossier)
        giver = event.actor_agency
    else:
        handed_at = event.at
        finished = event.from_step
        giver = event.from_agency or event.actor_agency
    returned = action is Action.RETURN_RESULT
    budget = finished.budget_hours if finished is not None else None
    return HandOver(
        at=handed_at,
        action=action.value,
        giver_agency=giver,
        giver_officer=event.actor,
        receiver_agency=None if returned else event.to_agency,
        receiver_step=None if returned else event.to_step,
        receiver_officer=None if returned else _taker(event.to_agency, later),
        receiver_name=_collector(dossier) if returned else "",
        finished_step=finished,
        budget_hours=budget,
        spent=spent,
        timeliness=step_timeliness(spent, budget) if budget is not None else None,
        note=event.note,
    )


def _taker(agency: Agency | None, later: list[DossierEvent]) -> User | None:
    """Who took the dossier handed to `agency`: the assignee of its step, else the first
    of its officers to act, looking no further than the next hand-over."""
    for event in later:
        if event.action == Action.ASSIGN:
            return event.to_assignee
        if event.actor_agency_id == (agency.pk if agency else None) and event.actor:
            return event.actor
        if event.action in HAND_OVERS:
            break
    return None


def _handed_over_at(event: DossierEvent) -> dt.datetime | None:
    value = event.payload.get("handed_over_at")
    return dt.datetime.fromisoformat(value) if value else None


def _collector(dossier: Dossier) -> str:
    if dossier.return_channel == ReturnChannel.COUNTER and dossier.collected_by:
        return dossier.collected_by
    return dossier.applicant_name


@dataclass(frozen=True)
class TrackingBookRow:
    """One row of the tracking book (form 07)."""

    number: int  # STT
    code: str
    procedure: str
    applicant: str
    address: str
    phone: str
    handling_agency: str
    received_at: dt.datetime
    due_at: dt.datetime | None  # hẹn trả kết quả: the legal appointment (moved by pauses)
    extended_due_at: dt.datetime | None  # the new appointment of an apology, if any
    returned_at: dt.datetime | None
    return_channel: str  # how the result was returned (or is wanted, until then)
    collected_by: str  # ký nhận


def tracking_book(
    *,
    start: dt.date,
    end: dt.date,
    agency: Agency | None = None,
    field: Field | None = None,
) -> list[TrackingBookRow]:
    """The dossiers received from `start` to `end` (local dates, both included) whose
    handling agency is `agency` or one of its units, and/or whose procedure is of
    `field`, in order of reception. One query."""
    if agency is None and field is None:
        raise ValueError("The tracking book is kept per agency or per field.")
    tz = timezone.get_default_timezone()
    since = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    where = Q(received_at__gte=since, received_at__lt=until)
    if agency is not None:
        where &= Q(handling_agency__path__startswith=agency.path)
    if field is not None:
        where &= Q(procedure__field=field)
    dossiers = (
        Dossier.objects.filter(where)
        .select_related("procedure", "handling_agency")
        .order_by("received_at", "pk")
    )
    return [
        TrackingBookRow(
            number=number,
            code=d.code or "",
            procedure=d.procedure.name,
            applicant=d.applicant_name,
            address=d.applicant_address,
            phone=d.applicant_phone,
            handling_agency=d.handling_agency.name,
            received_at=d.received_at,  # type: ignore[arg-type]  # filtered on it
            due_at=d.due_at,
            extended_due_at=d.extended_due_at,
            returned_at=d.returned_at,
            return_channel=d.return_channel or d.requested_return_channel,
            collected_by=d.collected_by,
        )
        for number, d in enumerate(dossiers, start=1)
    ]
