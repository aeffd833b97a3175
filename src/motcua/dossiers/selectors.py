"""Permission-aware reads of dossiers. Every list and lookup goes through `visible_to`, so
an officer of another agency can neither see nor find this agency's dossiers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from motcua.domain.lifecycle import OPEN

from . import permissions
from .exceptions import DossierNotFound
from .models import Dossier, DossierEvent, DossierFile, FileKind, Status

User = AuthUser | AnonymousUser


def visible_to(user: User, *, on: dt.date | None = None) -> QuerySet[Dossier]:
    """The dossiers `user` may read: the one queryset every read path starts from."""
    scope = permissions.scope_of(user, on=on or timezone.localdate())
    return Dossier.objects.filter(permissions.visible_q(scope))


@dataclass(frozen=True)
class DossierFilter:
    status: str = ""
    agency_code: str = ""
    procedure_code: str = ""
    channel: str = ""
    due_before: dt.datetime | None = None
    due_after: dt.datetime | None = None
    overdue_at: dt.datetime | None = None  # open dossiers whose due moment has passed


def dossier_list_for(
    user: User,
    *,
    filters: DossierFilter,
    after: tuple[dt.datetime | None, int] | None,
    limit: int,
) -> list[Dossier]:
    """One page of the visible dossiers, by due moment then id, those without a due moment
    (not received yet, refused at reception) last (keyset pagination: `after` is the
    (due_at, id) of the last row of the previous page). No COUNT."""
    qs = visible_to(user).select_related(
        "procedure", "handling_agency", "current_agency", "current_step"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.agency_code:
        qs = qs.filter(
            Q(handling_agency__code=filters.agency_code)
            | Q(current_agency__code=filters.agency_code)
        )
    if filters.procedure_code:
        qs = qs.filter(procedure__code=filters.procedure_code)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.due_before:
        qs = qs.filter(due_at__lt=filters.due_before)
    if filters.due_after:
        qs = qs.filter(due_at__gte=filters.due_after)
    if filters.overdue_at:
        qs = qs.filter(status__in=[s.value for s in OPEN], due_at__lt=filters.overdue_at)
    if after is not None:
        due, pk = after
        if due is None:
            qs = qs.filter(due_at__isnull=True, pk__gt=pk)
        else:
            qs = qs.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk) | Q(due_at__isnull=True))
    return list(qs.order_by(F("due_at").asc(nulls_last=True), "pk")[:limit])


def _by_code(code: str) -> Q:
    """The dossier with this code, or the submission with this reference (no code yet)."""
    return Q(code=code) | (Q(pk=int(code), code__isnull=True) if code.isdigit() else Q())


def dossier_visible_to(
    user: User, *, code: str | None = None, consultation_id: int | None = None
) -> bool:
    """Whether `user` may read the dossier with this code (or submission reference), or the
    dossier of this consultation: one EXISTS query, for hiding a refusal behind not-found."""
    if code is not None:
        lookup = _by_code(code)
    elif consultation_id is not None:
        lookup = Q(consultations__pk=consultation_id)
    else:
        raise TypeError("give the code or the consultation id")
    return visible_to(user).filter(lookup).exists()


def dossier_get_for(user: User, *, code: str) -> Dossier:
    """The dossier with this code (or submission reference) if `user` may read it."""
    qs = visible_to(user).select_related(
        "procedure",
        "procedure_version",
        "handling_agency",
        "receiving_unit",
        "current_step",
        "current_agency",
        "assignee",
    )
    try:
        return qs.get(_by_code(code))
    except Dossier.DoesNotExist:
        raise DossierNotFound from None


def dossier_events_for(user: User, *, code: str) -> list[DossierEvent]:
    dossier = dossier_get_for(user, code=code)
    return list(
        dossier.events.select_related(
            "actor", "actor_agency", "from_step", "to_step", "from_agency", "to_agency"
        ).order_by("at", "pk")
    )


# The statuses in which a dossier's result is issued.
RESULT_ISSUED = (Status.RESOLVED, Status.RETURNED)


def _issued_electronic_result() -> Q:
    """The `DossierFile` rows of an electronic result already issued: what the applicant may
    download, keep in their data store, and anyone may check."""
    return Q(
        kind=FileKind.RESULT, dossier__result_electronic=True, dossier__status__in=RESULT_ISSUED
    )


def dossier_files_for(user: User, *, code: str) -> list[DossierFile]:
    """The dossier's files `user` may download. Officers who may read the dossier get every
    file; its applicant gets what they handed in, and the result's files once the dossier is
    resolved with an electronic result."""
    dossier = dossier_get_for(user, code=code)
    files = dossier.files.order_by("uploaded_at", "pk")
    scope = permissions.scope_of(user, on=timezone.localdate())
    if scope.is_superuser or scope.memberships or dossier.applicant_user_id != scope.user_id:
        return list(files)
    if not (dossier.result_electronic and dossier.status in RESULT_ISSUED):
        files = files.exclude(kind=FileKind.RESULT)
    return list(files)


STORE_SIZE = 100


def _stored(dossiers: QuerySet[Dossier]) -> list[DossierFile]:
    """The files of `dossiers` one may take into a new dossier: those handed in and the
    electronic results issued, each content once (its newest copy), newest first; at most
    `STORE_SIZE`. Taken copies are left out: their original stands for them."""
    handed_in = Q(kind__in=[FileKind.SUBMISSION, FileKind.SUPPLEMENT])
    files = (
        DossierFile.objects.filter(dossier__in=dossiers, reused_from__isnull=True)
        .filter(handed_in | _issued_electronic_result())
        .select_related("dossier", "dossier__procedure")
        .order_by("-uploaded_at", "-pk")
    )
    found: dict[str, DossierFile] = {}
    for file in files[: STORE_SIZE * 3]:
        found.setdefault(file.sha256, file)
    return list(found.values())[:STORE_SIZE]


def applicant_store(user: User) -> list[DossierFile]:
    """The applicant's data store (kho dữ liệu): the files of the dossiers of their account
    (see `_stored`). What they may take into a new dossier instead of handing it in again."""
    if not isinstance(user, AuthUser) or user.pk is None:
        return []
    return _stored(Dossier.objects.filter(applicant_user_id=user.pk))


def digitised_for(user: User, *, id_number: str) -> list[DossierFile]:
    """At the counter: what was digitised before for the applicant with this personal ID
    (or organisation code), in the dossiers `user` may see (see `_stored`), so the desk
    does not ask for it again. Nothing for an ID too short to name one person."""
    id_number = id_number.strip()
    if len(id_number) < 9:
        return []
    return _stored(visible_to(user).filter(applicant_id_number=id_number))


def result_by_content(sha256: str) -> DossierFile | None:
    """The electronic result issued with exactly this content (its SHA-256), for the public
    check of a document someone holds; None when motcua issued no such result."""
    return (
        DossierFile.objects.filter(_issued_electronic_result(), sha256=sha256)
        .select_related("dossier", "dossier__procedure", "dossier__handling_agency")
        .order_by("pk")
        .first()
    )


SECOND_FACTOR_FIELDS = ("code", "lookup_token", "applicant_phone", "applicant_id_number")


def dossier_public_status(
    *, code: str, second_factor: str, only: Sequence[str] = ()
) -> Dossier | None:
    """The dossier for the public lookup when `second_factor` is the last 4 digits of the
    applicant's phone or ID number, or the receipt's lookup token; None otherwise (the
    caller must not tell which part was wrong). With `only`, just those fields are loaded
    (besides what the check needs), as the API's lookup, the most frequent read of all,
    does: the ORM's cost grows with the columns it selects."""
    queryset = Dossier.objects.filter(code=code).select_related("procedure", "handling_agency")
    if only:
        queryset = queryset.only(*SECOND_FACTOR_FIELDS, *only)
    found = list(queryset[:1])
    if not found or not second_factor:
        return None
    dossier = found[0]
    factor = second_factor.strip()
    ok = factor == dossier.lookup_token or (
        len(factor) == 4
        and factor.isdigit()
        and factor in {dossier.applicant_phone[-4:], dossier.applicant_id_number[-4:]}
    )
    return dossier if ok else None


def event_of_message(payload: Any) -> DossierEvent | None:
    """The event an outbox message of a dossier was written for (its payload names it), with
    the dossier and what the outbox's destinations read of it; None for a message that
    names none (written before messages named their event) or an event gone."""
    event_id = payload.get("event") if isinstance(payload, dict) else None
    if not isinstance(event_id, int):
        return None
    return (
        DossierEvent.objects.select_related(
            "dossier",
            "dossier__procedure",
            "dossier__handling_agency",
            "dossier__receiving_unit",
        )
        .filter(pk=event_id)
        .first()
    )
