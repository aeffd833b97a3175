"""Reads of the back office: the officer's memberships, the inbox tabs, the dossier page,
the search and the tracking book. Every dossier read starts from
`motcua.dossiers.selectors.visible_to`, so the permissions stay one SQL filter; the tabs
only narrow it to the membership the officer is acting as."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import CharField, F, Func, Q, QuerySet
from django.utils import timezone

from motcua.agencies.models import Agency, Membership, Role
from motcua.calendars.selectors import calendar_for
from motcua.domain.lifecycle import Action
from motcua.domain.text import fold
from motcua.dossiers import notices, permissions
from motcua.dossiers.models import (
    INBOX_STATUSES,
    Consultation,
    Dossier,
    DossierEvent,
    DossierFile,
    Status,
    Timeliness,
)
from motcua.dossiers.records import HandOver, control_slip_and_holding, step_timeliness
from motcua.dossiers.selectors import dossier_files_for, dossier_get_for, visible_to
from motcua.integrations.models import SentNotice
from motcua.integrations.notices import Untold
from motcua.procedures.models import ProcessStep, RequiredDocument

User = AuthUser | AnonymousUser

# Counts per tab stop here: "100+" is all an officer needs, and an unbounded COUNT over a
# province's dossiers would cost more than the page itself.
COUNT_CAP = 100
PAGE_SIZE = 50
# Statuses in which a dossier still sits in someone's processing inbox: exactly those of
# the partial inbox indexes, so that PostgreSQL walks them in due order.
IN_HANDS = INBOX_STATUSES
RECEPTION_ROLES = (Role.RECEIVER,)


# --- memberships -------------------------------------------------------------------------


@dataclass(frozen=True)
class Acting:
    """The membership the officer acts as in this session."""

    membership_id: int
    agency: Agency
    role: str

    @property
    def is_receiver(self) -> bool:
        return self.role == Role.RECEIVER


def memberships_of(user: User, *, on: dt.date) -> list[Membership]:
    """The officer's active memberships, agency first, in a stable order."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.active_on(on)
        .filter(user_id=user.pk)
        .select_related("agency")
        .order_by("agency__code", "role", "pk")
    )


def acting_from(memberships: Sequence[Membership], chosen_id: int | None) -> Acting | None:
    """The chosen membership if it is still active, else the first one."""
    if not memberships:
        return None
    chosen = next((m for m in memberships if m.pk == chosen_id), memberships[0])
    return Acting(chosen.pk, chosen.agency, chosen.role)


# --- inbox -------------------------------------------------------------------------------


class Tab(enum.StrEnum):
    MINE = "mine"
    STEP = "step"
    RECEPTION = "reception"
    RETURN = "return"


def tabs_for(acting: Acting | None) -> list[Tab]:
    if acting is None:
        return []
    if acting.is_receiver:
        return [Tab.MINE, Tab.STEP, Tab.RECEPTION, Tab.RETURN]
    return [Tab.MINE, Tab.STEP]


def _tab_queryset(
    user: User, acting: Acting, tab: Tab, *, on: dt.date | None = None
) -> QuerySet[Dossier]:
    qs = visible_to(user, on=on)
    if tab is Tab.MINE:
        return qs.filter(assignee_id=user.pk, status__in=IN_HANDS)
    if tab is Tab.STEP:
        return qs.filter(
            Q(current_step__role=acting.role) | Q(current_step__role=""),
            current_agency_id=acting.agency.pk,
            status__in=IN_HANDS,
        )
    if tab is Tab.RECEPTION:
        # Province-wide reception (118/2025 Art. 14(2)): `visible_to` already limits it.
        return qs.filter(status=Status.AWAITING_RECEPTION)
    return qs.filter(status__in=(Status.RESOLVED, Status.REJECTED))


def in_hand(user: User, acting: Acting, *, on: dt.date | None = None) -> QuerySet[Dossier]:
    """What the officer has in hand as `acting`: the inbox's "mine" and "step" tabs."""
    return _tab_queryset(user, acting, Tab.MINE, on=on) | _tab_queryset(
        user, acting, Tab.STEP, on=on
    )


def _sort_field(tab: Tab) -> str:
    return "submitted_at" if tab is Tab.RECEPTION else "due_at"


class Urgency:
    """How close the dossier is to its due moment, for the row colour."""

    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"  # within two working days
    LATER = ""


@dataclass(frozen=True)
class InboxRow:
    dossier: Dossier
    urgency: str


@dataclass(frozen=True)
class InboxPage:
    tab: Tab
    rows: list[InboxRow]
    counts: dict[str, str]  # tab -> "12" or "100+"
    next_cursor: str  # "" on the last page


def _cursor(moment: dt.datetime | None, pk: int) -> str:
    return f"{moment.isoformat() if moment else '-'}_{pk}"


def parse_cursor(value: str) -> tuple[dt.datetime | None, int] | None:
    """(sort value, pk) of the last row of the previous page; None when absent or bad."""
    moment_text, _, pk_text = value.rpartition("_")
    if not moment_text or not pk_text.isdigit() or len(pk_text) > 18:
        return None
    if moment_text == "-":
        return None, int(pk_text)
    try:
        moment = dt.datetime.fromisoformat(moment_text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment, int(pk_text)


def _after(qs: QuerySet[Dossier], field: str, after: tuple[dt.datetime | None, int]) -> Any:
    moment, pk = after
    if moment is None:
        return qs.filter(**{f"{field}__isnull": True, "pk__gt": pk})
    return qs.filter(
        Q(**{f"{field}__gt": moment})
        | Q(**{field: moment, "pk__gt": pk})
        | Q(**{f"{field}__isnull": True})
    )


def urgency_of(due: dt.datetime | None, *, now: dt.datetime, soon_until: dt.datetime) -> str:
    if due is None:
        return Urgency.LATER
    if due < now:
        return Urgency.OVERDUE
    if timezone.localdate(due) == timezone.localdate(now):
        return Urgency.TODAY
    if due <= soon_until:
        return Urgency.SOON
    return Urgency.LATER


def soon_limit(agency: Agency, *, now: dt.datetime) -> dt.datetime:
    """The end of the second working day after today under the agency's calendar."""
    calendar = calendar_for(agency)
    day = timezone.localdate(now)
    for _ in range(2):
        day = calendar.next_working_day(day)
    return calendar.close_of_business(day)


def inbox_page(
    user: User,
    *,
    acting: Acting,
    tab: Tab,
    after: tuple[dt.datetime | None, int] | None,
    now: dt.datetime,
    limit: int = PAGE_SIZE,
) -> InboxPage:
    """One page of a tab, by due moment then id (the reception queue by submission),
    with the capped count of every tab. Keyset pagination: no OFFSET, no full COUNT."""
    counts = {}
    for each in tabs_for(acting):
        n = _tab_queryset(user, acting, each)[: COUNT_CAP + 1].count()
        counts[each.value] = f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)
    field = _sort_field(tab)
    qs = _tab_queryset(user, acting, tab).select_related(
        "procedure", "current_step", "current_agency", "assignee"
    )
    if after is not None:
        qs = _after(qs, field, after)
    rows = list(qs.order_by(F(field).asc(nulls_last=True), "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    soon = soon_limit(acting.agency, now=now)
    last = rows[-1] if rows else None
    return InboxPage(
        tab=tab,
        rows=[
            InboxRow(d, urgency_of(d.extended_due_at or d.due_at, now=now, soon_until=soon))
            for d in rows
        ],
        counts=counts,
        next_cursor=_cursor(getattr(last, field), last.pk) if more and last else "",
    )


# --- the dossier page --------------------------------------------------------------------


# The step in progress has used no more than its budget so far.
IN_TIME = "in_time"


@dataclass(frozen=True)
class StepRow:
    """A step of the process with the time its last holder used and how that went."""

    step: ProcessStep
    is_current: bool
    spent: dt.timedelta | None
    timeliness: str | None


def _step_rows(
    dossier: Dossier,
    steps: list[ProcessStep],
    slip: list[HandOver],
    holding: dt.timedelta | None,
) -> list[StepRow]:
    """Each step with the time its last holder used; the current step with the time used
    so far (`holding`) and whether that is still within its budget ("in_time") or not."""
    finished = {row.finished_step.pk: row for row in slip if row.finished_step is not None}
    rows = []
    for step in steps:
        spent, timeliness = None, None
        if step.pk == dossier.current_step_id and holding is not None:
            spent = holding
            if step.budget_hours is not None:
                over = step_timeliness(holding, step.budget_hours) == Timeliness.LATE
                timeliness = Timeliness.LATE.value if over else IN_TIME
        elif step.pk in finished:
            spent, timeliness = finished[step.pk].spent, finished[step.pk].timeliness
        rows.append(StepRow(step, step.pk == dossier.current_step_id, spent, timeliness))
    return rows


@dataclass(frozen=True)
class DocumentRow:
    """A document the procedure version asks for: whether it is recorded as handed in,
    and the files uploaded for it."""

    document: RequiredDocument
    handed_in: bool
    files: list[DossierFile]


@dataclass(frozen=True)
class DossierPage:
    dossier: Dossier
    documents: list[RequiredDocument]
    document_rows: list[DocumentRow]
    steps: list[StepRow]
    slip: list[HandOver]
    events: list[DossierEvent]
    consultations: list[Consultation]
    files: list[DossierFile]
    actions: list[Action]
    # Each event with the notices it sent the applicant (SMS, e-mail) and, when they are
    # not all sent, its outbox message (retried, or given up: the desk must call them).
    timeline: list[tuple[DossierEvent, list[SentNotice], Untold | None]]


def dossier_page_for(user: User, *, code: str, now: dt.datetime | None = None) -> DossierPage:
    """Everything the dossier page shows, if `user` may read the dossier (else
    DossierNotFound). A fixed number of queries whatever the length of the history."""
    dossier = dossier_get_for(user, code=code)
    consultations = list(
        Consultation.objects.filter(dossier_id=dossier.pk).select_related("agency").order_by("pk")
    )
    events = list(
        DossierEvent.objects.filter(dossier_id=dossier.pk)
        .select_related("actor", "actor_agency", "to_step", "to_agency", "to_assignee")
        .order_by("at", "pk")
    )
    wanted = [int(d) for d in dossier.documents or []]
    documents = list(
        RequiredDocument.objects.filter(version_id=dossier.procedure_version_id).order_by(
            "position", "pk"
        )
    )
    steps = list(
        ProcessStep.objects.filter(version_id=dossier.procedure_version_id)
        .select_related("agency")
        .order_by("position")
    )
    files = dossier_files_for(user, code=code)
    told, untold = notices.sent_by_event(events), notices.untold_by_event(events)
    slip, holding = (
        control_slip_and_holding(dossier, now=now or timezone.now())
        if dossier.received_at
        else ([], None)
    )
    return DossierPage(
        dossier=dossier,
        documents=[d for d in documents if d.pk in wanted],
        document_rows=[
            DocumentRow(d, d.pk in wanted, [f for f in files if f.required_document_id == d.pk])
            for d in documents
        ],
        steps=_step_rows(dossier, steps, slip, holding),
        slip=slip,
        events=events,
        consultations=consultations,
        files=files,
        actions=permissions.actions_allowed(
            permissions.scope_of(user, on=timezone.localdate()), dossier, consultations
        ),
        timeline=[(e, told.get(e.pk, []), untold.get(e.pk)) for e in events],
    )


def step_officers(dossier: Dossier) -> list[AuthUser]:
    """Officers who may be assigned the current step: the role of the step in its agency."""
    if dossier.current_step is None or dossier.current_agency_id is None:
        return []
    role = dossier.current_step.role
    memberships = Membership.objects.active_on(timezone.localdate()).filter(
        agency_id=dossier.current_agency_id
    )
    if role:
        memberships = memberships.filter(role=role)
    return list(
        AuthUser.objects.filter(pk__in=memberships.values("user_id")).order_by(
            "last_name", "first_name", "username"
        )
    )


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchCriteria:
    code: str = ""
    name: str = ""
    id_number: str = ""
    phone: str = ""
    procedure: str = ""
    status: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None

    def is_empty(self) -> bool:
        return not any(
            (
                self.code,
                self.name,
                self.id_number,
                self.phone,
                self.procedure,
                self.status,
                self.received_from,
                self.received_to,
            )
        )


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone())


def dossier_search_for(
    user: User, *, criteria: SearchCriteria, after: int | None, limit: int = PAGE_SIZE
) -> tuple[list[Dossier], int | None]:
    """Visible dossiers matching every criterion, newest first (keyset on the id), and the
    id to continue after (None on the last page). Names are matched without diacritics."""
    qs = visible_to(user).select_related("procedure", "handling_agency", "current_step")
    if criteria.code:
        qs = qs.filter(code__icontains=criteria.code.strip())
    if criteria.name:
        qs = _name_filter(qs, criteria.name)
    if criteria.id_number:
        qs = qs.filter(
            Q(applicant_id_number=criteria.id_number)
            | Q(representative_id_number=criteria.id_number)
        )
    if criteria.phone:
        qs = qs.filter(
            Q(applicant_phone__endswith=criteria.phone)
            | Q(representative_phone__endswith=criteria.phone)
        )
    if criteria.procedure:
        words = fold(criteria.procedure).split()
        for word in words:
            qs = qs.filter(Q(procedure__name_folded__contains=word) | Q(procedure__code=word))
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.received_from:
        qs = qs.filter(received_at__gte=_local_midnight(criteria.received_from))
    if criteria.received_to:
        qs = qs.filter(received_at__lt=_local_midnight(criteria.received_to + dt.timedelta(days=1)))
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more and rows else None)


class Folded(Func):
    """`motcua.domain.text.fold` in SQL: lower(unaccent()) on PostgreSQL, the same Python
    function registered on each SQLite connection (see `apps.BackofficeConfig.ready`)."""

    function = "motcua_fold"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="lower(unaccent(%(expressions)s))")


def _name_filter(qs: QuerySet[Dossier], name: str) -> QuerySet[Dossier]:
    """Every folded word of `name` must appear in the folded applicant's or
    representative's name (diacritic- and case-insensitive)."""
    qs = qs.alias(
        applicant_folded=Folded("applicant_name"),
        representative_folded=Folded("representative_name"),
    )
    for word in fold(name).split():
        qs = qs.filter(Q(applicant_folded__contains=word) | Q(representative_folded__contains=word))
    return qs


# --- tracking book -----------------------------------------------------------------------


def agencies_for_book(user: User, *, on: dt.date) -> list[Agency]:
    """The agencies whose tracking book the officer may keep: those of their memberships."""
    return sorted(
        {m.agency.pk: m.agency for m in memberships_of(user, on=on)}.values(),
        key=lambda a: a.code,
    )
