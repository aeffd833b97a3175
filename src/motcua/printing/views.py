"""The forms as PDF for signed-in officers (and applicants, for their own dossiers):
parse -> one call of `printing.forms` -> the PDF, or a page with the Vietnamese message and
the error's status. A dossier one may not see answers 404, like a missing one."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.dossiers.exceptions import DossierError, InvalidInput

from . import forms


def pdf_response(rendered: forms.RenderedForm) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.media_type)
    response["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    # Personal data: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _error_page(request: HttpRequest, error: DossierError) -> HttpResponse:
    return render(
        request,
        "printing/error.html",
        {"message": error.message, "code": error.code},
        status=error.http_status,
    )


@require_safe
@login_required
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    try:
        rendered = forms.dossier_form_pdf(user=request.user, code=code, form=form)
    except DossierError as error:
        return _error_page(request, error)
    return pdf_response(rendered)


def _date(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            _("The date “%(value)s” is not a date written as YYYY-MM-DD.") % {"value": raw[:20]},
            field=name,
        ) from None


@require_safe
@login_required
def tracking_book(request: HttpRequest) -> HttpResponse:
    """`?agency=<agency code>&from=YYYY-MM-DD&to=YYYY-MM-DD`; the period defaults to the
    current month up to today."""
    today = timezone.localdate()
    try:
        agency = request.GET.get("agency", "").strip()
        if not agency:
            raise InvalidInput(_("Choose the agency whose tracking book to print."), field="agency")
        start = _date(request, "from", today.replace(day=1))
        end = _date(request, "to", today)
        rendered = forms.tracking_book_pdf(
            user=request.user, agency_code=agency, start=start, end=end
        )
    except DossierError as error:
        return _error_page(request, error)
    return pdf_response(rendered)
