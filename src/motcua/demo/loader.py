"""Write the demo data of `data.py` into the database, idempotently.

Every row is found by its natural key (agency code, username, the membership triple, the
override's day and scope, the procedure code) and written only when it is missing or differs
from the data, so a second run writes nothing and says so. Passwords are set only when an
account is created: a demo user who changed theirs keeps it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencySuccession, Membership, Role
from motcua.calendars.models import CalendarOverride
from motcua.domain import agency_codes
from motcua.procedures.services import UpsertOutcome, procedure_upsert

from . import data

M = TypeVar("M", bound=models.Model)


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return _("%(total)d (%(created)d new, %(updated)d updated)") % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class CredentialRow:
    username: str
    full_name: str
    roles: str
    agencies: str


@dataclass
class DemoSummary:
    agencies: Tally = field(default_factory=Tally)
    successions: Tally = field(default_factory=Tally)
    officers: Tally = field(default_factory=Tally)
    memberships: Tally = field(default_factory=Tally)
    calendar_overrides: Tally = field(default_factory=Tally)
    procedures: Tally = field(default_factory=Tally)
    credentials: list[CredentialRow] = field(default_factory=list)
    password: str = data.DEMO_PASSWORD

    @property
    def changed(self) -> bool:
        tallies = (
            self.agencies,
            self.successions,
            self.officers,
            self.memberships,
            self.calendar_overrides,
            self.procedures,
        )
        return any(t.created or t.updated for t in tallies)


def _sync(
    model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[M, Outcome]:
    """Create the row found by `lookup`, or bring its `values` up to date; write nothing when
    they already match. Foreign keys are given as `<name>_id` so comparing needs no query."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        return model._default_manager.create(**lookup, **values), Outcome.CREATED
    return row, _update(row, values)


def _update(row: models.Model, values: Mapping[str, Any]) -> Outcome:
    stale = [name for name, value in values.items() if getattr(row, name) != value]
    if not stale:
        return Outcome.UNCHANGED
    for name in stale:
        setattr(row, name, values[name])
    row.save(update_fields=stale)
    return Outcome.UPDATED


def _load_agencies(summary: DemoSummary) -> dict[str, int]:
    ids: dict[str, int] = {}
    for item in data.AGENCIES:
        # The loader bypasses full_clean (one query per unique field); check the code here.
        agency_codes.validate(item.code, item.scheme)
        if item.parent is not None and item.parent not in ids:
            raise ValueError(f"Demo agency {item.code}: parent {item.parent} must come first.")
        agency, outcome = _sync(
            Agency,
            {"code": item.code},
            {
                "code_scheme": item.scheme.value,
                "name": item.name,
                "short_name": item.short_name,
                "level": item.level.value,
                "parent_id": ids[item.parent] if item.parent else None,
                "valid_from": item.valid_from,
                "valid_to": item.valid_to,
                "address": item.address,
                "phone": item.phone,
                "email": item.email,
            },
        )
        ids[item.code] = agency.pk
        summary.agencies.add(outcome)
    for succession in data.SUCCESSIONS:
        _, outcome = _sync(
            AgencySuccession,
            {
                "predecessor_id": ids[succession.predecessor],
                "successor_id": ids[succession.successor],
            },
            {
                "kind": succession.kind.value,
                "effective_on": succession.effective_on,
                "legal_basis": succession.legal_basis,
            },
        )
        summary.successions.add(outcome)
    return ids


def _agency_admin_group() -> Group:
    """Read-only admin access for agency administrators (see `data.AGENCY_ADMIN_GROUP`)."""
    group, _created = Group.objects.get_or_create(name=data.AGENCY_ADMIN_GROUP)
    wanted = set(
        Permission.objects.filter(
            content_type__app_label__in=["agencies", "calendars", "procedures"],
            codename__startswith="view_",
        ).values_list("pk", flat=True)
    )
    if set(group.permissions.values_list("pk", flat=True)) != wanted:
        group.permissions.set(wanted)
    return group


def _load_officers(summary: DemoSummary, agency_ids: Mapping[str, int]) -> None:
    user_model = get_user_model()
    password_hash: str | None = None  # hashing is slow on purpose: do it once, and only if needed
    admins = _agency_admin_group()
    codes = {pk: code for code, pk in agency_ids.items()}
    names = {item.code: item.short_name or item.name for item in data.AGENCIES}
    for officer in data.OFFICERS:
        values = {
            "first_name": officer.first_name,
            "last_name": officer.last_name,
            "email": officer.email,
            "is_staff": officer.is_staff,
            "is_superuser": officer.is_superuser,
            "is_active": True,
        }
        user = user_model._default_manager.filter(username=officer.username).first()
        if user is None:
            if password_hash is None:
                password_hash = make_password(data.DEMO_PASSWORD)
            user = user_model._default_manager.create(
                username=officer.username, password=password_hash, **values
            )
            summary.officers.add(Outcome.CREATED)
        else:
            summary.officers.add(_update(user, values))
        is_admin = any(m.role is Role.AGENCY_ADMIN for m in officer.memberships)
        if is_admin and not user.groups.filter(pk=admins.pk).exists():
            user.groups.add(admins)
        for membership in officer.memberships:
            _, outcome = _sync(
                Membership,
                {
                    "user_id": user.pk,
                    "agency_id": agency_ids[membership.agency],
                    "role": membership.role.value,
                },
                {"valid_from": membership.valid_from, "valid_to": membership.valid_to},
            )
            summary.memberships.add(outcome)
        current = [m for m in officer.memberships if m.valid_to is None]
        summary.credentials.append(
            CredentialRow(
                username=officer.username,
                full_name=officer.full_name,
                roles=", ".join(m.role.value for m in current)
                or ("superuser" if officer.is_superuser else ""),
                agencies=", ".join(
                    f"{names[m.agency]} ({codes[agency_ids[m.agency]]})" for m in current
                ),
            )
        )


def _load_calendar(summary: DemoSummary, agency_ids: Mapping[str, int]) -> None:
    for item in data.CALENDAR_OVERRIDES:
        _, outcome = _sync(
            CalendarOverride,
            {"day": item.day, "agency_id": agency_ids[item.agency] if item.agency else None},
            {"kind": item.kind.value, "reason": item.reason, "legal_basis": item.legal_basis},
        )
        summary.calendar_overrides.add(outcome)


_UPSERT_OUTCOMES = {
    UpsertOutcome.CREATED: Outcome.CREATED,
    UpsertOutcome.NEW_VERSION: Outcome.UPDATED,
    UpsertOutcome.UPDATED: Outcome.UPDATED,
    UpsertOutcome.UNCHANGED: Outcome.UNCHANGED,
}


def _load_procedures(summary: DemoSummary) -> None:
    for spec in data.PROCEDURES:
        outcome = procedure_upsert(spec=spec, effective_from=data.CATALOGUE_EFFECTIVE_FROM)
        summary.procedures.add(_UPSERT_OUTCOMES[outcome])


@transaction.atomic
def load_demo(*, stdout: Writer) -> DemoSummary:
    """Create or update the demo province, its officers, calendar examples and procedure
    catalogue. All or nothing: one transaction. Reports progress on `stdout`."""
    summary = DemoSummary()
    agency_ids = _load_agencies(summary)
    stdout.write(
        _("Agencies: %(tally)s; successions: %(successions)s")
        % {"tally": summary.agencies, "successions": summary.successions}
    )
    _load_officers(summary, agency_ids)
    stdout.write(
        _("Officers: %(tally)s; memberships: %(memberships)s")
        % {"tally": summary.officers, "memberships": summary.memberships}
    )
    _load_calendar(summary, agency_ids)
    stdout.write(_("Calendar overrides: %(tally)s") % {"tally": summary.calendar_overrides})
    _load_procedures(summary)
    stdout.write(_("Procedures: %(tally)s") % {"tally": summary.procedures})
    return summary


def format_credentials(rows: Iterable[CredentialRow], password: str) -> str:
    """A plain-text table of the demo accounts, for the console."""
    header = CredentialRow(_("Username"), _("Full name"), _("Role"), _("Agency"))
    table = [header, *rows]
    widths = [
        max(len(getattr(row, name)) for row in table) for name in ("username", "full_name", "roles")
    ]

    def line(row: CredentialRow) -> str:
        cells = (row.username, row.full_name, row.roles)
        padded = "".join(c.ljust(w + 2) for c, w in zip(cells, widths, strict=True))
        return (padded + row.agencies).rstrip()

    rule = "-" * (sum(widths) + 2 * len(widths) + max(len(row.agencies) for row in table))
    lines = [
        _("Demo accounts (password for all: %(password)s)") % {"password": password},
        line(header),
        rule,
        *(line(row) for row in table[1:]),
    ]
    return "\n".join(lines)
