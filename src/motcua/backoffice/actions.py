"""Each action of the dossier page: the form that parses its POST and the lifecycle service
it calls. One entry per action; no rule of the law lives here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User

from motcua.domain.lifecycle import Action
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

from . import forms as f

Call = Callable[[User, str, dict[str, Any]], Dossier]


@dataclass(frozen=True)
class ActionSpec:
    form: type[forms.Form]
    call: Call


ACTIONS: dict[Action, ActionSpec] = {
    Action.RECEIVE: ActionSpec(
        f.ReceiveForm,
        lambda u, code, d: services.dossier_receive(
            actor=u, code=code, note=d["note"], documents=d["documents"]
        ),
    ),
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: ActionSpec(
        f.ReceptionOutcomeForm,
        lambda u, code, d: services.dossier_request_supplement_at_reception(
            actor=u, reference=code, reasons=d["reasons"], items=f.lines(d["items"])
        ),
    ),
    Action.REFUSE_RECEPTION: ActionSpec(
        f.ReasonsForm,
        lambda u, code, d: services.dossier_refuse_reception(
            actor=u, reference=code, reasons=d["reasons"]
        ),
    ),
    Action.FORWARD: ActionSpec(
        f.NoteForm,
        lambda u, code, d: services.dossier_forward(actor=u, code=code, note=d["note"]),
    ),
    Action.SEND_BACK: ActionSpec(
        f.SendBackForm,
        lambda u, code, d: services.dossier_send_back(
            actor=u, code=code, to_position=d["to_position"], reason=d["reason"]
        ),
    ),
    Action.ASSIGN: ActionSpec(
        f.AssignForm,
        lambda u, code, d: services.dossier_assign(
            actor=u, code=code, assignee_id=d["assignee"], note=d["note"]
        ),
    ),
    Action.TRANSFER: ActionSpec(
        f.TransferForm,
        lambda u, code, d: services.dossier_transfer(
            actor=u, code=code, agency_code=d["agency_code"], note=d["note"]
        ),
    ),
    Action.REQUEST_SUPPLEMENT: ActionSpec(
        f.RequestSupplementForm,
        lambda u, code, d: services.dossier_request_supplement(
            actor=u,
            code=code,
            items=f.lines(d["items"]),
            reasons=d["reasons"],
            second_reason=d["second_reason"],
        ),
    ),
    Action.SUPPLEMENT: ActionSpec(
        f.SupplementForm,
        lambda u, code, d: services.dossier_supplement(
            actor=u, code=code, note=d["note"], uploads=f.uploads(d["scans"])
        ),
    ),
    Action.CONSULT: ActionSpec(
        f.ConsultForm,
        lambda u, code, d: services.dossier_consult(
            actor=u,
            code=code,
            agency_codes=d["agency_codes"],
            question=d["question"],
            reply_within_days=d["reply_within_days"],
        ),
    ),
    Action.REPLY_CONSULTATION: ActionSpec(
        f.ReplyConsultationForm,
        lambda u, code, d: services.dossier_reply_consultation(
            actor=u, consultation_id=d["consultation"], reply=d["reply"], agreed=d["agreed"]
        ),
    ),
    Action.REQUEST_PAYMENT: ActionSpec(
        f.RequestPaymentForm,
        lambda u, code, d: services.dossier_request_payment(
            actor=u, code=code, amount=d["amount"], description=d["description"]
        ),
    ),
    Action.CONFIRM_PAYMENT: ActionSpec(
        f.ConfirmPaymentForm,
        lambda u, code, d: services.dossier_confirm_payment(
            actor=u, code=code, reference=d["reference"]
        ),
    ),
    Action.APOLOGISE_AND_EXTEND: ActionSpec(
        f.ApologiseForm,
        lambda u, code, d: services.dossier_apologise_and_extend(
            actor=u, code=code, reason=d["reason"], new_due_at=d["new_due_at"]
        ),
    ),
    Action.REJECT: ActionSpec(
        f.ReasonsForm,
        lambda u, code, d: services.dossier_reject(actor=u, code=code, reasons=d["reasons"]),
    ),
    Action.WITHDRAW: ActionSpec(
        f.WithdrawForm,
        lambda u, code, d: services.dossier_withdraw(actor=u, code=code, reason=d["reason"]),
    ),
    Action.RESOLVE: ActionSpec(
        f.ResolveForm,
        lambda u, code, d: services.dossier_resolve(
            actor=u,
            code=code,
            result_number=d["result_number"],
            result_signer=d["result_signer"],
            result_date=d["result_date"],
            electronic=d["electronic"],
            summary=d["summary"],
            result_uploads=f.uploads(d["result_files"]),
        ),
    ),
    Action.RETURN_RESULT: ActionSpec(
        f.ReturnResultForm,
        lambda u, code, d: services.dossier_return_result(
            actor=u, code=code, channel=d["channel"], collected_by=d["collected_by"]
        ),
    ),
}
