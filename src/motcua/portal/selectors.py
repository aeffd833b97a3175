"""Reads the portal's applicant pages, status board and statistics need beyond the
dossier selectors. Every read of a person's dossiers starts from
`dossiers.selectors.visible_to`; the board and the statistics show no personal data.

What an applicant sees of the timeline (decision, see `PUBLIC_ACTIONS`): the actions that
concern them (submission, reception, requests and answers addressed to them, payment,
apology letters, the end of handling and the return), with the moment and the status after
it. The internal process (forwarding between officers, sending back, assignment, transfers,
consultations of other agencies) is not shown, nor any officer's name: the status and the
agency holding the dossier say enough. Notes are shown only for actions whose note is
written to the applicant (the reasons of a request for supplement, a refusal, an apology,
a rejection; the payment's description; the applicant's own note or reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers import notices
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.exceptions import DossierNotFound
from motcua.dossiers.models import Action, Dossier, DossierEvent, ReturnChannel, Status, Timeliness
from motcua.integrations.models import SentNotice

MY_PAGE_SIZE = 20
BOARD_LIMIT = 60

# Actions shown to the applicant, and whether their note is addressed to the applicant.
PUBLIC_ACTIONS: dict[str, bool] = {
    Action.SUBMIT: False,
    Action.RECEIVE: False,
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: True,
    Action.REFUSE_RECEPTION: True,
    Action.REQUEST_SUPPLEMENT: True,
    Action.SUPPLEMENT: True,
    Action.REQUEST_PAYMENT: True,
    Action.CONFIRM_PAYMENT: False,
    Action.APOLOGISE_AND_EXTEND: True,
    Action.REJECT: True,
    Action.WITHDRAW: True,
    Action.RESOLVE: False,
    Action.RETURN_RESULT: False,
}
# Ready to be collected at the counter of the receiving unit.
READY_FOR_PICKUP = (Status.RESOLVED, Status.REJECTED)


def my_dossier_list(user: AbstractBaseUser, *, before: int | None = None) -> list[Dossier]:
    """One page of the dossiers submitted with `user`'s account, newest first (keyset on
    the id: `before` is the id of the last row of the previous page). Two joins, no COUNT."""
    qs = (
        dossier_selectors.visible_to(user)  # type: ignore[arg-type]
        .filter(applicant_user_id=user.pk)
        .select_related("procedure", "handling_agency")
    )
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[:MY_PAGE_SIZE])


def my_dossier_get(user: AbstractBaseUser, *, reference: str) -> Dossier:
    """The dossier of `user`'s own with this code or submission reference (its id); an id
    still finds the dossier after reception, so the confirmation link keeps working.
    DossierNotFound for anything else, officers' rights notwithstanding."""
    try:
        dossier = dossier_selectors.dossier_get_for(user, code=reference)  # type: ignore[arg-type]
    except DossierNotFound:
        if not reference.isdigit() or len(reference) > 12:
            raise
        found = (
            dossier_selectors.visible_to(user)  # type: ignore[arg-type]
            .filter(pk=int(reference), applicant_user_id=user.pk)
            .select_related("procedure", "handling_agency")
            .first()
        )
        if found is None:
            raise
        dossier = found
    if dossier.applicant_user_id != user.pk:
        raise DossierNotFound
    return dossier


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    label: str
    at: dt.datetime
    status_label: str
    note: str
    payload: dict[str, Any]
    told: list[SentNotice]  # the notices the applicant was sent of it (SMS, e-mail)


def public_timeline(events: list[DossierEvent]) -> list[TimelineEntry]:
    """The applicant's view of the events (see the module docstring)."""
    told = notices.sent_by_event(events)
    entries = []
    for event in events:
        if event.action not in PUBLIC_ACTIONS:
            continue
        shows_note = PUBLIC_ACTIONS[event.action]
        entries.append(
            TimelineEntry(
                action=event.action,
                label=str(Action(event.action).label),
                at=event.at,
                status_label=str(Status(event.to_status).label),
                note=event.note if shows_note else "",
                payload=event.payload if isinstance(event.payload, dict) else {},
                told=told.get(event.pk, []),
            )
        )
    return entries


def latest_event(events: list[DossierEvent], action: str) -> DossierEvent | None:
    return next((e for e in reversed(events) if e.action == action), None)


# --- the status board ---------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    unit: Agency
    ready_codes: list[str]
    received_today: int
    returned_today: int


def _today_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def board_for(*, unit_code: str, now: dt.datetime) -> Board | None:
    """The receiving unit's board: the codes of dossiers whose result (or refusal letter)
    waits at its counter, and today's receptions and returns. None for an unknown unit.
    Codes only: nothing else of a dossier is public. Three queries."""
    unit = Agency.objects.filter(code=unit_code).first()
    if unit is None:
        return None
    ready = list(
        Dossier.objects.filter(
            receiving_unit=unit,
            status__in=READY_FOR_PICKUP,
            requested_return_channel=ReturnChannel.COUNTER,
            code__isnull=False,
        )
        .order_by("-finished_at", "-pk")
        .values_list("code", flat=True)[:BOARD_LIMIT]
    )
    start, end = _today_bounds(now)
    counts = Dossier.objects.filter(receiving_unit=unit).aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        returned=Count("pk", filter=Q(returned_at__gte=start, returned_at__lt=end)),
    )
    return Board(
        unit=unit,
        ready_codes=[c for c in ready if c],
        received_today=int(counts["received"] or 0),
        returned_today=int(counts["returned"] or 0),
    )


# --- public statistics --------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyRate:
    agency: Agency
    finished: int
    on_time: int
    late: int

    @property
    def rate(self) -> Decimal | None:
        """Share finished early or on time, in percent with one decimal."""
        if not self.finished:
            return None
        return (Decimal(self.on_time) * 100 / Decimal(self.finished)).quantize(Decimal("0.1"))


def _period_start(now: dt.datetime, *, year: bool) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(
        month=1 if year else local.month, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def on_time_rates(*, now: dt.datetime, year: bool) -> list[AgencyRate]:
    """Per handling agency: dossiers whose handling ended (resolved or rejected on the
    merits, returned or not) from the first day of the current month (or year) to `now`,
    and how many of them ended early or on time against their legal due moment. Withdrawn
    dossiers and those refused at reception are not counted. One aggregate query over the
    indexed finished moment, one for the agencies' names."""
    start = _period_start(now, year=year)
    rows = list(
        Dossier.objects.filter(
            finished_at__gte=start,
            finished_at__lte=now,
            status__in=(Status.RESOLVED, Status.REJECTED, Status.RETURNED),
        )
        .exclude(timeliness="")
        .values("handling_agency_id")
        .annotate(
            finished=Count("pk"),
            on_time=Count("pk", filter=Q(timeliness__in=(Timeliness.EARLY, Timeliness.ON_TIME))),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
        )
    )
    agencies = Agency.objects.in_bulk([r["handling_agency_id"] for r in rows])
    rates = [
        AgencyRate(
            agency=agencies[r["handling_agency_id"]],
            finished=int(r["finished"]),
            on_time=int(r["on_time"]),
            late=int(r["late"]),
        )
        for r in rows
        if r["handling_agency_id"] in agencies
    ]
    return sorted(rates, key=lambda r: (-(r.rate or 0), r.agency.name))
