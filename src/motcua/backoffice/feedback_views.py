"""Back office pages for complaints and recommendations (phản ánh, kiến nghị): the inbox
with time-left colours, a complaint's page with the actions the officer may take as forms
(assign, refuse, ask for information, answer, publish or keep private) and its attachments.
Reads go through `feedback.selectors` (permissions in SQL: an officer of another agency
gets 404), every change through one `feedback.services` function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.feedback import notices, selectors, services
from motcua.feedback.exceptions import ComplaintNotFound, FeedbackError
from motcua.feedback.models import Complaint, ComplaintAction, ComplaintState

from . import forms as complaint_forms
from .selectors import Urgency, parse_cursor, soon_limit, urgency_of
from .views import Desk, _page, officer_view

PAGE_SIZE = 50


@dataclass(frozen=True)
class Spec:
    form: type[forms.Form]
    call: Callable[[Any, str, dict[str, Any]], Complaint]


ACTIONS: dict[str, Spec] = {
    ComplaintAction.ASSIGN: Spec(
        complaint_forms.ComplaintAssignForm,
        lambda user, code, d: services.complaint_assign(
            actor=user, tracking_code=code, assignee_id=d["assignee"], note=d["note"]
        ),
    ),
    ComplaintAction.REFUSE: Spec(
        complaint_forms.ComplaintRefuseForm,
        lambda user, code, d: services.complaint_refuse(
            actor=user, tracking_code=code, reason=d["reason"]
        ),
    ),
    ComplaintAction.REQUEST_INFORMATION: Spec(
        complaint_forms.ComplaintRequestInformationForm,
        lambda user, code, d: services.complaint_request_information(
            actor=user, tracking_code=code, question=d["question"]
        ),
    ),
    ComplaintAction.ANSWER: Spec(
        complaint_forms.ComplaintAnswerForm,
        lambda user, code, d: services.complaint_answer(
            actor=user, tracking_code=code, answer=d["answer"]
        ),
    ),
    ComplaintAction.PUBLISH: Spec(
        complaint_forms.ComplaintPublishForm,
        lambda user, code, d: services.complaint_publish(actor=user, tracking_code=code),
    ),
    ComplaintAction.KEEP_PRIVATE: Spec(
        complaint_forms.ComplaintKeepPrivateForm,
        lambda user, code, d: services.complaint_keep_private(
            actor=user, tracking_code=code, reason=d["reason"]
        ),
    ),
}

# Service error fields -> form fields.
FIELDS = {"assignee": "assignee", "reason": "reason", "question": "question", "answer": "answer"}


def _code(value: str) -> str:
    if "\x00" in value or len(value) > 32:
        raise Http404
    return value


# --- inbox -------------------------------------------------------------------------------

TABS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "open": (
        pgettext_lazy("complaint", "Being handled"),
        (ComplaintState.RECEIVED, ComplaintState.PROCESSING, ComplaintState.AWAITING_INFORMATION),
    ),
    "publish": (gettext_lazy("Answered, to publish"), (ComplaintState.ANSWERED,)),
    "done": (
        gettext_lazy("Handling finished"),
        (ComplaintState.REFUSED, ComplaintState.PUBLISHED, ComplaintState.CLOSED),
    ),
}


@dataclass(frozen=True)
class Row:
    complaint: Complaint
    due: dt.datetime | None  # the deadline the next step is held to
    due_label: str
    urgency: str


DEADLINE_LABELS = {
    "refuse": gettext_lazy("refuse or handle by"),
    "answer": gettext_lazy("answer by"),
    "publish": gettext_lazy("publish by"),
}


def next_deadline(complaint: Complaint, now: dt.datetime) -> tuple[dt.datetime | None, str]:
    due, step = selectors.complaint_next_deadline(complaint, now)
    return due, str(DEADLINE_LABELS.get(step, ""))


@require_safe
@officer_view
def complaint_inbox(request: HttpRequest, desk: Desk) -> HttpResponse:
    tab = request.GET.get("tab", "open")
    if tab not in TABS:
        tab = "open"
    raw = parse_cursor(request.GET.get("after", "")[:80])
    after = (raw[0], raw[1]) if raw and raw[0] is not None else None
    complaints = selectors.complaint_list_for(
        request.user,
        filters=selectors.ComplaintFilter(states=TABS[tab][1]),
        after=after,
        limit=PAGE_SIZE + 1,
    )
    more = len(complaints) > PAGE_SIZE
    complaints = complaints[:PAGE_SIZE]
    now = timezone.now()
    soon = soon_limit(desk.acting.agency, now=now) if desk.acting else now
    rows = []
    for complaint in complaints:
        due, label = next_deadline(complaint, now)
        urgency = urgency_of(due, now=now, soon_until=soon) if due else Urgency.LATER
        rows.append(Row(complaint, due, label, urgency))
    last = complaints[-1] if complaints else None
    return _page(
        request,
        desk,
        "backoffice/complaints/inbox.html",
        {
            "rows": rows,
            "tab": tab,
            "tabs": [(key, label) for key, (label, _states) in TABS.items()],
            "next_cursor": f"{last.received_at.isoformat()}_{last.pk}" if more and last else "",
        },
    )


# --- a complaint's page ------------------------------------------------------------------


def _complaint_response(
    request: HttpRequest,
    desk: Desk,
    code: str,
    *,
    bound: tuple[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        complaint = selectors.complaint_get_for(request.user, tracking_code=_code(code))
        events = selectors.complaint_events_for(request.user, tracking_code=complaint.tracking_code)
    except ComplaintNotFound:
        raise Http404 from None
    told, untold = notices.sent_by_event(events), notices.untold_by_event(events)
    today = timezone.localdate()
    allowed = selectors.complaint_actions_for(request.user, complaint, on=today)
    action_forms = []
    for action in allowed:
        spec = ACTIONS.get(action)
        if spec is None:
            continue
        form = bound[1] if bound and bound[0] == action else spec.form(prefix=action)
        action_forms.append(
            {"action": action, "label": ComplaintAction(action).label, "form": form}
        )
    now = timezone.now()
    due, due_label = next_deadline(complaint, now)
    return _page(
        request,
        desk,
        "backoffice/complaints/detail.html",
        {
            "c": complaint,
            "events": events,
            "timeline": [(e, told.get(e.pk, []), untold.get(e.pk)) for e in events],
            "action_forms": action_forms,
            "officers": (
                selectors.complaint_assignable_officers(complaint, on=today)
                if ComplaintAction.ASSIGN in allowed
                else []
            ),
            "due": due,
            "due_label": due_label,
            "urgency": urgency_of(
                due,
                now=now,
                soon_until=soon_limit(complaint.agency, now=now),
            )
            if due
            else "",
            "error": error,
            "focus": bound[0] if bound else "",
        },
        status=status,
    )


@require_safe
@officer_view
def complaint_detail(request: HttpRequest, desk: Desk, code: str) -> HttpResponse:
    return _complaint_response(request, desk, code)


@require_POST
@officer_view
def complaint_act(request: HttpRequest, desk: Desk, code: str, action: str) -> HttpResponse:
    code = _code(code)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, prefix=action)
    if not form.is_valid():
        return _complaint_response(
            request,
            desk,
            code,
            bound=(action, form),
            error=_("Please correct the fields marked below."),
            status=400,
        )
    try:
        complaint = spec.call(request.user, code, form.cleaned_data)
    except ComplaintNotFound:
        raise Http404 from None
    except FeedbackError as exc:
        field = FIELDS.get(str(exc.details.get("field", "")))
        if field in form.fields:
            form.add_error(field, exc.message)
        return _complaint_response(
            request, desk, code, bound=(action, form), error=exc.message, status=exc.http_status
        )
    messages.success(request, _("Done: %(action)s.") % {"action": ComplaintAction(action).label})
    return redirect("backoffice:complaint", code=complaint.tracking_code)


@require_safe
@officer_view
def complaint_attachment(
    request: HttpRequest, desk: Desk, code: str, attachment_id: int
) -> HttpResponse:
    try:
        attachment = selectors.complaint_attachment_for(
            request.user, tracking_code=_code(code), attachment_id=attachment_id
        )
    except ComplaintNotFound:
        raise Http404 from None
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # streamed; officer_view passes it through
