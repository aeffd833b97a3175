"""Who may see and handle a complaint or recommendation, in the style of
`dossiers.permissions`: reads compile to one SQL filter (`complaint_visible_q`), the check
before an action runs on the locked row.

- Officers of the agency the complaint is assigned to (any role) see it; all but monitors
  handle it (refuse, ask for information, answer, publish). The officer it is assigned to
  sees and handles it wherever they work.
- Division heads, leaders and agency administrators oversee their agency's subtree: they
  see and handle its complaints and assign them (to an agency, to an officer). A receiver of
  the agency may assign too (the desk routes what arrives).
- Monitors read their agency subtree's complaints and act on nothing.
- The submitter (their account) sees their own and answers requests for information; a
  submitter without an account does so with the tracking code and the access token.
- Officers of any other agency see nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from motcua.agencies.models import Agency, Role
from motcua.dossiers.permissions import SUPERVISOR_ROLES, Scope

from .models import Complaint

HANDLER_ROLES = (
    Role.RECEIVER,
    Role.SPECIALIST,
    Role.DIVISION_HEAD,
    Role.LEADER,
    Role.CLERK,
    Role.AGENCY_ADMIN,
)
ROUTER_ROLES = (Role.RECEIVER, *SUPERVISOR_ROLES)


def _under(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(agency__path__startswith=path)
    return q


def complaint_visible_q(scope: Scope) -> Any:
    """The complaints `scope` may read, as one filter."""
    if scope.is_superuser:
        return Q()
    if scope.user_id is None:
        return Q(pk__in=[])
    q = Q(submitter_user_id=scope.user_id) | Q(assignee_id=scope.user_id)
    agencies = scope.agencies()
    if agencies:
        q |= Q(agency_id__in=agencies)
    overseen = scope.paths(*SUPERVISOR_ROLES, Role.MONITOR)
    if overseen:
        q |= _under(overseen)
    return q


def _oversees(scope: Scope, agency: Agency) -> bool:
    return any(agency.path.startswith(path) for path in scope.paths(*SUPERVISOR_ROLES))


def may_handle(scope: Scope, complaint: Complaint) -> bool:
    if scope.is_superuser:
        return True
    if scope.user_id is None:
        return False
    return (
        complaint.assignee_id == scope.user_id
        or complaint.agency_id in scope.agencies(*HANDLER_ROLES)
        or _oversees(scope, complaint.agency)
    )


def may_assign(scope: Scope, complaint: Complaint) -> bool:
    if scope.is_superuser:
        return True
    if scope.user_id is None:
        return False
    return complaint.agency_id in scope.agencies(*ROUTER_ROLES) or _oversees(
        scope, complaint.agency
    )


def may_see(scope: Scope, complaint: Complaint) -> bool:
    return Complaint.objects.filter(complaint_visible_q(scope), pk=complaint.pk).exists()
