"""The legal forms of a dossier as PDF (Circular 03/2025, Annex I: forms 01 to 06).

A dossier the caller may not see answers 404 `dossier_not_found`, like a missing one; a
form number that does not exist 404 `unknown_form`; a form that does not apply to the
dossier now (a refusal for a received dossier) 409 `form_not_applicable`. The errors are
dossier errors, answered by the API's one error mapping."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router
from ninja.params import P, PathEx

from motcua.printing import forms
from motcua.printing.views import pdf_response

from .. import schemas as s
from ..auth import READ_AUTH, principal_of

router = Router(tags=["forms"])

PDF_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The form as a PDF document (A4), shown inline; the file name is "
            "`<code>-mau-<form>.pdf`.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/dossiers/{code}/forms/{form}.pdf",
    response={frozenset({401, 403, 404, 409, 422, 503}): s.ErrorOut},
    auth=READ_AUTH,
    operation_id="dossier_form_pdf",
    summary="A legal form of the dossier as PDF",
    openapi_extra=PDF_RESPONSE,
)
def dossier_form_pdf(
    request: HttpRequest,
    code: Path[s.DossierReference],
    form: PathEx[
        str,
        P(
            description="The form number of Circular 03/2025, Annex I: 01 to 06.",
            examples=["01"],
            max_length=8,
        ),
    ],
) -> HttpResponse:
    """Form `form` of Circular 03/2025, Annex I, filled from the dossier and its history:
    `01` receipt with the appointment and the lookup QR code (once received), `02` request
    for a supplement, `03` refusal of reception, `04` apology and extension, `05` notice
    that handling stopped at the applicant's request (each once its action happened), `06`
    control slip (once received). Form `07`, the tracking book, is kept per agency and
    period, not per dossier."""
    principal = principal_of(request)
    rendered = forms.dossier_form_pdf(user=principal.user, code=code, form=form)
    return pdf_response(rendered)
