"""The public status lookup: a dossier's code plus a second factor (the last 4 digits of
the applicant's phone or ID number, or the lookup token in the receipt's QR code).

Minimal data only, no personal data. A wrong factor, an unknown code and a malformed code
get the very same 404, so the lookup cannot tell which codes exist. Two rate limits: per
client (address, or the token of a system relaying lookups), and per code on wrong
factors, so that guessing the 10,000 possible 4-digit factors of one code from many
addresses fails too."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.params import P, QueryEx

from motcua.dossiers import selectors
from motcua.integrations import ratelimit

from .. import render
from .. import schemas as s
from ..auth import PUBLIC, TokenAuth
from ..errors import ApiError

router = Router(tags=["public"])

CODE_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}$")
_public_token = TokenAuth(PUBLIC)


def _rate_limited(wait: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many lookups: try again in %(seconds)s seconds.") % {"seconds": wait},
        {"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )


def _no_match() -> ApiError:
    return ApiError(404, "not_found", _("No dossier matches this code and second factor."))


@router.get(
    "/public/dossiers/{code}",
    response={200: s.PublicDossierOut, frozenset({401, 403, 404, 422, 429}): s.ErrorOut},
    auth=None,
    operation_id="public_dossier_status",
)
def public_dossier_status(
    request: HttpRequest,
    code: Path[str],
    factor: QueryEx[
        str,
        P(
            max_length=64,
            description="Last 4 digits of the applicant's phone or ID number, or the "
            "receipt's lookup token.",
        ),
    ],
) -> s.PublicDossierOut:
    """The status of one dossier for anyone holding its code and second factor. No sign-in
    needed; a system relaying lookups for many people sends its token (scope `public`) to
    be limited per token instead of per address."""
    principal = _public_token(request)
    if principal is not None and principal.token is not None:
        ident = f"token:{principal.token.pk}"
        rate = ratelimit.Rate.from_setting("MOTCUA_API_PUBLIC_TOKEN_RATE", "600/minute")
    else:
        ident = f"ip:{ratelimit.client_address(request)}"
        rate = ratelimit.Rate.from_setting("MOTCUA_API_PUBLIC_RATE", "10/minute")
    wait = ratelimit.hit("public", ident, rate)
    if wait is not None:
        raise _rate_limited(wait)
    failures = ratelimit.Rate.from_setting("MOTCUA_API_PUBLIC_CODE_FAILURES", "20/hour")
    wait = ratelimit.exhausted("public-code", code, failures)
    if wait is not None:
        raise _rate_limited(wait)
    dossier = None
    if CODE_SHAPE.match(code) and "\x00" not in factor:
        dossier = selectors.dossier_public_status(
            code=code, second_factor=factor, only=render.PUBLIC_DOSSIER_FIELDS
        )
    if dossier is None:
        ratelimit.hit("public-code", code, failures)
        raise _no_match()
    return render.public_dossier(dossier)
