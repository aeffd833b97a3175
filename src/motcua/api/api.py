"""The `/api/v1/` NinjaAPI: routers, error handlers, and JSON even for the answers Django
would give as text (405) or HTML (unknown paths)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.operation import Operation

from . import errors
from .routers import (
    agencies,
    calendar,
    dossiers,
    fallback,
    files,
    forms,
    postal,
    procedures,
    public,
)

DESCRIPTION = """
The one-stop system's JSON API: the agency tree and the procedure catalogue, dossiers and
every legal action on them as its own verb, a public status lookup, and the working
calendar.

**Authentication.** `Authorization: Bearer <token>` with an API token (`motcua api-token
create`), or the browser's session (POSTs then need the `X-CSRFToken` header). Reads need
the token scope `read`, POSTs `write`. What you may see and do to a dossier follows your
roles, as in the back office: a dossier you may not see answers 404.

**Idempotency.** Send `Idempotency-Key: <uuid>` on every POST. A retry with the same key
and body returns the first answer (`Idempotent-Replayed: true`) and changes nothing; the
same key with another body is `422 idempotency_key_reused`; a retry sent while the first
is still running waits for it and returns its answer.

**Errors.** Always `{"code", "message", "details"}`: `code` is stable (e.g.
`illegal_transition`, whose details list the current status and the allowed actions),
`message` is Vietnamese text for people.

**Moments** are ISO 8601; without an offset they are Vietnam time (+07:00), and every moment
returned is in +07:00.
"""


def _json_405(view: Any) -> Any:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return errors.json_error(
                405,
                "method_not_allowed",
                _("This endpoint does not accept this method."),
                {"allowed": [m.strip() for m in allowed.split(",")]},
                headers={"Allow": allowed},
            )
        return response

    wrapper.json_405 = True  # type: ignore[attr-defined]
    return wrapper


class MotcuaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and not hasattr(pattern.callback, "json_405"):
                pattern.callback = _json_405(pattern.callback)
        return patterns, app_name, namespace


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
api.add_router("", agencies.router)
api.add_router("", procedures.router)
api.add_router("", dossiers.router)
api.add_router("", public.router)
api.add_router("", calendar.router)
api.add_router("", forms.router)
api.add_router("", files.router)
api.add_router("", postal.router)
api.add_router("", fallback.router)
