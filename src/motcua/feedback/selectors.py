"""Permission-aware reads of complaints, the public list of published answers, and the
aggregations the reports use (satisfaction per agency, complaint handling timeliness).
Aggregations are single SQL GROUP BY queries, never a Python loop per row."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.agencies.models import Agency, Membership
from motcua.domain.text import fold
from motcua.dossiers.models import Timeliness
from motcua.dossiers.permissions import scope_of

from . import permissions
from .exceptions import ComplaintNotFound
from .models import (
    Complaint,
    ComplaintAction,
    ComplaintEvent,
    ComplaintState,
    Criterion,
    CriterionSet,
    Rating,
    SatisfactionLevel,
)
from .permissions import complaint_visible_q

User = AuthUser | AnonymousUser

OPEN_STATES = (
    ComplaintState.RECEIVED,
    ComplaintState.PROCESSING,
    ComplaintState.AWAITING_INFORMATION,
)


# --- complaints -------------------------------------------------------------------------


def complaint_visible_to(user: User, *, on: dt.date | None = None) -> QuerySet[Complaint]:
    """The complaints `user` may read: the one queryset every officer and submitter read
    starts from."""
    scope = scope_of(user, on=on or timezone.localdate())
    return Complaint.objects.filter(complaint_visible_q(scope))


def complaint_get_for(user: User, *, tracking_code: str) -> Complaint:
    try:
        return (
            complaint_visible_to(user)
            .select_related("agency", "assignee", "procedure", "dossier", "submitter_user")
            .prefetch_related("attachments")
            .get(tracking_code=tracking_code.strip())
        )
    except Complaint.DoesNotExist:
        raise ComplaintNotFound from None


def complaint_events_for(user: User, *, tracking_code: str) -> list[ComplaintEvent]:
    complaint = complaint_get_for(user, tracking_code=tracking_code)
    return list(complaint.events.select_related("actor", "actor_agency").order_by("at", "pk"))


@dataclass(frozen=True)
class ComplaintFilter:
    state: str = ""
    states: tuple[str, ...] = ()  # any of these (with `state`, both apply)
    agency_code: str = ""
    overdue_at: dt.datetime | None = None  # being handled and past the answer deadline


def complaint_list_for(
    user: User,
    *,
    filters: ComplaintFilter = ComplaintFilter(),
    after: tuple[dt.datetime, int] | None = None,
    limit: int = 50,
) -> list[Complaint]:
    """One page of the visible complaints, oldest receipt first (the officers' work queue;
    keyset pagination: `after` is the (received_at, id) of the previous page's last row)."""
    qs = complaint_visible_to(user).select_related("agency", "assignee")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.states:
        qs = qs.filter(state__in=filters.states)
    if filters.agency_code:
        qs = qs.filter(agency__code=filters.agency_code)
    if filters.overdue_at is not None:
        qs = qs.filter(
            state__in=[ComplaintState.RECEIVED, ComplaintState.PROCESSING],
            answer_due_at__lt=filters.overdue_at,
        )
    if after is not None:
        moment, pk = after
        qs = qs.filter(Q(received_at__gt=moment) | Q(received_at=moment, pk__gt=pk))
    return list(qs.order_by("received_at", "pk")[:limit])


def complaint_public_status(*, tracking_code: str, token: str) -> Complaint | None:
    """The complaint for a submitter without an account: tracking code plus access token.
    None when either is wrong (the caller must not tell which)."""
    complaint = (
        Complaint.objects.select_related("agency")
        .filter(tracking_code=tracking_code.strip())
        .first()
    )
    if complaint is None or not token:
        return None
    return complaint if secrets.compare_digest(token.strip(), complaint.access_token) else None


def complaint_list_published(
    *,
    after: tuple[dt.datetime, int] | None = None,
    limit: int = 20,
    agency: Agency | None = None,
    query: str = "",
) -> list[Complaint]:
    """Published questions and answers, newest first, for everyone. Callers show subject,
    content, answer, agency and dates, never the submitter's personal data. `query`: every
    word, accent- and case-insensitively, in the subject, content or answer."""
    qs = Complaint.objects.filter(state=ComplaintState.PUBLISHED).select_related(
        "agency", "procedure"
    )
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    for word in fold(query).split()[:10]:
        qs = qs.filter(published_folded__contains=word)
    if after is not None:
        moment, pk = after
        qs = qs.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    return list(qs.order_by("-published_at", "-pk")[:limit])


def complaint_get_published(*, pk: int) -> Complaint:
    """One published question and answer, for everyone (show no personal data)."""
    try:
        return Complaint.objects.select_related("agency", "procedure").get(
            pk=pk, state=ComplaintState.PUBLISHED
        )
    except Complaint.DoesNotExist:
        raise ComplaintNotFound from None


def complaint_list_submitted_by(
    user: User, *, before: int | None = None, limit: int = 20
) -> list[Complaint]:
    """The complaints `user` sent from their account, newest first (keyset on id)."""
    if not user.is_authenticated:
        return []
    qs = Complaint.objects.filter(submitter_user_id=user.pk).select_related("agency")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[:limit])


def complaint_get_submitted_by(user: User, *, tracking_code: str) -> Complaint:
    """The submitter's own complaint, with its attachments; ComplaintNotFound for anyone
    else's (an officer reads complaints in the back office, not here)."""
    if not user.is_authenticated:
        raise ComplaintNotFound
    try:
        return (
            Complaint.objects.select_related("agency", "procedure", "dossier")
            .prefetch_related("attachments")
            .get(tracking_code=tracking_code.strip(), submitter_user_id=user.pk)
        )
    except Complaint.DoesNotExist:
        raise ComplaintNotFound from None


# What the submitter is shown of the handling: the officers' routing notes stay inside.
SUBMITTER_ACTIONS = (
    ComplaintAction.SUBMIT,
    ComplaintAction.REFUSE,
    ComplaintAction.REQUEST_INFORMATION,
    ComplaintAction.PROVIDE_INFORMATION,
    ComplaintAction.ANSWER,
    ComplaintAction.PUBLISH,
)


def complaint_timeline_for_submitter(complaint: Complaint) -> list[ComplaintEvent]:
    """The steps the submitter may see, oldest first, without the officers' identities."""
    return list(complaint.events.filter(action__in=SUBMITTER_ACTIONS).order_by("at", "pk"))


def complaint_actions_for(user: User, complaint: Complaint, *, on: dt.date) -> list[str]:
    """The actions `user` may take on `complaint` now (state and permission), for forms.
    The services check again on the locked row."""
    from .services import TRANSITIONS

    scope = scope_of(user, on=on)
    handle = permissions.may_handle(scope, complaint)
    route = permissions.may_assign(scope, complaint)
    allowed = []
    for (state, action), _target in TRANSITIONS.items():
        if state != complaint.state or action == ComplaintAction.PROVIDE_INFORMATION:
            continue
        if (route if action == ComplaintAction.ASSIGN else handle) and action not in allowed:
            allowed.append(action)
    return allowed


def complaint_assignable_officers(complaint: Complaint, *, on: dt.date) -> list[AuthUser]:
    """Officers holding a handling role in the complaint's agency on `on` (monitors only
    read, so they are not offered)."""
    memberships = (
        Membership.objects.active_on(on)
        .filter(agency_id=complaint.agency_id, role__in=permissions.HANDLER_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    seen: dict[int, AuthUser] = {}
    for membership in memberships:
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def complaint_attachment_for(user: User, *, tracking_code: str, attachment_id: int) -> Any:
    """An attachment of a complaint `user` may read (officer or submitter)."""
    complaint = complaint_get_for(user, tracking_code=tracking_code)
    found = next((a for a in complaint.attachments.all() if a.pk == attachment_id), None)
    if found is None:
        raise ComplaintNotFound
    return found


# --- aggregations for reports -----------------------------------------------------------


def _share(part: int, whole: int) -> Decimal | None:
    """Percentage with 2 decimals; None when there is nothing to divide (shown as N/A)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class SatisfactionRow:
    agency_id: int
    agency_code: str
    agency_name: str
    very_satisfied: int
    satisfied: int
    dissatisfied: int

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    @property
    def satisfied_share(self) -> Decimal | None:
        """Share (%) of ratings that are "very satisfied" or "satisfied"."""
        return _share(self.very_satisfied + self.satisfied, self.total)


def satisfaction_by_agency(
    *, root: Agency, start: dt.datetime, end: dt.datetime
) -> list[SatisfactionRow]:
    """Ratings first given in [start, end) of dossiers handled by `root` and its subtree,
    counted per level and handling agency. The caller authorises (reports check that the
    reader oversees `root`)."""
    rows = (
        Rating.objects.filter(
            agency__path__startswith=root.path, rated_at__gte=start, rated_at__lt=end
        )
        .values("agency_id", "agency__code", "agency__name")
        .annotate(
            very=Count("pk", filter=Q(level=SatisfactionLevel.VERY_SATISFIED)),
            ok=Count("pk", filter=Q(level=SatisfactionLevel.SATISFIED)),
            bad=Count("pk", filter=Q(level=SatisfactionLevel.DISSATISFIED)),
        )
        .order_by("agency__code")
    )
    return [
        SatisfactionRow(
            r["agency_id"], r["agency__code"], r["agency__name"], r["very"], r["ok"], r["bad"]
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ComplaintTimelinessRow:
    agency_id: int
    agency_code: str
    agency_name: str
    received: int
    refused: int
    answered: int
    handled_on_time: int  # refused or answered by its deadline
    handled_late: int
    open: int
    open_overdue: int  # still being handled, past its deadline at `now`
    published: int
    published_late: int
    publication_overdue: int  # answered, neither published nor kept private, past its due
    fully_on_time: int  # handled, and no step (refuse, ask, answer, publish) late

    @property
    def on_time_share(self) -> Decimal | None:
        return _share(self.handled_on_time, self.handled_on_time + self.handled_late)


def complaint_timeliness_by_agency(
    *, root: Agency, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[ComplaintTimelinessRow]:
    """Complaints received in [start, end) by `root` and its subtree, per handling agency:
    how many were refused or answered, on time or late, and how many are still open and
    overdue at `now`. A complaint is fully on time (766 indicator 5.2, criterion 8 of the
    evaluation tool) when it was refused or answered in time and neither the request for
    information nor the publication was late (or is overdue at `now`). The caller
    authorises."""
    handled = Q(state__in=[ComplaintState.REFUSED, *_ANSWERED])
    on_time = Q(handling_timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])
    publication_overdue = Q(state=ComplaintState.ANSWERED, publish_due_at__lt=now)
    rows = (
        Complaint.objects.filter(
            agency__path__startswith=root.path, received_at__gte=start, received_at__lt=end
        )
        .values("agency_id", "agency__code", "agency__name")
        .annotate(
            received=Count("pk"),
            refused=Count("pk", filter=Q(state=ComplaintState.REFUSED)),
            answered=Count("pk", filter=Q(state__in=_ANSWERED)),
            on_time=Count("pk", filter=handled & on_time),
            late=Count("pk", filter=handled & Q(handling_timeliness=Timeliness.LATE)),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            open_overdue=Count(
                "pk",
                filter=Q(
                    state__in=[ComplaintState.RECEIVED, ComplaintState.PROCESSING],
                    answer_due_at__lt=now,
                ),
            ),
            published=Count("pk", filter=Q(state=ComplaintState.PUBLISHED)),
            published_late=Count(
                "pk",
                filter=Q(state=ComplaintState.PUBLISHED, publish_timeliness=Timeliness.LATE),
            ),
            publication_overdue=Count("pk", filter=publication_overdue),
            fully_on_time=Count(
                "pk",
                filter=handled
                & on_time
                & ~Q(information_timeliness=Timeliness.LATE)
                & ~Q(publish_timeliness=Timeliness.LATE)
                & ~publication_overdue,
            ),
        )
        .order_by("agency__code")
    )
    return [
        ComplaintTimelinessRow(
            r["agency_id"],
            r["agency__code"],
            r["agency__name"],
            r["received"],
            r["refused"],
            r["answered"],
            r["on_time"],
            r["late"],
            r["open"],
            r["open_overdue"],
            r["published"],
            r["published_late"],
            r["publication_overdue"],
            r["fully_on_time"],
        )
        for r in rows
    ]


_ANSWERED = [ComplaintState.ANSWERED, ComplaintState.PUBLISHED, ComplaintState.CLOSED]


def criterion_set_in_force(*, on: dt.date) -> CriterionSet | None:
    """The evaluation tool to show on the rating form on `on`, with its criteria."""
    return (
        CriterionSet.objects.filter(effective_from__lte=on)
        .prefetch_related("criteria")
        .order_by("-effective_from", "-version")
        .first()
    )


def rating_criteria_in_force(*, on: dt.date) -> list[Criterion]:
    """The questions the rating form asks about one dossier on `on`: the per-dossier
    criteria of the tool in force, in order (empty when none is in force)."""
    criterion_set = criterion_set_in_force(on=on)
    if criterion_set is None:
        return []
    return [c for c in criterion_set.criteria.all() if c.per_dossier]


def complaint_next_deadline(
    complaint: Complaint, now: dt.datetime
) -> tuple[dt.datetime | None, str]:
    """The deadline that matters now and its step ("refuse", "answer", "publish"): refusal
    while it can still be met, then the answer (none while waiting for the submitter: that
    clock is stopped), the publication once answered; (None, "") when none runs."""
    state = complaint.state
    if state in (ComplaintState.RECEIVED, ComplaintState.PROCESSING):
        if state == ComplaintState.RECEIVED and now <= complaint.refuse_due_at:
            return complaint.refuse_due_at, "refuse"
        return complaint.answer_due_at, "answer"
    if state == ComplaintState.ANSWERED:
        return complaint.publish_due_at, "publish"
    return None, ""
