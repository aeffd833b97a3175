"""Complaints and recommendations (phản ánh, kiến nghị) on the portal: send one about a
procedure, a dossier, an officer or anything else, with attachments; follow it (from the
account, or with the tracking code and access key); answer a request for information; read
the published answers. Each view parses, calls one service or selector and renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.feedback import attachments as feedback_attachments
from motcua.feedback import selectors, services
from motcua.feedback.exceptions import ComplaintNotFound, FeedbackError
from motcua.feedback.models import Complaint, ComplaintAbout, ComplaintState
from motcua.integrations import ratelimit
from motcua.procedures import selectors as procedure_selectors

from .forms import (
    CODE_SHAPE,
    ComplaintFollowForm,
    ComplaintForm,
    ComplaintInformationForm,
    PublishedSearchForm,
)

LOGIN = "accounts:login"
SESSION_TOKENS = "portal.complaint_tokens"
PUBLISHED_PAGE = 20
MINE_PAGE = 20
# Service error fields -> form fields.
FIELDS = {"name": "submitter_name", "answers": None}


def _limits() -> tuple[int, int]:
    return feedback_attachments.max_files(), feedback_attachments.max_bytes() // (1024 * 1024)


def _agencies() -> list[tuple[str, str]]:
    return [
        (a.code, a.name) for a in procedure_selectors.handling_agencies(on=timezone.localdate())
    ]


def _field(form: Any, exc: FeedbackError) -> str | None:
    field = str(exc.details.get("field", ""))
    field = FIELDS.get(field, field) or ""
    return field if field in form.fields else None


def _lost_files_note(request: HttpRequest) -> str:
    """Browsers never send a chosen file again: say so when some were chosen."""
    if request.FILES:
        return _("Your text was kept; choose the files again before sending.")
    return ""


def _new_page(request: HttpRequest, form: ComplaintForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/complaint_new.html",
        {"form": form, "lost_files": _lost_files_note(request) if status != 200 else ""},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The form: `?thu-tuc=<procedure code>` or `?ho-so=<dossier code>` preselects what it
    is about (links from a procedure's page and from the applicant's dossier page)."""
    agencies = _agencies()
    if request.method == "GET":
        initial: dict[str, str] = {}
        procedure_code = request.GET.get("thu-tuc", "")[:32]
        dossier_code = request.GET.get("ho-so", "")[:64]
        if procedure_code and CODE_SHAPE.match(procedure_code):
            initial.update(about=ComplaintAbout.PROCEDURE, procedure_code=procedure_code)
        elif dossier_code and CODE_SHAPE.match(dossier_code):
            initial.update(about=ComplaintAbout.DOSSIER, dossier_code=dossier_code)
        user = request.user
        if user.is_authenticated:
            initial["submitter_name"] = user.get_full_name() or ""
            initial["submitter_email"] = getattr(user, "email", "") or ""
        form = ComplaintForm(initial=initial, agencies=agencies, limits=_limits())
        return _new_page(request, form)
    form = ComplaintForm(request.POST, request.FILES, agencies=agencies, limits=_limits())
    if not form.is_valid():
        return _new_page(request, form, status=422)
    data = form.cleaned_data
    try:
        complaint = services.complaint_submit(
            actor=request.user,
            about=data["about"],
            subject=data["subject"],
            content=data["content"],
            submitter=services.Submitter(
                name=data["submitter_name"],
                phone=data["submitter_phone"],
                email=data["submitter_email"],
            ),
            procedure_code=data["procedure_code"],
            dossier_code=data["dossier_code"],
            dossier_factor=data["dossier_factor"],
            officer_name=data["officer_name"],
            agency_code=data["agency_code"],
            attachments=data["attachments"],
        )
    except FeedbackError as exc:
        form.add_error(_field(form, exc), exc.message)
        return _new_page(request, form, status=exc.http_status)
    if complaint.submitter_user_id is None:
        # The access key is shown once, on the next page, from the session (never in an
        # address that would land in logs and browser histories).
        tokens = dict(request.session.get(SESSION_TOKENS, {}))
        tokens[complaint.tracking_code] = complaint.access_token
        request.session[SESSION_TOKENS] = dict(list(tokens.items())[-5:])
    return redirect("portal:complaint_sent", code=complaint.tracking_code)


@never_cache
@require_safe
def complaint_sent(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation: the tracking code, and for a submitter without an account the
    access key to follow it with."""
    token = dict(request.session.get(SESSION_TOKENS, {})).get(code, "")
    complaint: Complaint | None = None
    if token:
        complaint = selectors.complaint_public_status(tracking_code=code, token=token)
    elif request.user.is_authenticated:
        try:
            complaint = selectors.complaint_get_submitted_by(request.user, tracking_code=code)
        except ComplaintNotFound:
            complaint = None
    if complaint is None:
        raise Http404
    return render(request, "portal/complaint_sent.html", {"complaint": complaint, "token": token})


# --- following ---------------------------------------------------------------------------


def _detail_context(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "state_label": ComplaintState(complaint.state).label,
        "timeline": selectors.complaint_timeline_for_submitter(complaint),
        "asked": complaint.state == ComplaintState.AWAITING_INFORMATION,
        "information_form": extra.pop("information_form", None) or ComplaintInformationForm(),
        **extra,
    }


@never_cache
@login_required(login_url=LOGIN)
@require_safe
def my_complaints(request: HttpRequest) -> HttpResponse:
    before = request.GET.get("truoc", "")
    rows = selectors.complaint_list_submitted_by(
        request.user,
        before=int(before) if before.isdigit() and len(before) < 12 else None,
        limit=MINE_PAGE,
    )
    return render(
        request,
        "portal/my_complaints.html",
        {"complaints": rows, "next_before": rows[-1].pk if len(rows) == MINE_PAGE else None},
    )


def _own(request: HttpRequest, code: str) -> Complaint:
    if len(code) > 32 or not CODE_SHAPE.match(code):
        raise Http404
    try:
        return selectors.complaint_get_submitted_by(request.user, tracking_code=code)
    except ComplaintNotFound:
        raise Http404 from None


@never_cache
@login_required(login_url=LOGIN)
@require_safe
def my_complaint(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _own(request, code)
    return render(request, "portal/complaint_detail.html", _detail_context(complaint))


def _provide(
    request: HttpRequest, complaint: Complaint, *, token: str, template_extra: dict[str, Any]
) -> HttpResponse | None:
    """Send the information asked for; None when done, else the page with the errors."""
    form = ComplaintInformationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complaint_provide_information(
                tracking_code=complaint.tracking_code,
                information=form.cleaned_data["information"],
                actor=request.user,
                token=token,
                attachments=form.cleaned_data["attachments"],
            )
            return None
        except FeedbackError as exc:
            form.add_error(_field(form, exc), exc.message)
            status = exc.http_status
    else:
        status = 422
    context = _detail_context(
        complaint, information_form=form, lost_files=_lost_files_note(request), **template_extra
    )
    return render(request, "portal/complaint_detail.html", context, status=status)


@login_required(login_url=LOGIN)
@require_POST
def my_complaint_information(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _own(request, code)
    failed = _provide(request, complaint, token="", template_extra={})
    if failed is not None:
        return failed
    messages.success(request, _("Your information was sent: handling resumes."))
    return redirect("portal:my_complaint", code=complaint.tracking_code)


def _follow_limited(request: HttpRequest, code: str) -> int | None:
    per_client = ratelimit.Rate.from_setting("MOTCUA_PORTAL_LOOKUP_RATE", "10/minute")
    wait = ratelimit.hit("complaint-follow", ratelimit.client_address(request), per_client)
    if wait is None and code:
        failures = ratelimit.Rate.from_setting("MOTCUA_PORTAL_LOOKUP_CODE_FAILURES", "20/hour")
        wait = ratelimit.exhausted("complaint-code", code, failures)
    return wait


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_follow(request: HttpRequest) -> HttpResponse:
    """Follow a complaint without an account: the tracking code and the access key. A wrong
    key and an unknown code give the same answer; both are rate limited. With
    `information` in the form, it also answers a request for information."""
    if request.method == "GET":
        form = ComplaintFollowForm(initial={"code": request.GET.get("code", "")[:32]})
        return render(request, "portal/complaint_follow.html", {"form": form})
    form = ComplaintFollowForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/complaint_follow.html", {"form": form}, status=422)
    code, token = form.cleaned_data["code"], form.cleaned_data["token"]
    wait = _follow_limited(request, code)
    if wait is not None:
        response = render(
            request,
            "portal/complaint_follow.html",
            {
                "form": form,
                "error": _("Too many attempts: try again in %(seconds)s seconds.")
                % {"seconds": wait},
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    complaint = selectors.complaint_public_status(tracking_code=code, token=token)
    if complaint is None:
        failures = ratelimit.Rate.from_setting("MOTCUA_PORTAL_LOOKUP_CODE_FAILURES", "20/hour")
        ratelimit.hit("complaint-code", code, failures)
        error = _("No complaint or recommendation matches this code and key.")
        return render(request, "portal/complaint_follow.html", {"form": form, "error": error})
    extra = {"follow_form": form, "token": token}
    if "information" in request.POST:
        failed = _provide(request, complaint, token=token, template_extra=extra)
        if failed is not None:
            return failed
        complaint.refresh_from_db()
        messages.success(request, _("Your information was sent: handling resumes."))
    return render(request, "portal/complaint_detail.html", _detail_context(complaint, **extra))


# --- published answers -------------------------------------------------------------------


def _published_cursor(value: str) -> tuple[dt.datetime, int] | None:
    moment, _sep, pk = value.rpartition("_")
    if not pk.isdigit() or len(pk) > 18:
        return None
    try:
        at = dt.datetime.fromisoformat(moment)
    except ValueError:
        return None
    return (at, int(pk)) if at.tzinfo is not None else None


@require_safe
def published_list(request: HttpRequest) -> HttpResponse:
    """The published questions and answers, newest first, with an accent-insensitive
    search; keyset pages (`?sau=<published moment>_<id>`)."""
    form = PublishedSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    rows = selectors.complaint_list_published(
        query=query,
        after=_published_cursor(request.GET.get("sau", "")[:64]),
        limit=PUBLISHED_PAGE + 1,
    )
    more = len(rows) > PUBLISHED_PAGE
    rows = rows[:PUBLISHED_PAGE]
    last = rows[-1] if rows else None
    next_after = (
        f"{last.published_at.isoformat()}_{last.pk}" if more and last and last.published_at else ""
    )
    return render(
        request,
        "portal/published_list.html",
        {"form": form, "query": query, "complaints": rows, "next_after": next_after},
    )


@require_safe
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complaint = selectors.complaint_get_published(pk=pk)
    except ComplaintNotFound:
        raise Http404 from None
    return render(request, "portal/published_detail.html", {"complaint": complaint})
