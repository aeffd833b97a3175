"""Everything that can happen to a rating or a complaint: one function per action.

Each runs in one transaction: it locks the row it changes (for a rating, the dossier's row,
read only, so two ratings of one dossier queue), checks the transition and the caller's
right, computes due moments with `domain.deadlines` under the handling agency's calendar,
updates the current-state columns, appends the event and writes the outbox messages that
tell the submitter. An illegal or forbidden action raises before anything is written.

Decisions (see also docs in the model docstrings):
- A rating may be changed within `MOTCUA_RATING_CHANGE_DAYS` (default 7) calendar days of
  the first one; the row is replaced and counted at its first moment. After that it is final.
- Complaint deadlines run from receipt (the submission moment) in working days of the
  handling agency: refusal 2, request for information 5, answer 15, publication 2 after the
  answer. While the complaint waits for the submitter's information the answer clock is
  paused (the submitter's delay is not the agency's); the 2- and 5-day limits are not moved,
  since refusing and asking are decisions about what arrived. Timeliness uses the same rule
  as dossiers (`deadlines.timeliness`).

`now` defaults to the current time; tests pass it explicitly."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Membership
from motcua.calendars.selectors import calendar_for
from motcua.domain import deadlines
from motcua.domain.calendar import WorkingCalendar
from motcua.domain.text import fold
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.permissions import Scope, scope_of
from motcua.dossiers.selectors import dossier_public_status
from motcua.integrations.services import outbox_enqueue
from motcua.procedures.models import Procedure

from . import notices, permissions
from .attachments import Checked, check_attachments
from .exceptions import (
    ComplaintNotAllowed,
    ComplaintNotFound,
    IllegalComplaintAction,
    InvalidFeedback,
    RatingDossierNotFound,
    RatingFinal,
    RatingNotOpen,
)
from .models import (
    Complaint,
    ComplaintAbout,
    ComplaintAction,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintState,
    Criterion,
    CriterionSet,
    Rating,
    SatisfactionLevel,
)
from .selectors import criterion_set_in_force

User = AuthUser | AnonymousUser

DEFAULT_RATING_CHANGE_DAYS = 7
MAX_TEXT = 10_000

# Working days from receipt (answer: moved by paused time) or from the answer (publish).
REFUSE_WITHIN_DAYS = 2
INFORMATION_WITHIN_DAYS = 5
ANSWER_WITHIN_DAYS = 15
PUBLISH_WITHIN_DAYS = 2


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _user(actor: User | None) -> AuthUser | None:
    return actor if isinstance(actor, AuthUser) else None


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def rating_change_days() -> int:
    return int(getattr(settings, "MOTCUA_RATING_CHANGE_DAYS", DEFAULT_RATING_CHANGE_DAYS))


# --- ratings -----------------------------------------------------------------------------------


def _check_answers(
    criterion_set: CriterionSet | None, answers: Mapping[str, str]
) -> dict[str, str]:
    if criterion_set is None:
        if answers:
            raise InvalidFeedback(_("No evaluation criteria are in force."), field="answers")
        return {}
    # Only what the rating form asks: criteria that grade the agency as a whole are not
    # answered about one dossier.
    criteria: dict[str, Criterion] = {
        c.code: c for c in criterion_set.criteria.all() if c.per_dossier
    }
    clean: dict[str, str] = {}
    for code, answer in answers.items():
        criterion = criteria.get(code)
        if criterion is None:
            raise InvalidFeedback(
                _("Unknown evaluation criterion “%(code)s”.") % {"code": code},
                field=f"answers.{code}",
            )
        value = str(answer).strip()
        if not value:
            continue
        if value not in criterion.answer_codes():
            raise InvalidFeedback(
                _("“%(answer)s” is not an answer to “%(question)s”.")
                % {"answer": value, "question": criterion.label},
                field=f"answers.{code}",
            )
        clean[code] = value
    for criterion in criteria.values():
        if criterion.required and criterion.code not in clean:
            raise InvalidFeedback(
                _("Answer “%(question)s”.") % {"question": criterion.label},
                field=f"answers.{criterion.code}",
            )
    return clean


@transaction.atomic
def rating_submit(
    *,
    dossier_code: str,
    level: str,
    reason: str = "",
    answers: Mapping[str, str] | None = None,
    actor: User | None = None,
    token: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """The applicant rates a returned dossier: `level` on the 3-level scale (a reason is
    required for "dissatisfied") and the answers to the criteria in force.

    Who: the dossier's applicant account (`actor`), or anyone holding the dossier's lookup
    token (`token`, printed in the receipt's QR code). Anyone else, and an unknown code, get
    RatingDossierNotFound (they are not told which). Only once the result is returned.
    A second call within the change window replaces the rating; later, RatingFinal.

    Locks the dossier row (read only) so that concurrent ratings of a dossier queue."""
    now = _now(now)
    if level not in SatisfactionLevel.values:
        raise InvalidFeedback(_("Choose a satisfaction level."), field="level")
    reason = reason.strip()
    if level == SatisfactionLevel.DISSATISFIED and not reason:
        raise InvalidFeedback(_("Tell us why you are dissatisfied."), field="reason")
    if len(reason) > MAX_TEXT:
        raise InvalidFeedback(_("The reason is too long."), field="reason")
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).filter(code=dossier_code.strip()).first()
        if dossier_code.strip()
        else None
    )
    if dossier is None:
        raise RatingDossierNotFound
    user = _user(actor)
    by_applicant = (
        user is not None
        and user.is_authenticated
        and dossier.applicant_user_id is not None
        and dossier.applicant_user_id == user.pk
    )
    by_token = (
        not by_applicant
        and bool(token)
        and secrets.compare_digest(token.strip(), dossier.lookup_token)
    )
    if not (by_applicant or by_token):
        raise RatingDossierNotFound
    if dossier.status != Status.RETURNED:
        raise RatingNotOpen(dossier.status)
    criterion_set = criterion_set_in_force(on=timezone.localdate(now))
    clean = _check_answers(criterion_set, answers or {})

    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is None:
        rating = Rating(dossier=dossier, rated_at=now, revisions=0)
    else:
        days = rating_change_days()
        if now > rating.rated_at + dt.timedelta(days=days):
            raise RatingFinal(days)
        rating.revisions += 1
    rating.agency_id = dossier.handling_agency_id
    rating.procedure_id = dossier.procedure_id
    rating.level = level
    rating.reason = reason
    rating.criterion_set = criterion_set
    rating.answers = clean
    rating.rated_by = user if by_applicant else None
    rating.by_token = by_token
    rating.changed_at = now
    rating.save()
    outbox_enqueue(
        topic="rating.submitted",
        key=f"rating.submitted:{dossier.pk}:{rating.revisions}",
        payload={
            "dossier": dossier.code,
            "level": level,
            "answers": clean,
            "criterion_set": (
                f"{criterion_set.code}/v{criterion_set.version}" if criterion_set else None
            ),
            "at": _iso(now),
        },
        now=now,
    )
    return rating


# --- complaints: machinery ------------------------------------------------------------------------

S = ComplaintState
A = ComplaintAction

# (state, action) -> state after the action.
TRANSITIONS: Mapping[tuple[str, str], str] = {
    (S.RECEIVED, A.ASSIGN): S.PROCESSING,
    (S.PROCESSING, A.ASSIGN): S.PROCESSING,
    (S.AWAITING_INFORMATION, A.ASSIGN): S.AWAITING_INFORMATION,
    (S.RECEIVED, A.REFUSE): S.REFUSED,
    (S.PROCESSING, A.REFUSE): S.REFUSED,
    # The submitter never answered: refuse for want of information.
    (S.AWAITING_INFORMATION, A.REFUSE): S.REFUSED,
    (S.RECEIVED, A.REQUEST_INFORMATION): S.AWAITING_INFORMATION,
    (S.PROCESSING, A.REQUEST_INFORMATION): S.AWAITING_INFORMATION,
    (S.AWAITING_INFORMATION, A.PROVIDE_INFORMATION): S.PROCESSING,
    (S.RECEIVED, A.ANSWER): S.ANSWERED,
    (S.PROCESSING, A.ANSWER): S.ANSWERED,
    (S.AWAITING_INFORMATION, A.ANSWER): S.ANSWERED,
    (S.ANSWERED, A.PUBLISH): S.PUBLISHED,
    (S.ANSWERED, A.KEEP_PRIVATE): S.CLOSED,
}
# Being handled: the answer deadline runs (or is paused, awaiting information).
OPEN_STATES = (S.RECEIVED, S.PROCESSING, S.AWAITING_INFORMATION)


def allowed_actions(state: str) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == state]


def _target(complaint: Complaint, action: str) -> str:
    target = TRANSITIONS.get((complaint.state, action))
    if target is None:
        raise IllegalComplaintAction(complaint.state, action, allowed_actions(complaint.state))
    return target


def _lock(tracking_code: str) -> Complaint:
    try:
        return (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(tracking_code=tracking_code.strip())
        )
    except Complaint.DoesNotExist:
        raise ComplaintNotFound from None


def _calendar(complaint: Complaint) -> WorkingCalendar:
    return calendar_for(complaint.agency)


def _working_days_after(start: dt.datetime, days: int, calendar: WorkingCalendar) -> dt.datetime:
    return deadlines.due_at(start, days, deadlines.Unit.WORKING_DAY, calendar)


def _scope(actor: User | None, now: dt.datetime) -> Scope:
    return scope_of(actor or AnonymousUser(), on=timezone.localdate(now))


@dataclass
class _Act:
    complaint: Complaint
    target: str
    from_state: str
    agency: Agency | None


def _begin_officer(
    tracking_code: str, action: str, actor: User, now: dt.datetime, *, assign: bool = False
) -> _Act:
    """The locked complaint, checked for `action` by an officer. Someone who may not even
    see it is told it does not exist, whatever the state."""
    complaint = _lock(tracking_code)
    scope = _scope(actor, now)
    allowed = (
        permissions.may_assign(scope, complaint)
        if assign
        else permissions.may_handle(scope, complaint)
    )
    if not allowed:
        if not permissions.may_see(scope, complaint):
            raise ComplaintNotFound
        raise ComplaintNotAllowed(action)
    target = _target(complaint, action)
    return _Act(complaint, target, complaint.state, complaint.agency)


def _event(
    act: _Act,
    action: str,
    *,
    actor: User | None,
    now: dt.datetime,
    note: str = "",
    due_at: dt.datetime | None = None,
    timeliness: str = "",
    payload: dict[str, Any] | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=act.complaint,
        action=action,
        at=now,
        actor=_user(actor),
        actor_agency=act.agency,
        from_state=act.from_state,
        to_state=act.complaint.state,
        note=note,
        due_at=due_at,
        timeliness=timeliness,
        payload=payload or {},
    )


def _finish(
    act: _Act,
    action: str,
    *,
    actor: User | None,
    now: dt.datetime,
    fields: Sequence[str] = (),
    note: str = "",
    due_at: dt.datetime | None = None,
    timeliness: str = "",
    payload: dict[str, Any] | None = None,
    notify: bool = False,
) -> Complaint:
    complaint = act.complaint
    complaint.state = act.target
    complaint.save(update_fields=["state", "updated_at", *fields])
    event = _event(
        act,
        action,
        actor=actor,
        now=now,
        note=note,
        due_at=due_at,
        timeliness=timeliness,
        payload=payload,
    )
    if notify:
        _notify(complaint, event)
    return complaint


def _notify(complaint: Complaint, event: ComplaintEvent) -> None:
    """Tell the submitter (through the notification adapter) what happened."""
    outbox_enqueue(
        topic=f"complaint.{event.action}",
        key=notices.message_key(event.action, event.pk),
        payload={
            "complaint": complaint.tracking_code,
            "event": event.pk,
            "action": event.action,
            "state": complaint.state,
            "at": _iso(event.at),
            "to": {
                "user_id": complaint.submitter_user_id,
                "name": complaint.submitter_name,
                "email": complaint.submitter_email,
                "phone": complaint.submitter_phone,
            },
        },
        now=event.at,
    )


def _text(value: str, field: str, message: str, *, max_length: int = MAX_TEXT) -> str:
    value = value.strip()
    if not value:
        raise InvalidFeedback(message, field=field)
    if len(value) > max_length:
        raise InvalidFeedback(
            _("At most %(count)s characters.") % {"count": max_length}, field=field
        )
    return value


def _resume(complaint: Complaint, now: dt.datetime) -> list[str]:
    """End a wait for the submitter: the answer deadline moves by the working time waited."""
    if complaint.paused_since is None:
        return []
    complaint.answer_due_at = deadlines.shift_for_pause(
        complaint.answer_due_at, complaint.paused_since, now, _calendar(complaint)
    )
    complaint.paused_since = None
    return ["answer_due_at", "paused_since"]


def _store(complaint: Complaint, files: Sequence[Checked], now: dt.datetime) -> None:
    # Written before the commit: a rollback leaves the files for `motcua purge-orphan-files`.
    for checked in files:
        attachment = ComplaintAttachment(
            complaint=complaint,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_at=now,
        )
        attachment.file.save(f"upload{checked.extension}", checked.file, save=False)
        attachment.save()


_PHONE = re.compile(r"^\+?[0-9]{9,15}$")
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _new_tracking_code(now: dt.datetime) -> str:
    day = timezone.localtime(now).strftime("%y%m%d")
    while True:
        code = f"PAKN-{day}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code


@dataclass(frozen=True)
class Submitter:
    """Who sends a complaint without an account (with one, the account fills the gaps)."""

    name: str = ""
    phone: str = ""
    email: str = ""


def _submitter(actor: AuthUser | None, submitter: Submitter) -> tuple[str, str, str]:
    name = submitter.name.strip()
    phone = re.sub(r"[\s.\-()]", "", submitter.phone)
    email = submitter.email.strip()
    if actor is not None:
        name = name or actor.get_full_name() or actor.get_username()
        email = email or actor.email
    if not name:
        raise InvalidFeedback(_("Enter your full name."), field="submitter_name")
    if len(name) > 255:
        raise InvalidFeedback(_("At most %(count)s characters.") % {"count": 255}, field="name")
    if phone and not _PHONE.match(phone):
        raise InvalidFeedback(_("Enter a valid phone number."), field="submitter_phone")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidFeedback(
                _("Enter a valid email address."), field="submitter_email"
            ) from None
    if actor is None and not (phone or email):
        raise InvalidFeedback(
            _("Enter a phone number or an email address so that we can answer you."),
            field="submitter_phone",
        )
    return name, phone, email


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip()).first() if code.strip() else None
    if agency is None:
        raise InvalidFeedback(
            _("Choose the agency the complaint or recommendation is addressed to."),
            field="agency_code",
        )
    return agency


# --- complaints: actions ------------------------------------------------------------------------


@transaction.atomic
def complaint_submit(
    *,
    actor: User | None,
    about: str,
    subject: str,
    content: str,
    submitter: Submitter = Submitter(),
    procedure_code: str = "",
    dossier_code: str = "",
    dossier_factor: str = "",
    officer_name: str = "",
    agency_code: str = "",
    attachments: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Complaint:
    """A citizen or business sends a complaint or recommendation about a procedure, a
    dossier, an officer, or something else.

    The handling agency: for a dossier, the one handling it; for a procedure, `agency_code`
    or else the competent agency of the version in force; otherwise `agency_code`. A
    complaint about a dossier needs its applicant account or the public lookup's second
    factor (`dossier_factor`: last 4 digits of phone or ID, or the lookup token), so that
    nobody attaches complaints to strangers' dossiers. The deadlines are set from now in
    the handling agency's calendar. Returns the complaint; its `tracking_code` and (for a
    submitter without an account) `access_token` are what the submitter follows it with."""
    now = _now(now)
    user = _user(actor)
    if user is not None and not user.is_authenticated:
        user = None
    if about not in ComplaintAbout.values:
        raise InvalidFeedback(
            _("Say what the complaint or recommendation is about."), field="about"
        )
    name, phone, email = _submitter(user, submitter)
    subject = _text(subject, "subject", _("Enter a subject."), max_length=255)
    content = _text(content, "content", _("Write your complaint or recommendation."))
    files = check_attachments(attachments)

    procedure: Procedure | None = None
    dossier: Dossier | None = None
    agency: Agency | None = None
    officer_name = officer_name.strip()[:255]
    if about == ComplaintAbout.DOSSIER:
        found = (
            Dossier.objects.select_related("handling_agency")
            .filter(code=dossier_code.strip())
            .first()
            if dossier_code.strip()
            else None
        )
        if found is not None and not (user is not None and found.applicant_user_id == user.pk):
            found = dossier_public_status(code=found.code or "", second_factor=dossier_factor)
        if found is None:
            raise InvalidFeedback(
                _("No dossier matches this code and the second factor."), field="dossier_code"
            )
        dossier, procedure, agency = found, found.procedure, found.handling_agency
    elif about == ComplaintAbout.PROCEDURE:
        procedure = (
            Procedure.objects.filter(code=procedure_code.strip()).first()
            if procedure_code.strip()
            else None
        )
        if procedure is None:
            raise InvalidFeedback(_("Choose a procedure."), field="procedure_code")
        if agency_code.strip():
            agency = _agency(agency_code)
        else:
            version = procedure.version_on(timezone.localdate(now))
            agency = version.competent_agency if version is not None else None
            if agency is None:
                agency = _agency("")
    else:
        if about == ComplaintAbout.OFFICER and not officer_name:
            raise InvalidFeedback(
                _("Enter the name or the position of the officer concerned."),
                field="officer_name",
            )
        agency = _agency(agency_code)

    calendar = calendar_for(agency)
    complaint = Complaint.objects.create(
        tracking_code=_new_tracking_code(now),
        about=about,
        procedure=procedure,
        dossier=dossier,
        officer_name=officer_name,
        submitter_user=user,
        submitter_name=name,
        submitter_phone=phone,
        submitter_email=email,
        subject=subject,
        content=content,
        state=ComplaintState.RECEIVED,
        agency=agency,
        received_at=now,
        refuse_due_at=_working_days_after(now, REFUSE_WITHIN_DAYS, calendar),
        information_due_at=_working_days_after(now, INFORMATION_WITHIN_DAYS, calendar),
        answer_due_at=_working_days_after(now, ANSWER_WITHIN_DAYS, calendar),
    )
    _store(complaint, files, now)
    act = _Act(complaint, ComplaintState.RECEIVED, "", None)
    event = _event(
        act,
        ComplaintAction.SUBMIT,
        actor=user,
        now=now,
        payload={"attachments": len(files)},
    )
    _notify(complaint, event)
    return complaint


@transaction.atomic
def complaint_assign(
    *,
    actor: User,
    tracking_code: str,
    agency_code: str = "",
    assignee_id: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """A supervisor of the handling agency (or its receiver) hands the complaint to another
    agency and/or an officer, who must hold a role there. Moving it to another agency keeps
    the deadlines' start (receipt) and recomputes them in the new agency's calendar."""
    now = _now(now)
    act = _begin_officer(tracking_code, ComplaintAction.ASSIGN, actor, now, assign=True)
    complaint = act.complaint
    agency = _agency(agency_code) if agency_code.strip() else complaint.agency
    if assignee_id is None and agency.pk == complaint.agency_id:
        raise InvalidFeedback(_("Choose an agency or an officer."), field="assignee")
    assignee: AuthUser | None = None
    if assignee_id is not None:
        membership = (
            Membership.objects.active_on(timezone.localdate(now))
            .filter(user_id=assignee_id, agency=agency)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise InvalidFeedback(
                _("This officer does not work at %(agency)s.") % {"agency": agency.name},
                field="assignee",
            )
        assignee = membership.user
    fields = ["agency", "assignee"]
    if agency.pk != complaint.agency_id:
        calendar = calendar_for(agency)
        complaint.refuse_due_at = _working_days_after(
            complaint.received_at, REFUSE_WITHIN_DAYS, calendar
        )
        complaint.information_due_at = _working_days_after(
            complaint.received_at, INFORMATION_WITHIN_DAYS, calendar
        )
        # The paused time already spent is not lost: recomputed from receipt, the answer
        # deadline gets back the waits that ended (the events keep them).
        waited = _waited(complaint, calendar)
        complaint.answer_due_at = deadlines.add_working_time(
            _working_days_after(complaint.received_at, ANSWER_WITHIN_DAYS, calendar),
            waited,
            calendar,
        )
        fields += ["refuse_due_at", "information_due_at", "answer_due_at"]
    complaint.agency = agency
    complaint.assignee = assignee
    return _finish(
        act,
        ComplaintAction.ASSIGN,
        actor=actor,
        now=now,
        fields=fields,
        note=note.strip(),
        payload={"agency": agency.code, "assignee": assignee.get_username() if assignee else None},
    )


def _waited(complaint: Complaint, calendar: WorkingCalendar) -> dt.timedelta:
    """Working time of the finished waits for the submitter, from the events."""
    total = dt.timedelta(0)
    started: dt.datetime | None = None
    for action, at in complaint.events.order_by("at", "pk").values_list("action", "at"):
        if action == ComplaintAction.REQUEST_INFORMATION:
            started = at
        elif action == ComplaintAction.PROVIDE_INFORMATION and started is not None:
            total += deadlines.working_time_between(started, at, calendar)
            started = None
    return total


@transaction.atomic
def complaint_refuse(
    *, actor: User, tracking_code: str, reason: str, now: dt.datetime | None = None
) -> Complaint:
    """Refuse to handle the complaint (outside competence, anonymous abuse, repeated...),
    with the reason the submitter is told. Due within 2 working days of receipt."""
    now = _now(now)
    reason = _text(reason, "reason", _("Give the reason for refusing."))
    act = _begin_officer(tracking_code, ComplaintAction.REFUSE, actor, now)
    complaint = act.complaint
    fields = _resume(complaint, now)
    complaint.refusal_reason = reason
    complaint.finished_at = now
    complaint.handling_timeliness = deadlines.timeliness(now, complaint.refuse_due_at).value
    return _finish(
        act,
        ComplaintAction.REFUSE,
        actor=actor,
        now=now,
        fields=[*fields, "refusal_reason", "finished_at", "handling_timeliness"],
        note=reason,
        due_at=complaint.refuse_due_at,
        timeliness=complaint.handling_timeliness,
        notify=True,
    )


@transaction.atomic
def complaint_request_information(
    *, actor: User, tracking_code: str, question: str, now: dt.datetime | None = None
) -> Complaint:
    """Ask the submitter for more information (due within 5 working days of receipt). The
    answer deadline is paused until the submitter provides it."""
    now = _now(now)
    question = _text(question, "question", _("Write what you need to know."))
    act = _begin_officer(tracking_code, ComplaintAction.REQUEST_INFORMATION, actor, now)
    complaint = act.complaint
    timeliness = deadlines.timeliness(now, complaint.information_due_at).value
    fields = ["paused_since", "information_requested_at"]
    complaint.paused_since = now
    if complaint.information_requested_at is None:
        complaint.information_requested_at = now
        complaint.information_timeliness = timeliness
        fields.append("information_timeliness")
    return _finish(
        act,
        ComplaintAction.REQUEST_INFORMATION,
        actor=actor,
        now=now,
        fields=fields,
        note=question,
        due_at=complaint.information_due_at,
        timeliness=timeliness,
        notify=True,
    )


@transaction.atomic
def complaint_provide_information(
    *,
    tracking_code: str,
    information: str,
    actor: User | None = None,
    token: str = "",
    attachments: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Complaint:
    """The submitter answers a request for information: by their account (`actor`) or, for
    a submitter without one, with the complaint's access token. The answer clock resumes,
    its deadline moved by the working time waited."""
    now = _now(now)
    information = _text(information, "information", _("Write the information asked for."))
    files = check_attachments(attachments)
    complaint = _lock(tracking_code)
    user = _user(actor)
    by_account = (
        user is not None
        and complaint.submitter_user_id is not None
        and complaint.submitter_user_id == user.pk
    )
    by_token = bool(token) and secrets.compare_digest(token.strip(), complaint.access_token)
    if not (by_account or by_token):
        raise ComplaintNotFound
    act = _Act(
        complaint, _target(complaint, ComplaintAction.PROVIDE_INFORMATION), complaint.state, None
    )
    fields = _resume(complaint, now)
    _store(complaint, files, now)
    return _finish(
        act,
        ComplaintAction.PROVIDE_INFORMATION,
        actor=user if by_account else None,
        now=now,
        fields=fields,
        note=information,
        payload={"attachments": len(files)},
    )


@transaction.atomic
def complaint_answer(
    *, actor: User, tracking_code: str, answer: str, now: dt.datetime | None = None
) -> Complaint:
    """Answer the complaint (due within 15 working days of receipt, plus the time waited for
    the submitter). Publication is then due within 2 working days."""
    now = _now(now)
    answer = _text(answer, "answer", _("Write the answer."))
    act = _begin_officer(tracking_code, ComplaintAction.ANSWER, actor, now)
    complaint = act.complaint
    fields = _resume(complaint, now)
    complaint.answer = answer
    complaint.finished_at = now
    complaint.handling_timeliness = deadlines.timeliness(now, complaint.answer_due_at).value
    complaint.publish_due_at = _working_days_after(now, PUBLISH_WITHIN_DAYS, _calendar(complaint))
    return _finish(
        act,
        ComplaintAction.ANSWER,
        actor=actor,
        now=now,
        fields=[*fields, "answer", "finished_at", "handling_timeliness", "publish_due_at"],
        note=answer,
        due_at=complaint.answer_due_at,
        timeliness=complaint.handling_timeliness,
        notify=True,
    )


@transaction.atomic
def complaint_publish(
    *, actor: User, tracking_code: str, now: dt.datetime | None = None
) -> Complaint:
    """Publish the question and the answer (without the submitter's personal data) on the
    portal's public list. Due within 2 working days of the answer."""
    now = _now(now)
    act = _begin_officer(tracking_code, ComplaintAction.PUBLISH, actor, now)
    complaint = act.complaint
    assert complaint.publish_due_at is not None  # set by the answer
    complaint.published_at = now
    complaint.publish_timeliness = deadlines.timeliness(now, complaint.publish_due_at).value
    complaint.published_folded = fold(
        " ".join((complaint.subject, complaint.content, complaint.answer))
    )
    return _finish(
        act,
        ComplaintAction.PUBLISH,
        actor=actor,
        now=now,
        fields=["published_at", "publish_timeliness", "published_folded"],
        due_at=complaint.publish_due_at,
        timeliness=complaint.publish_timeliness,
    )


@transaction.atomic
def complaint_keep_private(
    *, actor: User, tracking_code: str, reason: str = "", now: dt.datetime | None = None
) -> Complaint:
    """Decide not to publish the answer (personal matter, no public interest). Ends the
    handling; no publication deadline applies any more."""
    now = _now(now)
    act = _begin_officer(tracking_code, ComplaintAction.KEEP_PRIVATE, actor, now)
    return _finish(act, ComplaintAction.KEEP_PRIVATE, actor=actor, now=now, note=reason.strip())
