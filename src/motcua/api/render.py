"""Model rows -> response schemas. Reads only what the caller loaded, plus the few related
rows named in each function's docstring, so list endpoints keep a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils import timezone

from motcua.agencies.models import Agency, AgencyLevel
from motcua.dossiers import permissions
from motcua.dossiers.models import Action as ActionChoice
from motcua.dossiers.models import (
    ApplicantKind,
    Consultation,
    Dossier,
    DossierEvent,
    ReturnChannel,
    Status,
    Timeliness,
)
from motcua.procedures.models import (
    Channel,
    DocumentForm,
    FeeKind,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    ResultType,
)

from . import schemas as s
from .auth import WRITE, Principal


def labelled(choices: type[models.TextChoices], value: str) -> s.Labelled | None:
    if not value:
        return None
    try:
        label = str(choices(value).label)
    except ValueError:
        label = value
    return s.Labelled(value=value, label=label)


def _labelled(choices: type[models.TextChoices], value: str) -> s.Labelled:
    return labelled(choices, value) or s.Labelled(value="", label="")


def agency_ref(agency: Agency | None) -> s.AgencyRef | None:
    return s.AgencyRef(code=agency.code, name=agency.name) if agency is not None else None


def user_ref(user: Any) -> s.UserRef | None:
    if user is None:
        return None
    full_name = f"{user.last_name} {user.first_name}".strip()  # family name first
    return s.UserRef(username=user.username, full_name=full_name or user.username)


def step_ref(step: ProcessStep | None) -> s.StepRef | None:
    if step is None:
        return None
    return s.StepRef(position=step.position, name=step.name, role=step.role)


# --- agencies and procedures ---------------------------------------------------------------


def agency_out(agency: Agency, parent_code: str | None) -> s.AgencyOut:
    return s.AgencyOut(
        code=agency.code,
        name=agency.name,
        short_name=agency.short_name,
        level=_labelled(AgencyLevel, agency.level),
        parent_code=parent_code,
        valid_from=agency.valid_from,
        valid_to=agency.valid_to,
        address=agency.address,
        phone=agency.phone,
        email=agency.email,
    )


def procedure_summary(procedure: Procedure) -> s.ProcedureSummaryOut:
    """Reads `procedure.field` (select it)."""
    field = procedure.field
    return s.ProcedureSummaryOut(
        code=procedure.code,
        name=procedure.name,
        field=s.FieldOut(id=field.pk, name=field.name) if field is not None else None,
        levels=[level.value for level in procedure.levels],
    )


def version_out(version: ProcedureVersion) -> s.VersionOut:
    """Reads the prefetched channel options, documents and steps with their agencies."""
    return s.VersionOut(
        effective_from=version.effective_from,
        effective_to=version.effective_to,
        publishing_decision=version.publishing_decision,
        competent_authority=version.competent_authority,
        competent_agency=agency_ref(version.competent_agency),
        result_type=_labelled(ResultType, version.result_type),
        online_level=_labelled(OnlineLevel, version.online_level),
        consultation_counts_toward_deadline=version.consultation_counts_toward_deadline,
        payment_counts_toward_deadline=version.payment_counts_toward_deadline,
        legal_basis=list(version.legal_basis or []),
        channels=[
            s.ChannelOptionOut(
                channel=_labelled(Channel, option.channel),
                time_limit_amount=option.time_limit_amount,
                time_limit_unit=option.time_limit_unit,
                time_limit_text=option.time_limit_text,
                fee_kind=_labelled(FeeKind, option.fee_kind),
                fee_amount=option.fee_amount,
                fee_currency=option.fee_currency,
                fee_text=option.fee_text,
                description=option.description,
            )
            for option in version.channel_options.all()
        ],
        documents=[
            s.DocumentOut(
                id=document.pk,
                position=document.position,
                case=document.case,
                name=document.name,
                originals=document.originals,
                copies=document.copies,
                form=_labelled(DocumentForm, document.form),
                template_name=document.template_name,
                is_eform=document.is_eform,
                is_required=document.is_required,
            )
            for document in sorted(version.documents.all(), key=lambda d: (d.position, d.pk))
        ],
        steps=[
            s.StepOut(
                position=step.position,
                name=step.name,
                role=step.role,
                agency=agency_ref(step.agency),
                budget_hours=step.budget_hours,
            )
            for step in sorted(version.steps.all(), key=lambda st: st.position)
        ],
    )


# --- dossiers ------------------------------------------------------------------------------


def _summary_fields(dossier: Dossier) -> dict[str, Any]:
    return {
        "reference": dossier.code or str(dossier.pk),
        "code": dossier.code,
        "status": _labelled(Status, dossier.status),
        "procedure": s.ProcedureRef(code=dossier.procedure.code, name=dossier.procedure.name),
        "handling_agency": agency_ref(dossier.handling_agency),
        "current_agency": agency_ref(dossier.current_agency),
        "current_step": step_ref(dossier.current_step),
        "assignee": user_ref(dossier.assignee),
        "channel": _labelled(Channel, dossier.channel),
        "applicant_name": dossier.applicant_name,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "extended_due_at": dossier.extended_due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "paused": dossier.paused_since is not None,
        "timeliness": labelled(Timeliness, dossier.timeliness),
    }


def dossier_summary(dossier: Dossier) -> s.DossierSummaryOut:
    """Reads procedure, handling agency, current agency, current step and assignee."""
    return s.DossierSummaryOut(**_summary_fields(dossier))


def allowed_actions(
    principal: Principal, dossier: Dossier, consultations: Sequence[Consultation]
) -> list[str]:
    """The actions this caller may take on the dossier now (none without the write scope)."""
    if WRITE not in principal.scopes:
        return []
    scope = permissions.scope_of(principal.user, on=timezone.localdate())
    return [a.value for a in permissions.actions_allowed(scope, dossier, consultations)]


def consultation_out(consultation: Consultation) -> s.ConsultationOut:
    return s.ConsultationOut(
        id=consultation.pk,
        agency=s.AgencyRef(code=consultation.agency.code, name=consultation.agency.name),
        question=consultation.question,
        requested_at=consultation.requested_at,
        due_at=consultation.due_at,
        replied_at=consultation.replied_at,
        reply=consultation.reply,
        agreed=consultation.agreed,
        deemed_agreed=consultation.deemed_agreed,
        closed_at=consultation.closed_at,
    )


def dossier_detail(
    dossier: Dossier, principal: Principal, *, consultations: list[Consultation] | None = None
) -> s.DossierOut:
    """Everything an officer who may read the dossier sees. Reads the summary's relations,
    the receiving unit, the consultations (unless given: a dossier just taken in has none)
    and the caller's memberships."""
    if consultations is None:
        consultations = list(
            Consultation.objects.filter(dossier_id=dossier.pk)
            .select_related("agency")
            .order_by("pk")
        )
    result = None
    if dossier.result_number or dossier.result_date:
        result = s.ResultOut(
            number=dossier.result_number,
            signer=dossier.result_signer,
            date=dossier.result_date,
            electronic=dossier.result_electronic,
            summary=dossier.result_summary,
        )
    time_limit = None
    if dossier.time_limit_unit:
        time_limit = s.TimeLimitOut(amount=dossier.time_limit_amount, unit=dossier.time_limit_unit)
    return s.DossierOut(
        **_summary_fields(dossier),
        lookup_token=dossier.lookup_token,
        receiving_unit=agency_ref(dossier.receiving_unit),
        applicant=s.ApplicantOut(
            kind=_labelled(ApplicantKind, dossier.applicant_kind),
            name=dossier.applicant_name,
            id_number=dossier.applicant_id_number,
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
            address=dossier.applicant_address,
            representative_name=dossier.representative_name,
            representative_id_number=dossier.representative_id_number,
            representative_phone=dossier.representative_phone,
        ),
        requested_return_channel=_labelled(ReturnChannel, dossier.requested_return_channel),
        documents=[int(d) for d in dossier.documents or []],
        time_limit=time_limit,
        handed_over_at=dossier.handed_over_at,
        initial_due_at=dossier.initial_due_at,
        step_due_at=dossier.step_due_at,
        paused_since=dossier.paused_since,
        supplement_count=dossier.supplement_count,
        result=result,
        return_channel=labelled(ReturnChannel, dossier.return_channel),
        collected_by=dossier.collected_by,
        consultations=[consultation_out(c) for c in consultations],
        allowed_actions=allowed_actions(principal, dossier, consultations),
    )


def event_out(event: DossierEvent) -> s.EventOut:
    """Reads the actor, the agencies, the steps and the new assignee of the event."""
    return s.EventOut(
        id=event.pk,
        action=_labelled(ActionChoice, event.action),
        at=event.at,
        actor=user_ref(event.actor),
        actor_agency=agency_ref(event.actor_agency),
        from_status=labelled(Status, event.from_status),
        to_status=_labelled(Status, event.to_status),
        from_step=step_ref(event.from_step),
        to_step=step_ref(event.to_step),
        from_agency=agency_ref(event.from_agency),
        to_agency=agency_ref(event.to_agency),
        to_assignee=user_ref(event.to_assignee),
        to_due_at=event.to_due_at,
        note=event.note,
        payload=dict(event.payload or {}),
    )


# The fields `public_dossier` reads, for the lookup to load only them.
PUBLIC_DOSSIER_FIELDS = (
    "code",
    "procedure__name",
    "handling_agency__name",
    "status",
    "received_at",
    "due_at",
    "extended_due_at",
    "returned_at",
)


def public_dossier(dossier: Dossier) -> s.PublicDossierOut:
    return s.PublicDossierOut(
        code=dossier.code or "",
        procedure_name=dossier.procedure.name,
        handling_agency_name=dossier.handling_agency.name,
        status=_labelled(Status, dossier.status),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        extended_due_at=dossier.extended_due_at,
        returned_at=dossier.returned_at,
    )
