"""Who may see and do what with a dossier. Reads compile to SQL (`visible_q`); the check
before an action (`check_can_act`) runs on the locked row.

- Receivers of any receiving unit in a province may receive every procedure of the province
  (118/2025 Art. 14(2)) and return its results. The other desk actions (the applicant's
  supplement, withdrawal once received, payment) are for the unit that received it.
- Specialists, division heads, leaders and clerks act on dossiers whose current step is
  theirs: the step's agency and role (any of these roles when the step names none), or
  assigned to them. Division heads and leaders see every dossier their agency subtree
  handles or holds now, and assign its steps; a clerk or specialist also sees those they
  acted on.
- An agency consulted on a dossier sees it and may reply.
- Monitors read everything their agency subtree handles or holds now, and act on nothing.
- An applicant sees their own dossiers.

Whoever may act on a dossier may also see it (`acting_agency` grants nothing `visible_q`
hides), so a service can answer "not found" to anyone who may not see the dossier without
telling them it exists."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Exists, OuterRef, Q

from motcua.agencies.models import Agency, Membership, Role
from motcua.domain import lifecycle
from motcua.domain.lifecycle import Action

from .exceptions import NotAllowed
from .models import Consultation, Dossier, DossierEvent, Status

STEP_ROLES = (Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK)
SUPERVISOR_ROLES = (Role.DIVISION_HEAD, Role.LEADER, Role.AGENCY_ADMIN)
# Reception-desk actions.
DESK_ACTIONS = frozenset(
    {
        Action.RECEIVE,
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        Action.REFUSE_RECEPTION,
        Action.RETURN_RESULT,
        Action.SUPPLEMENT,
        Action.WITHDRAW,
        Action.CONFIRM_PAYMENT,
    }
)
# Statuses in which any receiver of the province deals with the dossier: before reception,
# and when the result (or the refusal letter) waits to be returned. In the others only the
# receiving unit does, as only it sees the dossier then.
PROVINCE_DESK_STATUSES = (Status.AWAITING_RECEPTION, Status.RESOLVED, Status.REJECTED)
# Actions of the officer at the current step.
STEP_ACTIONS = frozenset(
    {
        Action.FORWARD,
        Action.SEND_BACK,
        Action.TRANSFER,
        Action.REQUEST_SUPPLEMENT,
        Action.CONSULT,
        Action.REQUEST_PAYMENT,
        Action.CONFIRM_PAYMENT,
        Action.REJECT,
        Action.RESOLVE,
    }
)
APPLICANT_ACTIONS = frozenset({Action.SUPPLEMENT, Action.WITHDRAW})

User = AuthUser | AnonymousUser


@dataclass(frozen=True)
class Scope:
    """An officer's active memberships, read once per request."""

    user_id: int | None
    is_superuser: bool
    memberships: tuple[tuple[int, str, str], ...]  # (agency id, agency path, role)
    # The agencies of the memberships, to act for one without reading it again.
    agency_rows: dict[int, Agency] = field(default_factory=dict, compare=False, hash=False)

    def agencies(self, *roles: str) -> list[int]:
        return [a for a, _, r in self.memberships if not roles or r in roles]

    def paths(self, *roles: str) -> list[str]:
        return [p for _, p, r in self.memberships if not roles or r in roles]

    def province_paths(self, *roles: str) -> list[str]:
        """'/<root id>/' of each province where the officer holds one of `roles`."""
        return sorted({province_path(p) for p in self.paths(*roles)})


def province_path(path: str) -> str:
    """'/<root id>/' of the agency whose path is `path` ('/1/5/9/' -> '/1/')."""
    return "/" + path.split("/")[1] + "/"


_remembered: contextvars.ContextVar[dict[tuple[int, dt.date], Scope] | None] = (
    contextvars.ContextVar("remembered_scopes", default=None)
)


@contextmanager
def scopes_remembered() -> Iterator[None]:
    """Within this block (one HTTP request), `scope_of` reads each user's memberships once:
    the permission check of an action and the allowed actions shown after it share them."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


_acting: contextvars.ContextVar[tuple[int, str] | None] = contextvars.ContextVar(
    "acting_membership", default=None
)


@contextmanager
def acting_as(agency_id: int, role: str) -> Iterator[None]:
    """Within this block (a back-office request), actions are allowed and recorded for
    this one membership of the officer (the role switcher's choice), not for whichever of
    their memberships would allow them. What the officer may read is unchanged."""
    token = _acting.set((agency_id, role))
    try:
        yield
    finally:
        _acting.reset(token)


def _acting_scope(scope: Scope) -> Scope:
    """`scope` narrowed to the membership chosen with `acting_as`, if any."""
    chosen = _acting.get()
    if chosen is None or scope.is_superuser or scope.user_id is None:
        return scope
    kept = tuple(m for m in scope.memberships if (m[0], m[2]) == chosen)
    return Scope(
        scope.user_id,
        False,
        kept,
        {a: row for a, row in scope.agency_rows.items() if a == chosen[0] and kept},
    )


def scope_of(user: User, *, on: dt.date) -> Scope:
    if not user.is_authenticated:
        return Scope(None, False, ())
    remembered = _remembered.get()
    key = (int(user.pk), on)
    if remembered is not None and key in remembered:
        return remembered[key]
    scope = _scope(user, Membership.objects.of_user_on(int(user.pk), on))
    if remembered is not None:
        remembered[key] = scope
    return scope


def _scope(user: AuthUser, memberships: Sequence[Membership]) -> Scope:
    return Scope(
        int(user.pk),
        bool(getattr(user, "is_superuser", False)),
        tuple((m.agency_id, m.agency.path, m.role) for m in memberships),
        {m.agency_id: m.agency for m in memberships},
    )


def remember_scope(user: AuthUser, *, on: dt.date, memberships: Sequence[Membership]) -> None:
    """Within `scopes_remembered`, let `scope_of(user, on=on)` use these memberships of
    `user` on `on` (with their agencies), read along with something else (the API token)."""
    remembered = _remembered.get()
    if remembered is not None and user.is_authenticated:
        remembered[int(user.pk), on] = _scope(user, memberships)


def _under(paths: list[str], field: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def visible_q(scope: Scope) -> Any:
    """The dossiers `scope` may read, as one filter."""
    if scope.is_superuser:
        return Q()
    if scope.user_id is None:
        return Q(pk__in=[])
    q: Any = Q(applicant_user_id=scope.user_id)
    receiver_provinces = scope.province_paths(Role.RECEIVER)
    if receiver_provinces:
        q |= _under(receiver_provinces, "handling_agency") & Q(status__in=PROVINCE_DESK_STATUSES)
        q |= Q(receiving_unit_id__in=scope.agencies(Role.RECEIVER))
    for agency_id, _, role in scope.memberships:
        if role in STEP_ROLES:
            q |= Q(current_agency_id=agency_id, current_step__role=role)
    step_agencies = scope.agencies(*STEP_ROLES)
    if step_agencies:
        # A step that names no role is for every officer of its agency.
        q |= Q(current_agency_id__in=step_agencies, current_step__role="")
    q |= Q(assignee_id=scope.user_id)
    overseen = scope.paths(*SUPERVISOR_ROLES, Role.MONITOR)
    q |= _under(overseen, "handling_agency") | _under(overseen, "current_agency")
    q |= Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), actor_id=scope.user_id))
    officer_agencies = scope.agencies(*STEP_ROLES, Role.RECEIVER, Role.AGENCY_ADMIN)
    if officer_agencies:
        q |= Exists(
            Consultation.objects.filter(dossier=OuterRef("pk"), agency_id__in=officer_agencies)
        )
    return q


def can_see(scope: Scope, dossier: Dossier) -> bool:
    """Whether `scope` may read `dossier` (one query; `visible_q` on one row)."""
    return Dossier.objects.filter(visible_q(scope), pk=dossier.pk).exists()


def _desk_agency(scope: Scope, dossier: Dossier) -> Agency | None:
    """The receiving unit on whose behalf a receiver of `scope` deals with `dossier` at
    the desk, or None when none of theirs may."""
    receivers = scope.agencies(Role.RECEIVER)
    if dossier.receiving_unit_id is not None and dossier.receiving_unit_id in receivers:
        return dossier.receiving_unit
    if dossier.status not in PROVINCE_DESK_STATUSES:
        return None
    province = province_path(dossier.handling_agency.path)
    desks = [
        scope.agency_rows[pk]
        for pk in receivers
        if pk in scope.agency_rows and scope.agency_rows[pk].path.startswith(province)
    ]
    return min(desks, key=lambda agency: agency.code, default=None)


def _step_roles(dossier: Dossier) -> tuple[str, ...]:
    role = dossier.current_step.role if dossier.current_step else ""
    return (role,) if role else STEP_ROLES


def _oversees(scope: Scope, agency: Agency | None) -> bool:
    return agency is not None and any(
        agency.path.startswith(path) for path in scope.paths(*SUPERVISOR_ROLES)
    )


class _Refused(Enum):
    """Why `_acting_agency` found no agency to act for (no exception: `actions_allowed`
    asks about every action of the status on every dossier page)."""

    NOT_THEIRS = "not_theirs"
    LEADER_ONLY = "leader_only"


def _acting_agency(scope: Scope, dossier: Dossier, action: Action) -> Agency | _Refused | None:
    scope = _acting_scope(scope)
    if scope.is_superuser:
        return dossier.current_agency or dossier.handling_agency
    if scope.user_id is None:
        # Anonymous: nobody. (Compared with the None of an empty assignee or of a walk-in
        # dossier's applicant account, its missing id would match.)
        return _Refused.NOT_THEIRS
    if action in APPLICANT_ACTIONS and dossier.applicant_user_id == scope.user_id:
        return None
    if action in DESK_ACTIONS:
        desk = _desk_agency(scope, dossier)
        if desk is not None:
            return desk
    if action is Action.APOLOGISE_AND_EXTEND:
        if dossier.handling_agency_id in scope.agencies(Role.LEADER):
            return dossier.handling_agency
        return _Refused.LEADER_ONLY
    if action is Action.ASSIGN and _oversees(scope, dossier.current_agency):
        return dossier.current_agency
    at_their_step = dossier.assignee_id == scope.user_id or (
        dossier.current_agency_id in scope.agencies(*_step_roles(dossier))
    )
    if action in STEP_ACTIONS and dossier.current_step_id is not None and at_their_step:
        return dossier.current_agency
    return _Refused.NOT_THEIRS


def acting_agency(scope: Scope, dossier: Dossier, action: Action) -> Agency | None:
    """The agency on whose behalf the officer takes `action`, or NotAllowed (within
    `acting_as`, only the membership chosen counts)."""
    agency = _acting_agency(scope, dossier, action)
    if agency is _Refused.LEADER_ONLY:
        raise NotAllowed(action, _reason_leader())
    if isinstance(agency, _Refused):
        raise NotAllowed(action, "")
    return agency


def _reason_leader() -> str:
    from django.utils.translation import gettext as _

    return _("Only the head of the handling agency may sign an apology and extension.")


def check_reply(scope: Scope, consultation: Consultation) -> Agency:
    """Officers of the consulted agency (not monitors) reply on its behalf."""
    scope = _acting_scope(scope)
    if scope.is_superuser or consultation.agency_id in scope.agencies(
        *STEP_ROLES, Role.RECEIVER, Role.AGENCY_ADMIN
    ):
        return consultation.agency
    raise NotAllowed(Action.REPLY_CONSULTATION, "")


def _may_reply(scope: Scope, consultation: Consultation) -> bool:
    try:
        check_reply(scope, consultation)
    except NotAllowed:
        return False
    return True


def actions_allowed(
    scope: Scope, dossier: Dossier, consultations: Sequence[Consultation]
) -> list[Action]:
    """The actions the law allows in the dossier's status that `scope` may take now, by the
    same rules the services apply (the buttons of the back office, `allowed_actions` of the
    API). `consultations` are the dossier's, already read."""
    allowed: list[Action] = []
    for action in lifecycle.allowed_actions(lifecycle.Status(dossier.status)):
        if action is Action.REPLY_CONSULTATION:
            if any(_may_reply(scope, c) for c in consultations if c.is_open):
                allowed.append(action)
            continue
        if not isinstance(_acting_agency(scope, dossier, action), _Refused):
            allowed.append(action)
    return allowed
