"""Everything that can happen to a dossier: one function per legal action.

Each action runs in one transaction: it locks the dossier row, checks the transition in
`domain.lifecycle` and the officer's right to act (`permissions`), computes moments with
`domain.deadlines` under the handling agency's calendar, updates the current-state columns,
appends one `DossierEvent` and writes the outbox messages other systems must receive. An
illegal or forbidden action raises before anything is written.

`now` defaults to the current time; tests and imports pass it explicitly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import db
from motcua.agencies.lookup import agency_by_code
from motcua.agencies.models import Agency, Role
from motcua.calendars.selectors import calendar_for
from motcua.domain import deadlines, lifecycle
from motcua.domain.calendar import WorkingCalendar
from motcua.domain.lifecycle import Action, Status
from motcua.integrations.services import outbox_enqueue
from motcua.procedures.models import (
    Channel,
    Procedure,
    ProcessStep,
    RequiredDocument,
)
from motcua.procedures.process import version_in_force, version_process

from . import files as dossier_files
from . import notices, permissions, selectors, signatures
from .exceptions import DossierNotFound, IllegalAction, InvalidInput, NotAllowed
from .files import Reuse, Upload
from .models import (
    Consultation,
    Dossier,
    DossierCodeSequence,
    DossierEvent,
    FileKind,
    ReturnChannel,
    SignatureState,
)

User = AuthUser | AnonymousUser


def _user(actor: User | None) -> AuthUser | None:
    return actor if isinstance(actor, AuthUser) else None


# A dossier received after this local time is handed to processing the next working day.
HANDOVER_CUTOFF = dt.time(15, 0)


@dataclass(frozen=True)
class Applicant:
    name: str
    kind: str = "citizen"
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_phone: str = ""


# --- machinery -----------------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _lock(**lookup: Any) -> Dossier:
    """The dossier matching `lookup` (its code or pk), locked until the transaction ends,
    with the relations every action reads; DossierNotFound if there is none."""
    try:
        return (
            Dossier.objects.select_for_update(of=("self",))
            .select_related(
                "handling_agency",
                "current_step",
                "current_agency",
                "procedure_version",
                "receiving_unit",
            )
            .get(**lookup)
        )
    except Dossier.DoesNotExist:
        raise DossierNotFound from None


def _target(dossier: Dossier | None, action: Action) -> Status:
    status = Status(dossier.status) if dossier is not None else None
    try:
        return lifecycle.transition(status, action)
    except lifecycle.IllegalTransition as exc:
        raise IllegalAction(exc.status, exc.action, exc.allowed) from None


def _calendar(dossier: Dossier) -> WorkingCalendar:
    return calendar_for(dossier.handling_agency)


def _event(
    dossier: Dossier,
    action: Action,
    *,
    at: dt.datetime,
    actor: User | None,
    actor_agency: Agency | None,
    from_status: str,
    from_step: ProcessStep | None = None,
    from_agency: Agency | None = None,
    note: str = "",
    payload: dict[str, Any] | None = None,
) -> DossierEvent:
    event = DossierEvent(
        dossier=dossier,
        action=action.value,
        at=at,
        actor=_user(actor),
        actor_agency=actor_agency,
        from_status=from_status,
        to_status=dossier.status,
        from_step=from_step,
        to_step=dossier.current_step,
        from_agency=from_agency,
        to_agency=dossier.current_agency,
        to_assignee=dossier.assignee,
        to_due_at=dossier.due_at,
        note=note,
        payload=payload or {},
    )
    return db.insert(event)


def _iso(moment: dt.datetime) -> str:
    """A moment in payloads: ISO 8601 in Vietnam's time, whether it was computed here
    (+07:00) or read back from the database (UTC), so payloads compare as text."""
    return timezone.localtime(moment).isoformat()


def _notify(dossier: Dossier, event: DossierEvent, topic: str = "dossier.changed") -> None:
    outbox_enqueue(
        topic=topic,
        key=notices.message_key(topic, event.pk),
        payload={
            "dossier": dossier.code or dossier.pk,
            "event": event.pk,
            "action": event.action,
            "status": dossier.status,
            "at": _iso(event.at),
            "due_at": _iso(dossier.due_at) if dossier.due_at else None,
        },
        now=event.at,
    )


@dataclass
class _Act:
    """A locked dossier and the facts every action needs: who acts for which agency."""

    dossier: Dossier
    target: Status
    agency: Agency | None
    from_status: str
    from_step: ProcessStep | None
    from_agency: Agency | None


@contextmanager
def _hidden_from_strangers(scope: permissions.Scope, dossier: Dossier) -> Iterator[None]:
    """An illegal or forbidden action on a dossier the officer may not even see fails as
    "not found": its status, its allowed actions, its very existence are not theirs to
    learn."""
    try:
        yield
    except (IllegalAction, NotAllowed):
        if not permissions.can_see(scope, dossier):
            raise DossierNotFound from None
        raise


def _check(
    dossier: Dossier, action: Action, actor: User, now: dt.datetime
) -> tuple[Status, Agency | None]:
    """The status after `action` and the agency acting, or IllegalAction / NotAllowed /
    DossierNotFound (see `_hidden_from_strangers`)."""
    scope = permissions.scope_of(actor, on=timezone.localdate(now))
    with _hidden_from_strangers(scope, dossier):
        target = _target(dossier, action)
        agency = permissions.acting_agency(scope, dossier, action)
    return target, agency


def _begin(code: str, action: Action, actor: User, now: dt.datetime) -> _Act:
    dossier = _lock_submission(code)
    target, agency = _check(dossier, action, actor, now)
    return _Act(
        dossier, target, agency, dossier.status, dossier.current_step, dossier.current_agency
    )


def _finish(
    act: _Act,
    action: Action,
    *,
    actor: User | None,
    now: dt.datetime,
    note: str = "",
    payload: dict[str, Any] | None = None,
    fields: Sequence[str] = (),
    files: Sequence[dossier_files.Checked] = (),
    file_kind: FileKind = FileKind.SUPPLEMENT,
) -> Dossier:
    dossier = act.dossier
    dossier.status = act.target
    dossier.save(update_fields=["status", "updated_at", *fields])
    event = _event(
        dossier,
        action,
        at=now,
        actor=actor,
        actor_agency=act.agency,
        from_status=act.from_status,
        from_step=act.from_step,
        from_agency=act.from_agency,
        note=note,
        payload=payload,
    )
    if files:
        dossier_files.store(dossier, files, kind=file_kind, actor=actor, event=event)
    _notify(dossier, event)
    return dossier


def _check_uploads(
    version_id: int, uploads: Sequence[Upload], *, read_signatures: bool = False
) -> list[dossier_files.Checked]:
    """Check files before anything is written (see `dossiers.files`)."""
    if not uploads:
        return []
    documents = None
    if any(u.required_document_id is not None for u in uploads):
        documents = _document_ids(version_id)
    return dossier_files.check_uploads(
        uploads, document_ids=documents, read_signatures=read_signatures
    )


def _document_ids(version_id: int) -> list[int]:
    return list(RequiredDocument.objects.filter(version_id=version_id).values_list("pk", flat=True))


def _check_result_signatures(checked: Sequence[dossier_files.Checked]) -> None:
    """With `MOTCUA_RESULT_SIGNATURE=require`, an electronic result is its files, each
    validly signed (`dossiers.signatures`)."""
    if not signatures.required():
        return
    if not checked:
        raise InvalidInput(
            _("An electronic result needs its file, digitally signed."), field="result_files"
        )
    for file in checked:
        if file.signature is None or not file.signature.holds:
            state = file.signature.state if file.signature else SignatureState.NONE
            raise InvalidInput(
                _(
                    "The result file “%(name)s” is not validly digitally signed (%(state)s): "
                    "sign it, then attach it again."
                )
                % {"name": file.name, "state": SignatureState(state).label},
                field="result_files",
            )


def _step_agency(dossier: Dossier, step: ProcessStep | None) -> Agency:
    if step is not None and step.agency is not None:
        return step.agency
    return dossier.handling_agency


def _enter_step(
    dossier: Dossier,
    step: ProcessStep | None,
    at: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> None:
    dossier.current_step = step
    dossier.current_agency = _step_agency(dossier, step)
    dossier.assignee = None
    dossier.step_started_at = at
    dossier.step_due_at = (
        deadlines.add_working_time(
            at, dt.timedelta(hours=float(step.budget_hours)), calendar or _calendar(dossier)
        )
        if step is not None
        else None
    )


STEP_FIELDS = ("current_step", "current_agency", "assignee", "step_started_at", "step_due_at")


def _steps(dossier: Dossier) -> list[ProcessStep]:
    return list(version_process(dossier.procedure_version_id).steps)


def _return_steps(steps: Sequence[ProcessStep]) -> list[ProcessStep]:
    """The trailing desk steps (returning the result), entered by resolving or rejecting,
    never by forwarding: the steps after the last one that is not the desk's."""
    last = max((s.position for s in steps if s.role != Role.RECEIVER), default=None)
    return [] if last is None else [s for s in steps if s.position > last]


def _enter_return_step(dossier: Dossier, at: dt.datetime) -> list[str]:
    """Handling ended: the desk's return step takes the dossier, if the process has one."""
    position = dossier.current_step.position if dossier.current_step else 0
    step = next((s for s in _return_steps(_steps(dossier)) if s.position > position), None)
    if step is None:
        return []
    _enter_step(dossier, step, at)
    return list(STEP_FIELDS)


def _clock_paused_in(dossier: Dossier, status: Status) -> bool:
    version = dossier.procedure_version
    return lifecycle.is_clock_paused(
        status,
        consultation_counts=version.consultation_counts_toward_deadline,
        payment_counts=version.payment_counts_toward_deadline,
    )


def _pause(dossier: Dossier, at: dt.datetime) -> list[str]:
    if dossier.paused_since is None:
        dossier.paused_since = at
        return ["paused_since"]
    return []


def _resume(dossier: Dossier, at: dt.datetime) -> list[str]:
    """Move the due moments later by exactly the working time the clock stood still,
    counted in whole seconds like `paused_seconds`, so that the due moment is always the
    initial one shifted by `paused_seconds` of working time (a sub-second remainder of a
    pause is not worth a mismatch between the two columns)."""
    if dossier.paused_since is None:
        return []
    calendar = _calendar(dossier)
    paused = deadlines.working_time_between(dossier.paused_since, at, calendar)
    shift = dt.timedelta(seconds=int(paused.total_seconds()))
    if dossier.due_at is not None:
        dossier.due_at = deadlines.add_working_time(dossier.due_at, shift, calendar)
    if dossier.step_due_at is not None:
        dossier.step_due_at = deadlines.add_working_time(dossier.step_due_at, shift, calendar)
    dossier.paused_seconds += int(shift.total_seconds())
    dossier.paused_since = None
    return ["due_at", "step_due_at", "paused_seconds", "paused_since"]


def _finish_handling(dossier: Dossier, at: dt.datetime) -> list[str]:
    """Handling ended: fix the timeliness against the legal due moment."""
    fields = _resume(dossier, at)
    dossier.finished_at = at
    if dossier.due_at is not None:
        dossier.timeliness = deadlines.timeliness(at, dossier.due_at).value
    return [*fields, "finished_at", "timeliness"]


# --- intake --------------------------------------------------------------------------------


def _check_documents(version_id: int, documents: Sequence[int]) -> None:
    known = set(RequiredDocument.objects.filter(version_id=version_id).values_list("pk", flat=True))
    if not set(documents) <= known:
        raise InvalidInput(
            _("Some documents are not documents of this procedure."), field="documents"
        )


def _new_dossier(
    *,
    procedure_code: str,
    handling_agency_code: str,
    channel: str,
    applicant: Applicant,
    applicant_user: User | None,
    return_channel: str,
    documents: Sequence[int],
    now: dt.datetime,
) -> Dossier:
    day = timezone.localdate(now)
    version = version_in_force(procedure_code, day)
    if version is None:
        if not Procedure.objects.filter(code=procedure_code, is_active=True).exists():
            raise InvalidInput(
                _("Unknown procedure %(code)s.") % {"code": procedure_code}, field="procedure"
            )
        raise InvalidInput(_("The procedure has no version in force today."), field="procedure")
    procedure = version.procedure
    agency = version.competent_agency
    if handling_agency_code and (agency is None or agency.code != handling_agency_code):
        agency = agency_by_code(handling_agency_code)
    if agency is None:
        raise InvalidInput(
            _("Unknown handling agency %(code)s.") % {"code": handling_agency_code},
            field="handling_agency",
        )
    if not agency.is_valid_on(day):
        # A unit merged away or not yet established: its successor handles the dossier.
        raise InvalidInput(
            _("The agency %(code)s does not exist on %(day)s.")
            % {"code": agency.code, "day": f"{day:%d/%m/%Y}"},
            field="handling_agency",
        )
    if not applicant.name.strip():
        raise InvalidInput(_("The applicant's name is required."), field="applicant.name")
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), field="channel")
    if return_channel not in ReturnChannel.values:
        raise InvalidInput(_("Unknown way of receiving the result."), field="return_channel")
    if documents:
        _check_documents(version.pk, documents)
    return Dossier(
        procedure=procedure,
        procedure_version=version,
        handling_agency=agency,
        channel=channel,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        representative_name=applicant.representative_name,
        representative_id_number=applicant.representative_id_number,
        representative_phone=applicant.representative_phone,
        applicant_user=applicant_user
        if applicant_user and applicant_user.is_authenticated
        else None,
        requested_return_channel=return_channel,
        documents=list(documents),
    )


@db.atomic
def dossier_submit(
    *,
    actor: User,
    procedure_code: str,
    applicant: Applicant,
    channel: str = Channel.ONLINE,
    handling_agency_code: str = "",
    return_channel: str = ReturnChannel.ONLINE,
    documents: Sequence[int] = (),
    uploads: Sequence[Upload] = (),
    reuses: Sequence[Reuse] = (),
    now: dt.datetime | None = None,
) -> Dossier:
    """An applicant submits online, or a postal clerk records a postal dossier: the dossier
    awaits the receiving officer's checks. No code and no clock yet. The account submitting
    online becomes the applicant's account; one recording a postal dossier does not (the
    clerk or the postal service's system is not the applicant). Online, `reuses` takes files
    of the applicant's data store (`selectors.applicant_store`) instead of new uploads."""
    now = _now(now)
    if reuses and channel != Channel.ONLINE:
        raise InvalidInput(_("Only an online applicant takes files from their data store."))
    dossier_files.check_count(len(uploads) + len(reuses))
    target = _target(None, Action.SUBMIT)
    dossier = _new_dossier(
        procedure_code=procedure_code,
        handling_agency_code=handling_agency_code,
        channel=channel,
        applicant=applicant,
        applicant_user=actor if channel == Channel.ONLINE else None,
        return_channel=return_channel,
        documents=documents,
        now=now,
    )
    checked = _check_uploads(dossier.procedure_version_id, uploads)
    reused = []
    if reuses:
        reused = dossier_files.check_reuses(
            reuses,
            selectors.applicant_store(actor),
            document_ids=_document_ids(dossier.procedure_version_id),
        )
    dossier.status = target
    dossier.submitted_at = now
    db.insert(dossier)
    event = _event(dossier, Action.SUBMIT, at=now, actor=actor, actor_agency=None, from_status="")
    if checked:
        dossier_files.store(dossier, checked, kind=FileKind.SUBMISSION, actor=actor, event=event)
    if reused:
        dossier_files.store_reuses(dossier, reused, actor=actor, event=event)
    _notify(dossier, event)
    return dossier


def _issue_code(agency: Agency, day: dt.date) -> str:
    """The next gapless number of `agency` on `day`, in one statement that creates or
    increments the sequence row. The row stays locked until the reception commits, so
    concurrent receptions queue here, and a failed one gives its number back."""
    table = connection.ops.quote_name(DossierCodeSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [agency.pk, day],
        )
        (number,) = cursor.fetchone()
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


def _receive(dossier: Dossier, *, receiving_unit: Agency, now: dt.datetime) -> None:
    calendar = _calendar(dossier)
    local = timezone.localtime(now)
    dossier.receiving_unit = receiving_unit
    dossier.received_at = now
    option = version_process(dossier.procedure_version_id).channel_option(dossier.channel)
    if option is not None and option.has_time_limit:
        dossier.time_limit_amount = option.time_limit_amount
        dossier.time_limit_unit = option.time_limit_unit
        dossier.due_at = deadlines.due_at(
            now, option.time_limit_amount or Decimal(0), option.time_limit_unit, calendar
        )
        dossier.initial_due_at = dossier.due_at
    # Received after 15:00 (or outside working time): handed over at the next working start.
    if local.time() > HANDOVER_CUTOFF or not calendar.is_working_day(local.date()):
        next_day = calendar.next_working_day(local.date())
        handover = calendar.next_working_instant(
            dt.datetime.combine(next_day, dt.time(0, 0), tzinfo=deadlines.VN_TZ)
        )
    else:
        handover = calendar.next_working_instant(now)
    dossier.handed_over_at = handover
    steps = _steps(dossier)
    # Leading reception steps are done by the reception itself.
    first = next((s for s in steps if s.role != Role.RECEIVER), steps[0] if steps else None)
    _enter_step(dossier, first, handover, calendar)
    # Last, so that the agency's sequence row stays locked for as short a time as possible:
    # receptions of one agency on one day queue on it until the transaction commits.
    dossier.code = _issue_code(dossier.handling_agency, local.date())


@db.atomic
def dossier_receive(
    *,
    actor: User,
    code: str | None = None,
    procedure_code: str = "",
    applicant: Applicant | None = None,
    channel: str = Channel.COUNTER,
    handling_agency_code: str = "",
    return_channel: str = ReturnChannel.COUNTER,
    documents: Sequence[int] = (),
    uploads: Sequence[Upload] = (),
    reuses: Sequence[Reuse] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive a submitted dossier (`code` is its submission reference: the pk as text
    until a code is issued) or, without `code`, a walk-in at the counter. Issues the dossier
    code, computes the due moment from the version's channel time limit, and hands the
    dossier to its first processing step (the next working day when received after 15:00).
    Locks the dossier row, then the agency's code sequence row. A walk-in's `reuses` take
    files digitised before for the applicant (`selectors.digitised_for`) instead of scans."""
    now = _now(now)
    if reuses and (code is not None or applicant is None):
        raise InvalidInput(_("Files digitised before are taken for a walk-in only."))
    dossier_files.check_count(len(uploads) + len(reuses))
    if code is None:
        if applicant is None:
            raise InvalidInput(_("The applicant is required."), field="applicant")
        target = _target(None, Action.RECEIVE)
        dossier = _new_dossier(
            procedure_code=procedure_code,
            handling_agency_code=handling_agency_code,
            channel=channel,
            applicant=applicant,
            applicant_user=None,
            return_channel=return_channel,
            documents=documents,
            now=now,
        )
        dossier.status = Status.AWAITING_RECEPTION  # for the permission check only
        scope = permissions.scope_of(actor, on=timezone.localdate(now))
        agency = permissions.acting_agency(scope, dossier, Action.RECEIVE)
        dossier.submitted_at = now
        from_status = ""
    else:
        dossier = _lock_submission(code)
        target, agency = _check(dossier, Action.RECEIVE, actor, now)
        from_status = dossier.status
        if documents:
            _check_documents(dossier.procedure_version_id, documents)
            dossier.documents = list(documents)
    checked = _check_uploads(dossier.procedure_version_id, uploads)
    reused = []
    if reuses and applicant is not None:
        reused = dossier_files.check_reuses(
            reuses,
            selectors.digitised_for(actor, id_number=applicant.id_number),
            document_ids=_document_ids(dossier.procedure_version_id),
        )
    _receive(dossier, receiving_unit=agency or dossier.handling_agency, now=now)
    dossier.status = target
    if dossier._state.adding:  # a walk-in
        db.insert(dossier)
    else:
        dossier.save()
    event = _event(
        dossier,
        Action.RECEIVE,
        at=now,
        actor=actor,
        actor_agency=agency,
        from_status=from_status,
        note=note,
        payload={
            "handed_over_at": _iso(dossier.handed_over_at) if dossier.handed_over_at else None
        },
    )
    if checked:  # scans made at the counter
        dossier_files.store(dossier, checked, kind=FileKind.SUBMISSION, actor=actor, event=event)
    if reused:
        dossier_files.store_reuses(dossier, reused, actor=actor, event=event)
    _notify(dossier, event, topic="dossier.received")
    return dossier


def _lock_submission(reference: str) -> Dossier:
    """A dossier without a code (not received yet) is found by its pk; one with a code only
    by its code, as `selectors.dossier_get_for` does."""
    if reference.isdigit():
        dossier = _lock(pk=int(reference))
        if dossier.code is not None:
            raise DossierNotFound
        return dossier
    return _lock(code=reference)


def _reception_outcome(
    action: Action,
    *,
    actor: User,
    reference: str,
    reasons: str,
    items: Sequence[str],
    now: dt.datetime | None,
) -> Dossier:
    now = _now(now)
    if not reasons.strip():
        raise InvalidInput(_("The reasons are required."), field="reasons")
    dossier = _lock_submission(reference)
    target, agency = _check(dossier, action, actor, now)
    act = _Act(dossier, target, agency, dossier.status, None, None)
    dossier.receiving_unit = agency
    dossier.finished_at = now
    return _finish(
        act,
        action,
        actor=actor,
        now=now,
        note=reasons,
        payload={"items": list(items)},
        fields=["receiving_unit", "finished_at"],
    )


@db.atomic
def dossier_request_supplement_at_reception(
    *,
    actor: User,
    reference: str,
    reasons: str,
    items: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 02 at reception: the dossier is not accepted, no clock runs; the applicant
    submits again when complete. Terminal for this submission."""
    return _reception_outcome(
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        actor=actor,
        reference=reference,
        reasons=reasons,
        items=items,
        now=now,
    )


@db.atomic
def dossier_refuse_reception(
    *, actor: User, reference: str, reasons: str, now: dt.datetime | None = None
) -> Dossier:
    """Form 03: reception refused (outside the scope, not competent), reasons required."""
    return _reception_outcome(
        Action.REFUSE_RECEPTION,
        actor=actor,
        reference=reference,
        reasons=reasons,
        items=(),
        now=now,
    )


@db.atomic
def dossier_turn_away_walk_in(
    *,
    actor: User,
    procedure_code: str,
    applicant: Applicant,
    refuse: bool,
    reasons: str,
    items: Sequence[str] = (),
    handling_agency_code: str = "",
    return_channel: str = ReturnChannel.COUNTER,
    documents: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Dossier:
    """A walk-in whose papers the desk checks and does not take: a supplement request at
    reception (form 02) or, when `refuse`, a refusal (form 03). The dossier is recorded as
    handed in at the counter by the officer (channel counter, no applicant account: a
    `submit` event) and the desk's outcome applied at the same moment, in one transaction.
    The officer's right to receive for the procedure's agency is checked before anything
    is written; the reasons are required."""
    now = _now(now)
    if not reasons.strip():
        raise InvalidInput(_("The reasons are required."), field="reasons")
    dossier = _new_dossier(
        procedure_code=procedure_code,
        handling_agency_code=handling_agency_code,
        channel=Channel.COUNTER,
        applicant=applicant,
        applicant_user=None,
        return_channel=return_channel,
        documents=documents,
        now=now,
    )
    dossier.status = _target(None, Action.SUBMIT)
    action = Action.REFUSE_RECEPTION if refuse else Action.REQUEST_SUPPLEMENT_AT_RECEPTION
    scope = permissions.scope_of(actor, on=timezone.localdate(now))
    agency = permissions.acting_agency(scope, dossier, action)
    dossier.submitted_at = now
    dossier.save()
    event = _event(dossier, Action.SUBMIT, at=now, actor=actor, actor_agency=agency, from_status="")
    _notify(dossier, event)
    return _reception_outcome(
        action,
        actor=actor,
        reference=str(dossier.pk),
        reasons=reasons,
        items=items if not refuse else (),
        now=now,
    )


# --- moving through the process ------------------------------------------------------------


@db.atomic
def dossier_forward(
    *, actor: User, code: str, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """Hand the dossier to the next step of its process."""
    now = _now(now)
    act = _begin(code, Action.FORWARD, actor, now)
    steps = _steps(act.dossier)
    position = act.dossier.current_step.position if act.dossier.current_step else 0
    returning = _return_steps(steps)
    following = [s for s in steps if s.position > position and s not in returning]
    if not following:
        raise InvalidInput(_("This is the last step: resolve the dossier instead."), field="step")
    _enter_step(act.dossier, following[0], now)
    return _finish(act, Action.FORWARD, actor=actor, now=now, note=note, fields=STEP_FIELDS)


@db.atomic
def dossier_send_back(
    *, actor: User, code: str, to_position: int, reason: str, now: dt.datetime | None = None
) -> Dossier:
    """Return the dossier to an earlier step, with the reason."""
    now = _now(now)
    if not reason.strip():
        raise InvalidInput(_("The reason is required."), field="reason")
    act = _begin(code, Action.SEND_BACK, actor, now)
    current = act.dossier.current_step.position if act.dossier.current_step else 0
    earlier = [s for s in _steps(act.dossier) if s.position == to_position]
    if not earlier or to_position >= current:
        raise InvalidInput(_("Choose an earlier step of the process."), field="to_position")
    _enter_step(act.dossier, earlier[0], now)
    return _finish(act, Action.SEND_BACK, actor=actor, now=now, note=reason, fields=STEP_FIELDS)


@db.atomic
def dossier_assign(
    *, actor: User, code: str, assignee_id: int, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """A division head or leader assigns the current step to one officer of the agency who
    holds the step's role."""
    now = _now(now)
    act = _begin(code, Action.ASSIGN, actor, now)
    dossier = act.dossier
    from motcua.agencies.models import Membership

    role = dossier.current_step.role if dossier.current_step else ""
    eligible = Membership.objects.active_on(timezone.localdate(now)).filter(
        user_id=assignee_id, agency=dossier.current_agency
    )
    if role:
        eligible = eligible.filter(role=role)
    if not eligible.exists():
        raise InvalidInput(
            _("The assignee must hold the step's role in this agency."), field="assignee"
        )
    dossier.assignee_id = assignee_id
    return _finish(act, Action.ASSIGN, actor=actor, now=now, note=note, fields=["assignee"])


@db.atomic
def dossier_transfer(
    *, actor: User, code: str, agency_code: str, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """Inter-agency handling (liên thông): the current step moves to another agency, whose
    officers holding the step's role gain access for this step only."""
    now = _now(now)
    act = _begin(code, Action.TRANSFER, actor, now)
    try:
        other = Agency.objects.get(code=agency_code)
    except Agency.DoesNotExist:
        raise InvalidInput(
            _("Unknown agency %(code)s.") % {"code": agency_code}, field="agency"
        ) from None
    if other.pk == act.dossier.current_agency_id:
        raise InvalidInput(_("The dossier is already at this agency."), field="agency")
    act.dossier.current_agency = other
    act.dossier.assignee = None
    return _finish(
        act, Action.TRANSFER, actor=actor, now=now, note=note, fields=["current_agency", "assignee"]
    )


# --- clock-stopping actions ----------------------------------------------------------------


@db.atomic
def dossier_request_supplement(
    *,
    actor: User,
    code: str,
    items: Sequence[str],
    reasons: str,
    second_reason: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 02 during processing: the clock stops until the applicant supplements. A second
    request needs its own stated reason, is flagged, and makes the dossier count as late in
    the 766 index."""
    now = _now(now)
    if not items or not reasons.strip():
        raise InvalidInput(_("List what must be supplemented and why."), field="items")
    act = _begin(code, Action.REQUEST_SUPPLEMENT, actor, now)
    dossier = act.dossier
    if dossier.supplement_count >= 1 and not second_reason.strip():
        raise InvalidInput(
            _("A supplement was already requested once: state why a second request is needed."),
            field="second_reason",
        )
    dossier.supplement_count += 1
    fields = ["supplement_count", *_pause(dossier, now)]
    return _finish(
        act,
        Action.REQUEST_SUPPLEMENT,
        actor=actor,
        now=now,
        note=reasons,
        payload={
            "items": list(items),
            "second_reason": second_reason,
            "repeated": dossier.supplement_count > 1,
        },
        fields=fields,
    )


@db.atomic
def dossier_supplement(
    *,
    actor: User,
    code: str,
    note: str = "",
    documents: Sequence[int] = (),
    uploads: Sequence[Upload] = (),
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant (online, or at the counter) hands in what was asked: the clock runs
    again and the due moments move later by exactly the working time paused."""
    now = _now(now)
    act = _begin(code, Action.SUPPLEMENT, actor, now)
    checked = _check_uploads(act.dossier.procedure_version_id, uploads)
    fields = _resume(act.dossier, now)
    if documents:
        _check_documents(act.dossier.procedure_version_id, documents)
        act.dossier.documents = sorted({*act.dossier.documents, *documents})
        fields.append("documents")
    return _finish(
        act,
        Action.SUPPLEMENT,
        actor=actor,
        now=now,
        note=note,
        fields=fields,
        payload={"documents": list(documents)},
        files=checked,
        file_kind=FileKind.SUPPLEMENT,
    )


@db.atomic
def dossier_consult(
    *,
    actor: User,
    code: str,
    agency_codes: Sequence[str],
    question: str,
    reply_within_days: Decimal,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask other agencies for their opinion (lấy ý kiến), each with a reply deadline in
    working days. The clock stops meanwhile when the procedure excludes consultation time."""
    now = _now(now)
    if not agency_codes or not question.strip() or reply_within_days <= 0:
        raise InvalidInput(
            _("Name the agencies, the question and the reply time."), field="agencies"
        )
    act = _begin(code, Action.CONSULT, actor, now)
    dossier = act.dossier
    agencies = list(Agency.objects.filter(code__in=agency_codes))
    if len(agencies) != len(set(agency_codes)):
        raise InvalidInput(_("Unknown agency among those consulted."), field="agencies")
    due = deadlines.due_at(now, reply_within_days, deadlines.Unit.WORKING_DAY, _calendar(dossier))
    Consultation.objects.bulk_create(
        Consultation(dossier=dossier, agency=a, question=question, requested_at=now, due_at=due)
        for a in agencies
    )
    fields = _pause(dossier, now) if _clock_paused_in(dossier, Status.CONSULTING) else []
    return _finish(
        act,
        Action.CONSULT,
        actor=actor,
        now=now,
        note=question,
        fields=fields,
        payload={"agencies": [a.code for a in agencies], "due_at": _iso(due)},
    )


@db.atomic
def dossier_reply_consultation(
    *,
    actor: User,
    consultation_id: int,
    reply: str = "",
    agreed: bool | None = None,
    deemed: bool = False,
    now: dt.datetime | None = None,
) -> Dossier:
    """The consulted agency replies; or, past its deadline, its silence is recorded as
    deemed agreement (`deemed`). The last reply resumes processing (and the clock)."""
    now = _now(now)
    try:
        consultation = Consultation.objects.select_related("agency").get(pk=consultation_id)
    except Consultation.DoesNotExist:
        raise DossierNotFound from None
    dossier = _lock(pk=consultation.dossier_id)
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    scope = permissions.scope_of(actor, on=timezone.localdate(now))
    with _hidden_from_strangers(scope, dossier):
        _target(dossier, Action.REPLY_CONSULTATION)
        if deemed:
            # The officer at the current step records the silence of the consulted agency.
            agency = permissions.acting_agency(scope, dossier, Action.CONSULT)
        else:
            agency = permissions.check_reply(scope, consultation)
    if consultation.replied_at is not None:
        raise InvalidInput(_("This consultation was already answered."), field="consultation")
    if deemed:
        if now <= consultation.due_at:
            raise InvalidInput(
                _("Silence counts as agreement only after the deadline."), field="deemed"
            )
        consultation.agreed = True
        consultation.deemed_agreed = True
    else:
        if not reply.strip():
            raise InvalidInput(_("The reply is required."), field="reply")
        consultation.agreed = agreed
    consultation.reply = reply
    consultation.replied_at = now
    consultation.replied_by = _user(actor)
    consultation.save()
    still_open = dossier.consultations.filter(
        replied_at__isnull=True, closed_at__isnull=True
    ).exists()
    act = _Act(
        dossier,
        Status.CONSULTING if still_open else Status.PROCESSING,
        agency,
        dossier.status,
        dossier.current_step,
        dossier.current_agency,
    )
    fields = [] if still_open else _resume(dossier, now)
    return _finish(
        act,
        Action.REPLY_CONSULTATION,
        actor=actor,
        now=now,
        note=reply,
        fields=fields,
        payload={
            "consultation": consultation.pk,
            "agency": consultation.agency.code,
            "agreed": consultation.agreed,
            "deemed": deemed,
            "late": now > consultation.due_at,
        },
    )


@db.atomic
def dossier_request_payment(
    *,
    actor: User,
    code: str,
    amount: Decimal,
    description: str,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to meet the financial obligation (fee, tax). Whether the clock
    runs meanwhile is a setting of the procedure version."""
    now = _now(now)
    if amount <= 0:
        raise InvalidInput(_("The amount must be positive."), field="amount")
    act = _begin(code, Action.REQUEST_PAYMENT, actor, now)
    paused = _clock_paused_in(act.dossier, Status.AWAITING_PAYMENT)
    fields = _pause(act.dossier, now) if paused else []
    return _finish(
        act,
        Action.REQUEST_PAYMENT,
        actor=actor,
        now=now,
        note=description,
        payload={"amount": str(amount)},
        fields=fields,
    )


@db.atomic
def dossier_confirm_payment(
    *, actor: User, code: str, reference: str, now: dt.datetime | None = None
) -> Dossier:
    """Record that the obligation is met (bank transfer checked by hand, receipt number)."""
    now = _now(now)
    act = _begin(code, Action.CONFIRM_PAYMENT, actor, now)
    fields = _resume(act.dossier, now)
    return _finish(
        act,
        Action.CONFIRM_PAYMENT,
        actor=actor,
        now=now,
        note=reference,
        payload={"reference": reference},
        fields=fields,
    )


@db.atomic
def dossier_confirm_payment_by_gateway(
    *, code: str, reference: str, now: dt.datetime | None = None
) -> Dossier:
    """The payment gateway's verified notice that the obligation is paid: the clock runs
    again as when an officer confirms, with no officer as the actor. For the payments
    service only, after it has checked the gateway's signature; the receiving unit is the
    agency of record."""
    now = _now(now)
    dossier = _lock_submission(code)
    target = _target(dossier, Action.CONFIRM_PAYMENT)
    act = _Act(
        dossier,
        target,
        dossier.receiving_unit or dossier.handling_agency,
        dossier.status,
        dossier.current_step,
        dossier.current_agency,
    )
    fields = _resume(dossier, now)
    return _finish(
        act,
        Action.CONFIRM_PAYMENT,
        actor=None,
        now=now,
        note=reference,
        payload={"reference": reference, "confirmed_by": "payment_gateway"},
        fields=fields,
    )


@db.atomic
def dossier_apologise_and_extend(
    *,
    actor: User,
    code: str,
    reason: str,
    new_due_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 04, signed by the head of the handling agency: allowed when the dossier is or
    will be late. Records the new appointment; the legal due moment is kept, and
    timeliness is still judged against it."""
    now = _now(now)
    if not reason.strip():
        raise InvalidInput(_("The reason is required."), field="reason")
    act = _begin(code, Action.APOLOGISE_AND_EXTEND, actor, now)
    dossier = act.dossier
    if dossier.due_at is None:
        raise InvalidInput(_("The dossier has no due moment."), field="new_due_at")
    if new_due_at <= dossier.due_at or new_due_at <= now:
        raise InvalidInput(
            _("The new appointment must be later than the due moment and than now."),
            field="new_due_at",
        )
    if dossier.extended_due_at is not None and new_due_at <= dossier.extended_due_at:
        raise InvalidInput(
            _("The new appointment must be later than the previous one."), field="new_due_at"
        )
    dossier.extended_due_at = new_due_at
    return _finish(
        act,
        Action.APOLOGISE_AND_EXTEND,
        actor=actor,
        now=now,
        note=reason,
        payload={
            "original_due_at": _iso(dossier.due_at),
            "new_due_at": _iso(new_due_at),
        },
        fields=["extended_due_at"],
    )


# --- ending --------------------------------------------------------------------------------


def _close_consultations(act: _Act, at: dt.datetime) -> None:
    """Handling ends while agencies were consulted: their consultations close unanswered."""
    if act.from_status == Status.CONSULTING:
        Consultation.objects.filter(
            dossier=act.dossier, replied_at__isnull=True, closed_at__isnull=True
        ).update(closed_at=at)


@db.atomic
def dossier_reject(
    *, actor: User, code: str, reasons: str, now: dt.datetime | None = None
) -> Dossier:
    """Not resolved on the merits, with written reasons; counts as resolved for the
    statistics. The refusal letter is then returned like a result: the dossier goes to the
    desk's return step, as when resolved."""
    now = _now(now)
    if not reasons.strip():
        raise InvalidInput(_("The reasons are required."), field="reasons")
    act = _begin(code, Action.REJECT, actor, now)
    _close_consultations(act, now)
    fields = [*_finish_handling(act.dossier, now), *_enter_return_step(act.dossier, now)]
    return _finish(act, Action.REJECT, actor=actor, now=now, note=reasons, fields=fields)


@db.atomic
def dossier_withdraw(
    *, actor: User, code: str, reason: str = "", now: dt.datetime | None = None
) -> Dossier:
    """Form 05: handling stops at the applicant's request (118/2025 Art. 21)."""
    now = _now(now)
    act = _begin(code, Action.WITHDRAW, actor, now)
    _close_consultations(act, now)
    fields = _finish_handling(act.dossier, now)
    return _finish(act, Action.WITHDRAW, actor=actor, now=now, note=reason, fields=fields)


@db.atomic
def dossier_resolve(
    *,
    actor: User,
    code: str,
    result_number: str,
    result_signer: str,
    result_date: dt.date,
    electronic: bool = False,
    summary: str = "",
    result_uploads: Sequence[Upload] = (),
    now: dt.datetime | None = None,
) -> Dossier:
    """The result is issued (number, signer, date; electronic or not): handling ends and
    the dossier goes to the return step of the process, if it has one. An electronic
    result's files come as `result_uploads`."""
    now = _now(now)
    if not result_number.strip() or not result_signer.strip():
        raise InvalidInput(_("The result's number and signer are required."), field="result_number")
    act = _begin(code, Action.RESOLVE, actor, now)
    checked = _check_uploads(act.dossier.procedure_version_id, result_uploads, read_signatures=True)
    if electronic:
        _check_result_signatures(checked)
    dossier = act.dossier
    dossier.result_number = result_number
    dossier.result_signer = result_signer
    dossier.result_date = result_date
    dossier.result_electronic = electronic
    dossier.result_summary = summary
    fields = [
        *_finish_handling(dossier, now),
        "result_number",
        "result_signer",
        "result_date",
        "result_electronic",
        "result_summary",
        *_enter_return_step(dossier, now),
    ]
    return _finish(
        act,
        Action.RESOLVE,
        actor=actor,
        now=now,
        fields=fields,
        payload={"number": result_number, "electronic": electronic},
        files=checked,
        file_kind=FileKind.RESULT,
    )


@db.atomic
def dossier_return_result(
    *,
    actor: User,
    code: str,
    channel: str,
    collected_by: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """The result (or the refusal letter) reaches the applicant: at the counter (who
    collected it), by post, or online."""
    now = _now(now)
    if channel not in ReturnChannel.values:
        raise InvalidInput(_("Unknown way of returning the result."), field="channel")
    if channel == ReturnChannel.COUNTER and not collected_by.strip():
        raise InvalidInput(_("Record who collected the result."), field="collected_by")
    act = _begin(code, Action.RETURN_RESULT, actor, now)
    dossier = act.dossier
    dossier.returned_at = now
    dossier.return_channel = channel
    dossier.collected_by = collected_by
    return _finish(
        act,
        Action.RETURN_RESULT,
        actor=actor,
        now=now,
        fields=["returned_at", "return_channel", "collected_by"],
        payload={"channel": channel},
    )
