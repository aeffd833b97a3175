"""The one mapping from errors to HTTP answers. Every error leaves the API as JSON
`{"code": stable_code, "message": text in the request's language (Vietnamese by default),
"details": {...}}` with its status; the codes are part of the contract, the messages are
for people. Only a real bug gives `500 internal_error`, and it is logged."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.calendars.exceptions import CalendarError, UnknownAgency
from motcua.dossiers.exceptions import DossierError
from motcua.procedures.exceptions import ProcedureError

logger = logging.getLogger("motcua.api")


class ApiError(Exception):
    """An error raised by the API layer itself (authentication, idempotency, rate limits,
    lookups of catalogue rows)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


def not_found(message: str = "") -> ApiError:
    return ApiError(404, "not_found", message or _("Not found."))


def unauthenticated(message: str = "") -> ApiError:
    return ApiError(
        401,
        "unauthenticated",
        message or _("Sign in, or send a valid API token: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="motcua"'},
    )


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def json_error(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(error_body(code, message, details), ensure_ascii=False, default=str),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Vietnamese (through gettext) wording of the validation errors clients meet most. Anything
# else falls back to a generic sentence; the `type` stays in the details for programs.
def _validation_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not expected.")
    if kind in {"string_too_long", "too_long"}:
        return _("Too long: at most %(n)s.") % {"n": ctx.get("max_length")}
    if kind in {"string_too_short", "too_short"}:
        return _("Too short: at least %(n)s.") % {"n": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("The value does not have the expected form.")
    if kind == "string_type":
        return _("Must be text.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"}:
        return _("Must be a number.")
    if kind in {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}:
        return _("The number has too many digits.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Must be true or false.")
    if kind.startswith("datetime") or kind == "timezone_aware":
        return _("Must be a date and time in ISO 8601, e.g. 2026-03-02T08:30:00+07:00.")
    if kind.startswith("date"):
        return _("Must be a date in ISO 8601, e.g. 2026-03-02.")
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Must be one of: %(expected)s.") % {"expected": expected}
    if kind in {"greater_than", "greater_than_equal"}:
        return _("Must be at least %(n)s.") % {"n": ctx.get("gt", ctx.get("ge"))}
    if kind in {"less_than", "less_than_equal"}:
        return _("Must be at most %(n)s.") % {"n": ctx.get("lt", ctx.get("le"))}
    if kind == "list_type":
        return _("Must be a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Must be a JSON object.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("Invalid value.")


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc[:1] == ["body"]:
            # Body errors carry the view's parameter name second: clients know only fields.
            source, path = "body", loc[2:]
        else:
            source, path = (loc[0] if loc else ""), loc[1:]
        out.append(
            {
                "location": source,
                "field": ".".join(path),
                "type": error.get("type", ""),
                "message": _validation_message(error),
            }
        )
    return out


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`; the most specific class of an error wins."""

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return json_error(exc.status, exc.code, exc.message, exc.details, exc.headers)

    def dossier_error(request: HttpRequest, exc: DossierError) -> HttpResponse:
        return json_error(exc.http_status, exc.code, exc.message, exc.details)

    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return json_error(
            422,
            "invalid_input",
            _("The request is not valid: see the fields in the details."),
            {"errors": _field_errors(list(exc.errors))},
        )

    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        error = unauthenticated()
        return json_error(error.status, error.code, error.message, headers=error.headers)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and exc.__cause__ is not None:
            # ninja could not parse the body: not JSON, or not UTF-8.
            return json_error(400, "malformed_json", _("The request body is not valid JSON."))
        if exc.status_code == 404:
            return api_error(request, not_found())
        if exc.status_code == 403:
            return json_error(403, "not_allowed", _("You may not do this."))
        return json_error(exc.status_code, "bad_request", _("The request cannot be handled."))

    def http_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api_error(request, not_found())

    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return json_error(403, "not_allowed", _("You may not do this."))

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return json_error(413, "payload_too_large", _("The request body is too large."))

    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return json_error(400, "bad_request", _("The request cannot be handled."))

    def procedure_error(request: HttpRequest, exc: ProcedureError) -> HttpResponse:
        return json_error(400, exc.code, str(exc))

    def calendar_error(request: HttpRequest, exc: CalendarError) -> HttpResponse:
        if isinstance(exc, UnknownAgency):
            message = _("No agency has the code %(code)s.") % {"code": exc.agency_code}
            return json_error(422, exc.code, message, {"field": "agency"})
        return json_error(422, exc.code, str(exc))

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
        return json_error(
            500, "internal_error", _("Something went wrong on our side; it has been logged.")
        )

    handlers: list[tuple[type[Exception], Any]] = [
        (ApiError, api_error),
        (DossierError, dossier_error),
        (NinjaValidationError, validation_error),
        (AuthenticationError, authentication_error),
        (HttpError, http_error),
        (Http404, http_404),
        (PermissionDenied, permission_denied),
        (RequestDataTooBig, too_big),
        (SuspiciousOperation, suspicious),
        (ProcedureError, procedure_error),
        (CalendarError, calendar_error),
        (Exception, unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
