"""The dossier lifecycle: statuses, actions and the legal transitions between them
(Decree 118/2025, Circular 03/2025; DOMAIN.md section 1.2).

Pure data and functions: the services in `dossiers/services.py` ask `transition()` before
they change anything, so an illegal action fails with the current status and the actions
that are allowed, and nothing is written."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Status(enum.StrEnum):
    AWAITING_RECEPTION = "awaiting_reception"  # Chờ tiếp nhận
    RECEPTION_SUPPLEMENT_REQUESTED = "reception_supplement_requested"  # Mẫu 02, not accepted
    RECEPTION_REFUSED = "reception_refused"  # Mẫu 03
    PROCESSING = "processing"  # Đang xử lý
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # Chờ bổ sung (clock paused)
    CONSULTING = "consulting"  # Chờ ý kiến cơ quan khác
    AWAITING_PAYMENT = "awaiting_payment"  # Chờ thực hiện nghĩa vụ tài chính
    RESOLVED = "resolved"  # Đã xử lý xong, chờ trả kết quả
    REJECTED = "rejected"  # Không giải quyết (có văn bản nêu lý do), chờ trả
    WITHDRAWN = "withdrawn"  # Dừng giải quyết theo yêu cầu (Mẫu 05)
    RETURNED = "returned"  # Đã trả kết quả


class Action(enum.StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    REQUEST_SUPPLEMENT_AT_RECEPTION = "request_supplement_at_reception"
    REFUSE_RECEPTION = "refuse_reception"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    ASSIGN = "assign"
    TRANSFER = "transfer"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    CONSULT = "consult"
    REPLY_CONSULTATION = "reply_consultation"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    APOLOGISE_AND_EXTEND = "apologise_and_extend"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    RESOLVE = "resolve"
    RETURN_RESULT = "return_result"


S = Status
A = Action

# Statuses in which the dossier is being handled by the agency (its clock may run).
OPEN: frozenset[Status] = frozenset(
    {S.PROCESSING, S.AWAITING_SUPPLEMENT, S.CONSULTING, S.AWAITING_PAYMENT}
)
# Handling ended (kết thúc xử lý): the timeliness is fixed.
FINISHED: frozenset[Status] = frozenset({S.RESOLVED, S.REJECTED, S.WITHDRAWN, S.RETURNED})
# Nothing can happen any more.
TERMINAL: frozenset[Status] = frozenset(
    {S.RECEPTION_SUPPLEMENT_REQUESTED, S.RECEPTION_REFUSED, S.WITHDRAWN, S.RETURNED}
)

# (status, action) -> status after the action. `None` as the source status is a new dossier.
TRANSITIONS: Mapping[tuple[Status | None, Action], Status] = {
    (None, A.SUBMIT): S.AWAITING_RECEPTION,
    (None, A.RECEIVE): S.PROCESSING,  # a walk-in received at the counter directly
    (S.AWAITING_RECEPTION, A.RECEIVE): S.PROCESSING,
    (S.AWAITING_RECEPTION, A.REQUEST_SUPPLEMENT_AT_RECEPTION): S.RECEPTION_SUPPLEMENT_REQUESTED,
    (S.AWAITING_RECEPTION, A.REFUSE_RECEPTION): S.RECEPTION_REFUSED,
    (S.AWAITING_RECEPTION, A.WITHDRAW): S.WITHDRAWN,
    (S.PROCESSING, A.FORWARD): S.PROCESSING,
    (S.PROCESSING, A.SEND_BACK): S.PROCESSING,
    (S.PROCESSING, A.ASSIGN): S.PROCESSING,
    (S.PROCESSING, A.TRANSFER): S.PROCESSING,
    (S.PROCESSING, A.REQUEST_SUPPLEMENT): S.AWAITING_SUPPLEMENT,
    (S.AWAITING_SUPPLEMENT, A.SUPPLEMENT): S.PROCESSING,
    (S.PROCESSING, A.CONSULT): S.CONSULTING,
    (S.CONSULTING, A.CONSULT): S.CONSULTING,
    # A reply leaves the dossier consulting while other consultations are open; the service
    # decides between the two targets, both are legal.
    (S.CONSULTING, A.REPLY_CONSULTATION): S.PROCESSING,
    (S.PROCESSING, A.REQUEST_PAYMENT): S.AWAITING_PAYMENT,
    (S.AWAITING_PAYMENT, A.CONFIRM_PAYMENT): S.PROCESSING,
    (S.PROCESSING, A.APOLOGISE_AND_EXTEND): S.PROCESSING,
    (S.AWAITING_SUPPLEMENT, A.APOLOGISE_AND_EXTEND): S.AWAITING_SUPPLEMENT,
    (S.CONSULTING, A.APOLOGISE_AND_EXTEND): S.CONSULTING,
    (S.AWAITING_PAYMENT, A.APOLOGISE_AND_EXTEND): S.AWAITING_PAYMENT,
    (S.PROCESSING, A.REJECT): S.REJECTED,
    (S.CONSULTING, A.REJECT): S.REJECTED,
    (S.PROCESSING, A.WITHDRAW): S.WITHDRAWN,
    (S.AWAITING_SUPPLEMENT, A.WITHDRAW): S.WITHDRAWN,
    (S.CONSULTING, A.WITHDRAW): S.WITHDRAWN,
    (S.AWAITING_PAYMENT, A.WITHDRAW): S.WITHDRAWN,
    (S.PROCESSING, A.RESOLVE): S.RESOLVED,
    (S.AWAITING_PAYMENT, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.RETURN_RESULT): S.RETURNED,
    (S.REJECTED, A.RETURN_RESULT): S.RETURNED,
}

# Actions that may leave the dossier in a status other than the table's (see above).
ALTERNATIVE_TARGETS: Mapping[tuple[Status, Action], frozenset[Status]] = {
    (S.CONSULTING, A.REPLY_CONSULTATION): frozenset({S.CONSULTING, S.PROCESSING}),
}


class IllegalTransition(Exception):
    """`action` is not allowed in `status`; `allowed` lists what is."""

    code = "illegal_transition"

    def __init__(self, status: Status | None, action: Action) -> None:
        self.status = status
        self.action = action
        self.allowed = allowed_actions(status)
        allowed = ", ".join(a.value for a in self.allowed) or "none"
        super().__init__(
            f"{action.value} is not allowed when the dossier is "
            f"{status.value if status else 'new'}; allowed: {allowed}"
        )


def allowed_actions(status: Status | None) -> tuple[Action, ...]:
    """The actions the law allows in `status`, in the order of `Action`."""
    return tuple(a for a in Action if (status, a) in TRANSITIONS)


def transition(status: Status | None, action: Action) -> Status:
    """The status after `action`, or IllegalTransition."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(status, action) from None


def is_clock_paused(status: Status, *, consultation_counts: bool, payment_counts: bool) -> bool:
    """Whether the handling clock stands still in `status`: always while the applicant is
    asked to supplement; during consultation and payment as the procedure says."""
    if status is S.AWAITING_SUPPLEMENT:
        return True
    if status is S.CONSULTING:
        return not consultation_counts
    if status is S.AWAITING_PAYMENT:
        return not payment_counts
    return False
