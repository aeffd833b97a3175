"""Every change to the procedure catalogue goes through `procedure_upsert`: the importer of
the national portal export, the demo data and (later) the catalogue editor all describe a
procedure as a `ProcedureSpec` and let this one path decide whether it is new, unchanged,
or a new version."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction

from motcua.agencies.models import Agency, Role
from motcua.domain import deadlines
from motcua.domain.text import normalize

from .exceptions import ProcessOverBudget
from .models import (
    Channel,
    ChannelOption,
    DocumentForm,
    FeeKind,
    Field,
    ImplementingLevel,
    OnlineLevel,
    Procedure,
    ProcedureSource,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    ResultType,
)


@dataclass(frozen=True)
class ChannelSpec:
    channel: Channel
    time_limit_amount: Decimal | None = None
    time_limit_unit: deadlines.Unit | None = None
    time_limit_text: str = ""
    fee_kind: FeeKind = FeeKind.UNKNOWN
    fee_amount: Decimal | None = None
    fee_currency: str = "VND"
    fee_text: str = ""
    description: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    case: str = ""
    originals: int = 1
    copies: int = 0
    form: DocumentForm = DocumentForm.ORIGINAL
    template_name: str = ""
    is_eform: bool = False
    is_required: bool = True


@dataclass(frozen=True)
class StepSpec:
    name: str
    budget_hours: Decimal
    role: Role | None = None
    agency_code: str = ""


@dataclass(frozen=True)
class VersionSpec:
    publishing_decision: str = ""
    competent_authority: str = ""
    competent_agency_code: str = ""
    implementing_agencies: str = ""
    coordinating_agencies: str = ""
    subjects: str = ""
    steps_description: str = ""
    conditions: str = ""
    result_description: str = ""
    result_type: ResultType = ResultType.UNSPECIFIED
    online_level: OnlineLevel = OnlineLevel.NONE
    consultation_counts_toward_deadline: bool = True
    payment_counts_toward_deadline: bool = False
    legal_basis: tuple[tuple[str, str], ...] = ()  # (number, title)
    channels: tuple[ChannelSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    steps: tuple[StepSpec, ...] = ()

    def content_hash(self) -> str:
        def default(value: object) -> object:
            if isinstance(value, Decimal):
                return str(value.normalize())
            if isinstance(value, enum.Enum):
                return value.value
            raise TypeError(type(value))

        payload = json.dumps(asdict(self), sort_keys=True, default=default, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field_name: str = ""
    levels: frozenset[ImplementingLevel] = field(default_factory=frozenset)
    kind: str = ""
    issuing_authority: str = ""
    source: ProcedureSource = ProcedureSource.LOCAL
    source_url: str = ""
    version: VersionSpec = field(default_factory=VersionSpec)


class UpsertOutcome(enum.StrEnum):
    CREATED = "created"
    NEW_VERSION = "new_version"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def process_check_budget(steps: Sequence[StepSpec], channels: Sequence[ChannelSpec]) -> None:
    """Raise ProcessOverBudget if the steps' budgets add up to more working time than the
    shortest legal time limit among the channels (the process must fit every channel)."""
    if not steps:
        return
    total = sum((Decimal(s.budget_hours) for s in steps), Decimal(0))
    for spec in channels:
        if spec.time_limit_unit is None:
            continue
        limit = deadlines.max_working_hours(
            Decimal(spec.time_limit_amount or 0), deadlines.Unit(spec.time_limit_unit)
        )
        if total > limit:
            raise ProcessOverBudget(total_hours=total, limit_hours=limit, channel=spec.channel)


def _field_for(name: str) -> Field | None:
    name = normalize(name)
    if not name:
        return None
    found, _ = Field.objects.get_or_create(name=name)
    return found


def _agency_for(code: str) -> Agency | None:
    return Agency.objects.get(code=code) if code else None


def _write_version_content(version: ProcedureVersion, spec: VersionSpec, content_hash: str) -> None:
    version.publishing_decision = spec.publishing_decision
    version.competent_authority = spec.competent_authority
    version.competent_agency = _agency_for(spec.competent_agency_code)
    version.implementing_agencies = spec.implementing_agencies
    version.coordinating_agencies = spec.coordinating_agencies
    version.subjects = spec.subjects
    version.steps_description = spec.steps_description
    version.conditions = spec.conditions
    version.result_description = spec.result_description
    version.result_type = spec.result_type
    version.online_level = spec.online_level
    version.consultation_counts_toward_deadline = spec.consultation_counts_toward_deadline
    version.payment_counts_toward_deadline = spec.payment_counts_toward_deadline
    version.legal_basis = [{"number": n, "title": t} for n, t in spec.legal_basis]
    version.content_hash = content_hash
    version.save()

    version.channel_options.all().delete()
    version.documents.all().delete()
    version.steps.all().delete()
    options = []
    positions: dict[str, int] = {}
    for c in spec.channels:
        position = positions.get(c.channel, 0)
        positions[c.channel] = position + 1
        options.append(
            ChannelOption(
                version=version,
                channel=c.channel,
                position=position,
                time_limit_amount=c.time_limit_amount,
                time_limit_unit=c.time_limit_unit.value if c.time_limit_unit else "",
                time_limit_text=c.time_limit_text[:255],
                fee_kind=c.fee_kind,
                fee_amount=c.fee_amount,
                fee_currency=c.fee_currency,
                fee_text=c.fee_text,
                description=c.description,
            )
        )
    ChannelOption.objects.bulk_create(options)
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version,
            position=i,
            case=d.case,
            name=d.name,
            originals=d.originals,
            copies=d.copies,
            form=d.form,
            template_name=d.template_name[:255],
            is_eform=d.is_eform,
            is_required=d.is_required,
        )
        for i, d in enumerate(spec.documents)
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            position=i + 1,
            name=s.name,
            role=s.role.value if s.role else "",
            agency=_agency_for(s.agency_code),
            budget_hours=s.budget_hours,
        )
        for i, s in enumerate(spec.steps)
    )


@transaction.atomic
def procedure_upsert(*, spec: ProcedureSpec, effective_from: dt.date) -> UpsertOutcome:
    """Create or update the procedure with `spec.code`.

    Identity fields (name, field, levels, ...) are updated in place. The version content is
    compared by hash with the latest version: unchanged -> nothing is written; changed and
    the latest version starts on or after `effective_from` -> rewritten in place; changed
    and older -> the latest version is closed the day before `effective_from` and a new
    version starts. Raises ProcessOverBudget (nothing written) when the process does not fit
    the legal time limit. Locks the procedure row."""
    process_check_budget(spec.version.steps, spec.version.channels)
    procedure = Procedure.objects.select_for_update().filter(code=spec.code).first()
    created = procedure is None
    if procedure is None:
        procedure = Procedure(code=spec.code)
    field_row = _field_for(spec.field_name)
    identity: dict[str, object] = {
        "name": normalize(spec.name),
        "field_id": field_row.pk if field_row else None,
        "kind": spec.kind,
        "issuing_authority": spec.issuing_authority,
        "source": spec.source,
        "source_url": spec.source_url,
        "is_active": True,
        **{f"level_{lvl.value}": lvl in spec.levels for lvl in ImplementingLevel},
    }
    identity_changed = created or any(
        getattr(procedure, name) != value for name, value in identity.items()
    )
    if identity_changed:
        for name, value in identity.items():
            setattr(procedure, name, value)
        procedure.save()

    content_hash = spec.version.content_hash()
    latest = procedure.versions.order_by("-effective_from").first()
    if latest is None:
        _write_version_content(
            ProcedureVersion(procedure=procedure, effective_from=effective_from),
            spec.version,
            content_hash,
        )
        return UpsertOutcome.CREATED if created else UpsertOutcome.NEW_VERSION
    if latest.content_hash == content_hash:
        return UpsertOutcome.UPDATED if identity_changed else UpsertOutcome.UNCHANGED
    if latest.effective_from >= effective_from:
        _write_version_content(latest, spec.version, content_hash)
        return UpsertOutcome.UPDATED
    latest.effective_to = effective_from - dt.timedelta(days=1)
    latest.save(update_fields=["effective_to"])
    _write_version_content(
        ProcedureVersion(procedure=procedure, effective_from=effective_from),
        spec.version,
        content_hash,
    )
    return UpsertOutcome.NEW_VERSION
