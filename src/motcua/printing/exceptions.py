"""Errors of the legal forms. They are dossier errors (stable `code`, `http_status`,
Vietnamese `message`, `details`), so the API's one error mapping answers them as JSON and
the views show the message."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers.exceptions import DossierError

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class FormError(DossierError):
    code = "form_error"


class UnknownForm(FormError):
    """No such form number (the dossier forms are 01 to 06; 07 is the tracking book)."""

    code = "unknown_form"
    http_status = 404

    def __init__(self, form: str, known: list[str]) -> None:
        super().__init__(
            _("There is no form %(form)s. The forms are: %(known)s.")
            % {"form": form, "known": ", ".join(known)},
            form=form,
            known_forms=known,
        )


class FormNotApplicable(FormError):
    """The form exists but does not apply to this dossier in its state (e.g. a refusal of
    reception for a dossier that was received)."""

    code = "form_not_applicable"
    http_status = 409

    def __init__(self, form: str, reason: str, *, status: str = "") -> None:
        super().__init__(reason, form=form, status=status)


class AgencyNotFound(FormError):
    """No agency has the code, or the officer keeps no tracking book for it."""

    code = "agency_not_found"
    http_status = 404

    def __init__(self, agency_code: str) -> None:
        super().__init__(
            _("No agency has the code %(code)s, or you may not see its tracking book.")
            % {"code": agency_code},
            agency=agency_code,
        )


class TrackingBookTooLarge(FormError):
    code = "tracking_book_too_large"
    http_status = 422

    def __init__(self, rows: int, limit: int) -> None:
        super().__init__(
            _(
                "The period holds %(rows)s dossiers, more than the %(limit)s one printed "
                "book can hold: choose a shorter period or a unit."
            )
            % {"rows": rows, "limit": limit},
            rows=rows,
            limit=limit,
        )


class PdfEngineUnavailable(FormError):
    """WeasyPrint cannot load its system libraries (Pango)."""

    code = "pdf_engine_unavailable"
    http_status = 503

    def __init__(self, cause: str = "") -> None:
        super().__init__(
            _(
                "The PDF engine (WeasyPrint) cannot start: its system libraries are missing. "
                "The operator must install the Debian packages %(packages)s."
            )
            % {"packages": DEBIAN_PACKAGES},
            packages=DEBIAN_PACKAGES.split(),
            cause=cause,
        )
