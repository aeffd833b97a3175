"""Dossiers: reading them, taking them in, and every legal action on them as its own verb.

Reads go through the permission-aware selectors, so a dossier the caller may not see does
not exist for them (404). Actions call one service each; when an action is refused
(illegal now, not the caller's to take, bad input) on a dossier the caller cannot see, the
answer is the same 404, so the refusal reveals neither the dossier nor its state."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User as AuthUser
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.params import HeaderEx, P

from motcua.domain.lifecycle import Action
from motcua.dossiers import selectors, services
from motcua.dossiers.exceptions import DossierError, DossierNotFound
from motcua.dossiers.models import Dossier, ReturnChannel
from motcua.procedures.models import Channel

from .. import idempotency, render
from .. import schemas as s
from ..auth import READ_AUTH, WRITE_AUTH, Principal, principal_of
from ..errors import ApiError
from ..idempotency import Outcome

router = Router(tags=["dossiers"])

ERRORS: dict[Any, Any] = {frozenset({400, 401, 403, 404, 409, 413, 422, 429}): s.ErrorOut}
READ_ERRORS: dict[Any, Any] = {frozenset({401, 403, 404, 422}): s.ErrorOut}
ACTION_RESPONSES: dict[Any, Any] = {200: s.DossierOut, **ERRORS}
IdempotencyKey = HeaderEx[
    str | None,
    P(
        alias=idempotency.HEADER,
        description="Any unique string (a UUID): a retry with the same key and body returns "
        "the first answer and changes nothing.",
    ),
]


# --- reading -------------------------------------------------------------------------------


def _encode_cursor(dossier: Dossier) -> str:
    """The (due moment, id) of the last row of a page, opaque to clients."""
    due = dossier.due_at.astimezone(dt.UTC).isoformat() if dossier.due_at else None
    raw = json.dumps([due, dossier.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime | None, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        due, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = None if due is None else dt.datetime.fromisoformat(due)
        if moment is not None and (moment.tzinfo is None or not s.EARLIEST <= moment <= s.LATEST):
            raise ValueError(cursor)
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= s.BIGINT_MAX:
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            422,
            "invalid_input",
            _("The cursor is not one this API gave out."),
            {"errors": [{"location": "query", "field": "cursor", "type": "invalid_cursor"}]},
        ) from None
    return moment, pk


@router.get(
    "/dossiers",
    response={200: s.DossierPage, **READ_ERRORS},
    auth=READ_AUTH,
    operation_id="dossier_list",
)
def dossier_list(request: HttpRequest, filters: Query[s.DossierFilterIn]) -> s.DossierPage:
    """The dossiers you may see, soonest due first (those not received yet last). Keyset
    pages: pass `next_cursor` as `cursor`; there is no total count."""
    principal = principal_of(request)
    after = _decode_cursor(filters.cursor) if filters.cursor else None
    rows = selectors.dossier_list_for(
        principal.user,
        filters=selectors.DossierFilter(
            status=filters.status.value if filters.status else "",
            agency_code=filters.agency or "",
            procedure_code=filters.procedure or "",
            channel=filters.channel.value if filters.channel else "",
            due_before=filters.due_before,
            due_after=filters.due_after,
            overdue_at=timezone.now() if filters.overdue else None,
        ),
        after=after,
        limit=filters.limit + 1,
    )
    page = rows[: filters.limit]
    prefetch_related_objects(page, "current_agency", "assignee")
    return s.DossierPage(
        items=[render.dossier_summary(d) for d in page],
        next_cursor=_encode_cursor(page[-1]) if len(rows) > filters.limit else None,
    )


@router.get(
    "/dossiers/{code}",
    response={200: s.DossierOut, **READ_ERRORS},
    auth=READ_AUTH,
    operation_id="dossier_get",
)
def dossier_get(request: HttpRequest, code: Path[s.DossierReference]) -> s.DossierOut:
    """One dossier by its code (or, before reception, its submission number), with the
    actions you may take on it now."""
    principal = principal_of(request)
    dossier = selectors.dossier_get_for(principal.user, code=code)
    return render.dossier_detail(dossier, principal)


@router.get(
    "/dossiers/{code}/events",
    response={200: list[s.EventOut], **READ_ERRORS},
    auth=READ_AUTH,
    operation_id="dossier_events",
)
def dossier_events(request: HttpRequest, code: Path[s.DossierReference]) -> list[s.EventOut]:
    """The dossier's history, oldest first: who did what, when, from which state and step
    to which."""
    principal = principal_of(request)
    events = selectors.dossier_events_for(principal.user, code=code)
    prefetch_related_objects(events, "to_assignee")
    return [render.event_out(e) for e in events]


# --- intake --------------------------------------------------------------------------------


def _applicant(data: s.ApplicantIn) -> services.Applicant:
    return services.Applicant(
        name=data.name,
        kind=data.kind.value,
        id_number=data.id_number,
        phone=data.phone,
        email=data.email,
        address=data.address,
        representative_name=data.representative_name,
        representative_id_number=data.representative_id_number,
        representative_phone=data.representative_phone,
    )


@router.post(
    "/dossiers",
    response={201: s.DossierOut, **ERRORS},
    auth=WRITE_AUTH,
    operation_id="dossier_create",
)
def dossier_create(
    request: HttpRequest,
    payload: s.DossierCreateIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Take a dossier in. `mode: submit`: an online or postal dossier that now awaits the
    receiving officer (no code, no clock yet); its submission number is the `reference`.
    `mode: receive`: a counter officer receives a walk-in now: the code is issued, the due
    moment computed and the dossier handed to the first processing step."""
    principal = principal_of(request)

    def act() -> Outcome:
        if payload.mode == "submit":
            channel = payload.channel or Channel.ONLINE
            dossier = services.dossier_submit(
                actor=principal.user,
                procedure_code=payload.procedure_code,
                applicant=_applicant(payload.applicant),
                channel=channel.value,
                handling_agency_code=payload.handling_agency_code,
                return_channel=(payload.return_channel or ReturnChannel(channel.value)).value,
                documents=payload.documents,
            )
        else:
            channel = payload.channel or Channel.COUNTER
            dossier = services.dossier_receive(
                actor=principal.user,
                procedure_code=payload.procedure_code,
                applicant=_applicant(payload.applicant),
                channel=channel.value,
                handling_agency_code=payload.handling_agency_code,
                return_channel=(payload.return_channel or ReturnChannel(channel.value)).value,
                documents=payload.documents,
                note=payload.note,
            )
        body = render.dossier_detail(dossier, principal, consultations=[])
        return Outcome(201, body, {"Location": f"{request.path.rstrip('/')}/{body.reference}"})

    return idempotency.run(request, idempotency_key, act)


# --- actions -------------------------------------------------------------------------------


def _act(
    request: HttpRequest,
    code: str,
    key: str | None,
    call: Callable[[AuthUser], Dossier],
) -> HttpResponse:
    principal = principal_of(request)

    def act() -> Outcome:
        dossier = call(principal.user)
        return Outcome(200, render.dossier_detail(dossier, principal))

    # A refusal is hidden behind 404 once its transaction is rolled back: nothing may run
    # in a transaction an error has doomed (see `db.all_or_nothing`).
    try:
        return idempotency.run(request, key, act)
    except DossierNotFound:
        raise
    except DossierError:
        _unless_visible(principal, code=code)
        raise


def _unless_visible(principal: Principal, **dossier: Any) -> None:
    """Hide a refusal behind 404 when the caller may not see the dossier (by `code` or
    `consultation_id`)."""
    if not selectors.dossier_visible_to(principal.user, **dossier):
        raise DossierNotFound()


def _action_route(action: Action, summary: str) -> Callable[[Callable[..., HttpResponse]], object]:
    return router.post(
        f"/dossiers/{{code}}/actions/{action.value}",
        response=ACTION_RESPONSES,
        auth=WRITE_AUTH,
        operation_id=f"dossier_{action.value}",
        summary=summary,
        tags=["dossier actions"],
    )


@_action_route(Action.RECEIVE, "Receive a submitted dossier")
def receive(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ReceiveIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """The receiving officer accepts an online or postal dossier (`code` is its submission
    number): issues the code and the receipt's due moment, hands it to the first step (the
    next working day when received after 15:00)."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_receive(
            actor=actor, code=code, documents=payload.documents, note=payload.note
        ),
    )


@_action_route(Action.REQUEST_SUPPLEMENT_AT_RECEPTION, "Ask for a supplement at reception")
def request_supplement_at_reception(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.RequestSupplementAtReceptionIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Form 02 at reception: the dossier is not accepted and no clock runs; the applicant
    submits again when complete. Ends this submission."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_request_supplement_at_reception(
            actor=actor, reference=code, reasons=payload.reasons, items=payload.items
        ),
    )


@_action_route(Action.REFUSE_RECEPTION, "Refuse reception")
def refuse_reception(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.RefuseReceptionIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Form 03: reception refused with written reasons. Ends this submission."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_refuse_reception(
            actor=actor, reference=code, reasons=payload.reasons
        ),
    )


@_action_route(Action.FORWARD, "Forward to the next step")
def forward(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ForwardIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Hand the dossier to the next step of its process."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_forward(actor=actor, code=code, note=payload.note),
    )


@_action_route(Action.SEND_BACK, "Send back to an earlier step")
def send_back(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.SendBackIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Return the dossier to an earlier step of the process, with the reason."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_send_back(
            actor=actor, code=code, to_position=payload.to_position, reason=payload.reason
        ),
    )


@_action_route(Action.ASSIGN, "Assign the current step to an officer")
def assign(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.AssignIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """A division head or leader gives the current step to one officer of the agency who
    holds the step's role."""
    assignee_id = (
        AuthUser.objects.filter(username=payload.assignee).values_list("pk", flat=True).first()
    )
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_assign(
            actor=actor, code=code, assignee_id=assignee_id or 0, note=payload.note
        ),
    )


@_action_route(Action.TRANSFER, "Transfer the step to another agency")
def transfer(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.TransferIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Inter-agency handling (liên thông): the current step moves to another agency, whose
    officers holding the step's role gain access for this step only."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_transfer(
            actor=actor, code=code, agency_code=payload.agency_code, note=payload.note
        ),
    )


@_action_route(Action.REQUEST_SUPPLEMENT, "Request a supplement (clock stops)")
def request_supplement(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.RequestSupplementIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Form 02 during processing: the clock stops until the applicant supplements. A second
    request needs `second_reason`, is flagged, and counts the dossier as late in the 766
    index."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_request_supplement(
            actor=actor,
            code=code,
            items=payload.items,
            reasons=payload.reasons,
            second_reason=payload.second_reason,
        ),
    )


@_action_route(Action.SUPPLEMENT, "Record the applicant's supplement (clock resumes)")
def supplement(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.SupplementIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """The applicant hands in what was asked: the clock runs again and the due moments move
    later by exactly the working time paused."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_supplement(
            actor=actor, code=code, note=payload.note, documents=payload.documents
        ),
    )


@_action_route(Action.CONSULT, "Consult other agencies")
def consult(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ConsultIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Ask other agencies for their opinion (lấy ý kiến), each with a reply deadline in
    working days; they answer with `POST /consultations/{id}/reply`."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_consult(
            actor=actor,
            code=code,
            agency_codes=payload.agency_codes,
            question=payload.question,
            reply_within_days=payload.reply_within_days,
        ),
    )


@_action_route(Action.REQUEST_PAYMENT, "Request the financial obligation")
def request_payment(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.RequestPaymentIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Ask the applicant to pay a fee or tax; whether the clock runs meanwhile is a setting
    of the procedure."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_request_payment(
            actor=actor, code=code, amount=payload.amount, description=payload.description
        ),
    )


@_action_route(Action.CONFIRM_PAYMENT, "Confirm the payment")
def confirm_payment(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ConfirmPaymentIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Record that the financial obligation is met (receipt or transfer reference)."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_confirm_payment(
            actor=actor, code=code, reference=payload.reference
        ),
    )


@_action_route(Action.APOLOGISE_AND_EXTEND, "Apologise and set a new appointment")
def apologise_and_extend(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ApologiseAndExtendIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Form 04, by the head of the handling agency, when the dossier is or will be late:
    records the new appointment; timeliness is still judged against the legal due
    moment."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_apologise_and_extend(
            actor=actor, code=code, reason=payload.reason, new_due_at=payload.new_due_at
        ),
    )


@_action_route(Action.REJECT, "Reject on the merits")
def reject(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.RejectIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Not resolved, with written reasons; the letter is then returned like a result."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_reject(actor=actor, code=code, reasons=payload.reasons),
    )


@_action_route(Action.WITHDRAW, "Stop at the applicant's request")
def withdraw(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.WithdrawIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """Form 05: handling stops because the applicant withdraws the dossier."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_withdraw(actor=actor, code=code, reason=payload.reason),
    )


@_action_route(Action.RESOLVE, "Resolve: issue the result")
def resolve(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ResolveIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """The result is issued (number, signer, date; electronic or not): handling ends, the
    timeliness is fixed and the dossier goes to the return step."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_resolve(
            actor=actor,
            code=code,
            result_number=payload.result_number,
            result_signer=payload.result_signer,
            result_date=payload.result_date,
            electronic=payload.electronic,
            summary=payload.summary,
        ),
    )


@_action_route(Action.RETURN_RESULT, "Return the result")
def return_result(
    request: HttpRequest,
    code: Path[s.DossierReference],
    payload: s.ReturnResultIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """The result (or the refusal letter) reaches the applicant: at the counter (say who
    collected it), by post, or online."""
    return _act(
        request,
        code,
        idempotency_key,
        lambda actor: services.dossier_return_result(
            actor=actor,
            code=code,
            channel=payload.channel.value,
            collected_by=payload.collected_by,
        ),
    )


@router.post(
    "/dossiers/{code}/actions/{action}",
    response=ERRORS,
    auth=WRITE_AUTH,
    include_in_schema=False,
)
def unknown_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    raise ApiError(
        404,
        "unknown_action",
        _("There is no such action on a dossier."),
        {"action": action[:64], "actions": sorted(ACTION_PATHS)},
    )


ACTION_PATHS = frozenset(
    a.value for a in Action if a not in {Action.SUBMIT, Action.REPLY_CONSULTATION}
)


# --- consultations -------------------------------------------------------------------------


@router.post(
    "/consultations/{consultation_id}/reply",
    response=ACTION_RESPONSES,
    auth=WRITE_AUTH,
    operation_id="consultation_reply",
    summary="Reply to a consultation",
    tags=["dossier actions"],
)
def consultation_reply(
    request: HttpRequest,
    consultation_id: Path[s.ConsultationId],
    payload: s.ReplyConsultationIn,
    idempotency_key: IdempotencyKey = None,
) -> HttpResponse:
    """The consulted agency gives its opinion; or, past the deadline, the agency that asked
    records the silence as agreement (`deemed: true`). The last reply resumes processing.
    Consultation ids are in the dossier's `consultations`."""
    principal = principal_of(request)

    def act() -> Outcome:
        dossier = services.dossier_reply_consultation(
            actor=principal.user,
            consultation_id=consultation_id,
            reply=payload.reply,
            agreed=payload.agreed,
            deemed=payload.deemed,
        )
        return Outcome(200, render.dossier_detail(dossier, principal))

    try:  # as `_act`: the refusal is hidden once its transaction is rolled back
        return idempotency.run(request, idempotency_key, act)
    except DossierNotFound:
        raise
    except DossierError:
        _unless_visible(principal, consultation_id=consultation_id)
        raise
