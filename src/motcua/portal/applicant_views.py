"""The applicant's pages: online submission (with drafts), "my dossiers", a dossier's page
with supplement, withdrawal, result files and rating. Sign-in is required (the accounts
app's one-time code or OIDC login); each view parses, calls one service or selector and
renders. A dossier that is not the signed-in applicant's own answers 404, like a missing
one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.selectors import applicant_prefill
from motcua.domain.lifecycle import Action as LifecycleAction
from motcua.dossiers import permissions, services
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.exceptions import DossierError, DossierNotFound, InvalidInput
from motcua.dossiers.files import Reuse, Upload
from motcua.dossiers.models import Action, Dossier, FileKind, Status
from motcua.feedback import selectors as feedback_selectors
from motcua.feedback import services as feedback_services
from motcua.feedback.exceptions import FeedbackError
from motcua.feedback.models import Rating
from motcua.payments import selectors as payment_selectors
from motcua.printing import forms as printing_forms
from motcua.procedures import selectors as procedure_selectors
from motcua.procedures.models import Channel, OnlineLevel, Procedure, ProcedureVersion

from . import drafts, selectors
from .forms import (
    CODE_SHAPE,
    RatingForm,
    SubmissionForm,
    SupplementForm,
    WithdrawForm,
    criterion_field_name,
)

LOGIN = "accounts:login"
# Service error fields -> form fields of the submission form.
SUBMISSION_FIELDS = {
    "applicant.name": "full_name",
    "return_channel": "return_channel",
}


def allows_online_submission(version: ProcedureVersion | None) -> bool:
    """The version in force offers online service (full or partial) and, when it lists its
    channels, an online one. `channel_options` should be prefetched."""
    if version is None or version.online_level == OnlineLevel.NONE:
        return False
    channels = {c.channel for c in version.channel_options.all()}
    return not channels or Channel.ONLINE in channels


def _user(request: HttpRequest) -> AbstractBaseUser:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    return user


def _online_version(code: str) -> tuple[Procedure, ProcedureVersion]:
    if not CODE_SHAPE.match(code):
        raise Http404
    try:
        procedure, version = procedure_selectors.procedure_get_with_version(
            code=code, on=timezone.localdate()
        )
    except Procedure.DoesNotExist as exc:
        raise Http404 from exc
    if version is None or not allows_online_submission(version):
        raise Http404
    return procedure, version


def _initial(user: AbstractBaseUser, procedure_code: str) -> tuple[dict[str, str], Any]:
    draft = drafts.draft_get(user=user, procedure_code=procedure_code)
    if draft is not None:
        return dict(draft.data), draft
    prefill = applicant_prefill(user)
    full_name = prefill.get("full_name") or getattr(user, "get_full_name", lambda: "")()
    return {
        "full_name": full_name,
        "id_number": prefill.get("personal_id", ""),
        "phone": prefill.get("phone", ""),
        "email": prefill.get("email") or str(getattr(user, "email", "") or ""),
        "address": prefill.get("address", ""),
    }, None


def _submission_page(
    request: HttpRequest,
    procedure: Procedure,
    version: ProcedureVersion,
    form: SubmissionForm,
    draft: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/submission.html",
        {"procedure": procedure, "version": version, "form": form, "draft": draft},
        status=status,
    )


@never_cache
@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, code: str) -> HttpResponse:
    """The online submission form of the procedure's version in force: save it as a draft
    (files are not kept in a draft) or submit it with its files."""
    user = _user(request)
    procedure, version = _online_version(code)
    documents = list(version.documents.all())
    store = dossier_selectors.applicant_store(user)  # type: ignore[arg-type]
    if request.method == "GET":
        initial, draft = _initial(user, procedure.code)
        form = SubmissionForm(initial=initial, documents=documents, store=store)
        return _submission_page(request, procedure, version, form, draft)
    if "save_draft" in request.POST:
        drafts.draft_save(
            user=user, procedure_code=procedure.code, data=request.POST.dict(), now=timezone.now()
        )
        messages.success(
            request,
            _("Draft saved. Files are not kept in a draft: attach them when you submit."),
        )
        return redirect("portal:submission", code=procedure.code)
    form = SubmissionForm(request.POST, request.FILES, documents=documents, store=store)
    if not form.is_valid():
        return _submission_page(request, procedure, version, form, status=422)
    data = form.cleaned_data
    uploads = [
        Upload(name=bound.data.name, file=bound.data, required_document_id=document.pk)
        for document, bound in form.document_fields()
        if form.cleaned_data.get(bound.name)
    ]
    reuses = [Reuse(file_id, document.pk) for document, file_id in form.reused()]
    try:
        dossier = services.dossier_submit(
            actor=user,  # type: ignore[arg-type]
            procedure_code=procedure.code,
            applicant=services.Applicant(
                name=data["full_name"],
                kind=data["applicant_kind"],
                id_number=data["id_number"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
            ),
            channel=Channel.ONLINE,
            return_channel=data["return_channel"],
            documents=[
                *(u.required_document_id for u in uploads if u.required_document_id),
                *(r.required_document_id for r in reuses if r.required_document_id),
            ],
            uploads=uploads,
            reuses=reuses,
        )
    except InvalidInput as exc:
        field = SUBMISSION_FIELDS.get(str(exc.details.get("field", "")))
        form.add_error(field, exc.message)
        return _submission_page(request, procedure, version, form, status=exc.http_status)
    except DossierError as exc:
        form.add_error(None, exc.message)
        return _submission_page(request, procedure, version, form, status=exc.http_status)
    drafts.draft_delete(user=user, procedure_code=procedure.code)
    return redirect("portal:submission_done", pk=dossier.pk)


@never_cache
@login_required(login_url=LOGIN)
@require_safe
def submission_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: the submission reference, and the dossier code once received."""
    try:
        dossier = selectors.my_dossier_get(_user(request), reference=str(pk))
    except DossierNotFound as exc:
        raise Http404 from exc
    return render(request, "portal/submission_done.html", {"dossier": dossier})


# --- my data store ------------------------------------------------------------------------


@never_cache
@login_required(login_url=LOGIN)
@require_safe
def my_store(request: HttpRequest) -> HttpResponse:
    """The applicant's data store (kho dữ liệu): their electronic results and the documents
    they handed in, to download or to take into a new dossier."""
    files = dossier_selectors.applicant_store(_user(request))  # type: ignore[arg-type]
    return render(
        request,
        "portal/my_store.html",
        {
            "results": [f for f in files if f.kind == FileKind.RESULT],
            "documents": [f for f in files if f.kind != FileKind.RESULT],
        },
    )


# --- my dossiers ---------------------------------------------------------------------------


@never_cache
@login_required(login_url=LOGIN)
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    before = request.GET.get("truoc", "")
    user = _user(request)
    rows = selectors.my_dossier_list(
        user, before=int(before) if before.isdigit() and len(before) < 12 else None
    )
    return render(
        request,
        "portal/my_dossiers.html",
        {
            "dossiers": rows,
            "drafts": drafts.draft_list(user=user) if not before else [],
            "next_before": rows[-1].pk if len(rows) == selectors.MY_PAGE_SIZE else None,
        },
    )


def _reference(dossier: Dossier) -> str:
    return dossier.code or str(dossier.pk)


def _own(request: HttpRequest, reference: str) -> Dossier:
    if not CODE_SHAPE.match(reference):
        raise Http404
    try:
        return selectors.my_dossier_get(_user(request), reference=reference)
    except DossierNotFound as exc:
        raise Http404 from exc


def _moment(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _dossier_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    supplement_form: SupplementForm | None = None,
    rating_form: RatingForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    reference = _reference(dossier)
    events = list(dossier.events.order_by("at", "pk"))
    scope = permissions.scope_of(user, on=timezone.localdate())  # type: ignore[arg-type]
    allowed = set(permissions.actions_allowed(scope, dossier, []))
    supplement_asked = None
    if dossier.status in (Status.AWAITING_SUPPLEMENT, Status.RECEPTION_SUPPLEMENT_REQUESTED):
        asked = selectors.latest_event(
            events,
            Action.REQUEST_SUPPLEMENT
            if dossier.status == Status.AWAITING_SUPPLEMENT
            else Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        )
        if asked is not None:
            payload = asked.payload if isinstance(asked.payload, dict) else {}
            supplement_asked = {
                "at": asked.at,
                "reasons": asked.note,
                "items": [str(i) for i in payload.get("items", [])],
            }
    apologies = [
        {"at": e.at, "reason": e.note, "new_due_at": _moment(e.payload.get("new_due_at"))}
        for e in events
        if e.action == Action.APOLOGISE_AND_EXTEND and isinstance(e.payload, dict)
    ]
    files = dossier_selectors.dossier_files_for(user, code=reference)  # type: ignore[arg-type]
    returned = dossier.status == Status.RETURNED
    rating = Rating.objects.filter(dossier=dossier).first() if returned else None
    context = {
        "dossier": dossier,
        "reference": reference,
        "status_label": Status(dossier.status).label,
        "appointment": dossier.extended_due_at or dossier.due_at,
        "timeline": selectors.public_timeline(events),
        "supplement_asked": supplement_asked,
        "can_supplement": LifecycleAction.SUPPLEMENT in allowed,
        "can_withdraw": LifecycleAction.WITHDRAW in allowed,
        "supplement_form": supplement_form or SupplementForm(),
        "apologies": apologies,
        "result_files": [f for f in files if f.kind == FileKind.RESULT],
        "own_files": [f for f in files if f.kind != FileKind.RESULT],
        "withdrawn": dossier.status == Status.WITHDRAWN,
        "awaiting_payment": dossier.code is not None
        and (
            dossier.status == Status.AWAITING_PAYMENT
            or payment_selectors.payment_pending_exists(dossier)
        ),
        "rating": rating,
        "rating_form": (rating_form or _rating_form(rating=rating)) if returned else None,
        "agency_forms": printing_forms.forms_for_applicant(dossier),
        "error": error,
    }
    return render(request, "portal/my_dossier.html", context, status=status)


@never_cache
@login_required(login_url=LOGIN)
@require_safe
def my_dossier(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _own(request, reference)
    if reference != _reference(dossier):  # the submission reference after reception
        return redirect("portal:my_dossier", reference=_reference(dossier))
    return _dossier_page(request, dossier)


@login_required(login_url=LOGIN)
@require_POST
def my_dossier_supplement(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _own(request, reference)
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _dossier_page(request, dossier, supplement_form=form, status=422)
    uploads = [Upload(name=f.name, file=f) for f in form.cleaned_data["attachments"]]
    try:
        services.dossier_supplement(
            actor=_user(request),  # type: ignore[arg-type]
            code=_reference(dossier),
            note=form.cleaned_data["note"],
            uploads=uploads,
        )
    except InvalidInput as exc:
        form.add_error("attachments" if exc.details.get("field") == "files" else None, exc.message)
        return _dossier_page(request, dossier, supplement_form=form, status=exc.http_status)
    except DossierError as exc:
        return _dossier_page(request, dossier, error=exc.message, status=exc.http_status)
    messages.success(request, _("Your supplement was sent: handling of the dossier resumes."))
    return redirect("portal:my_dossier", reference=_reference(dossier))


@never_cache
@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def my_dossier_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask to stop handling (form 05): a confirmation page with the reason, then the
    service."""
    dossier = _own(request, reference)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"dossier": dossier, "reference": _reference(dossier), "form": form}
    if request.method == "GET" or not form.is_valid():
        return render(
            request,
            "portal/withdraw.html",
            context,
            status=422 if request.method == "POST" else 200,
        )
    try:
        services.dossier_withdraw(
            actor=_user(request),  # type: ignore[arg-type]
            code=_reference(dossier),
            reason=form.cleaned_data["reason"],
        )
    except DossierError as exc:
        context["error"] = exc.message
        return render(request, "portal/withdraw.html", context, status=exc.http_status)
    messages.success(request, _("Handling of the dossier was stopped at your request."))
    return redirect("portal:my_dossier", reference=_reference(dossier))


def _rating_form(data: Any = None, *, rating: Rating | None = None) -> RatingForm:
    """The 3-level scale and the per-dossier criteria of the evaluation tool in force,
    prefilled with the current rating when there is one."""
    criteria = feedback_selectors.rating_criteria_in_force(on=timezone.localdate())
    initial: dict[str, str] = {}
    if rating is not None:
        initial = {"level": rating.level, "reason": rating.reason}
        answers = rating.answers if isinstance(rating.answers, dict) else {}
        initial.update({criterion_field_name(k): str(v) for k, v in answers.items()})
    return RatingForm(data, criteria=criteria, initial=initial)


@login_required(login_url=LOGIN)
@require_POST
def my_dossier_rate(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _own(request, reference)
    form = _rating_form(request.POST)
    if not form.is_valid():
        return _dossier_page(request, dossier, rating_form=form, status=422)
    try:
        feedback_services.rating_submit(
            dossier_code=dossier.code or "",
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            answers=form.answers(),
            actor=_user(request),  # type: ignore[arg-type]
        )
    except FeedbackError as exc:
        field = str(exc.details.get("field", ""))
        if field.startswith("answers."):
            field = criterion_field_name(field.removeprefix("answers."))
        form.add_error(field if field in form.fields else None, exc.message)
        return _dossier_page(request, dossier, rating_form=form, status=exc.http_status)
    messages.success(request, _("Thank you: your rating was recorded."))
    return redirect("portal:my_dossier", reference=_reference(dossier))


@login_required(login_url=LOGIN)
@require_safe
def my_dossier_file(request: HttpRequest, reference: str, file_id: int) -> FileResponse:
    """One of the dossier's files the applicant may download (`dossier_files_for`)."""
    dossier = _own(request, reference)
    files = dossier_selectors.dossier_files_for(_user(request), code=_reference(dossier))  # type: ignore[arg-type]
    found = next((f for f in files if f.pk == file_id), None)
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
