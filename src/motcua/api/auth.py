"""Who is calling, and what they may do through the API.

Two ways in, tried in this order:
- `Authorization: Bearer <secret>`: an `ApiToken` of an officer or of a service user that
  stands for another system. A present but unknown, revoked or expired token is refused
  (401) even if the browser also has a session: a client must learn its token is dead.
- The Django session of a signed-in browser; unsafe methods then need the CSRF token.

Scopes: read endpoints need `read`, POSTs need `write`. A session carries every scope; a
token carries those it was issued with. What the user may then see or do to a dossier is
decided by the dossier permissions, exactly as in the back office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User as AuthUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from motcua.dossiers import permissions
from motcua.integrations.models import API_SCOPES, ApiToken, api_token_digest

from .errors import ApiError, unauthenticated

READ = "read"
WRITE = "write"
PUBLIC = "public"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Writing `last_used_at` on every request would turn each read into a write.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
MAX_SECRET_LENGTH = 200


@dataclass(frozen=True)
class Principal:
    user: AuthUser
    scopes: frozenset[str]
    token: ApiToken | None = None


def principal_of(request: HttpRequest) -> Principal:
    principal = getattr(request, "auth", None)
    if not isinstance(principal, Principal):  # a route without auth asked for a user
        raise unauthenticated()
    return principal


def _require(principal: Principal, scope: str) -> Principal:
    if scope not in principal.scopes:
        raise ApiError(
            403,
            "not_allowed",
            _("This API token does not have the “%(scope)s” scope.") % {"scope": scope},
            {"required_scope": scope, "token_scopes": sorted(principal.scopes)},
        )
    return principal


def token_principal(secret: str, *, now: dt.datetime | None = None) -> Principal | None:
    """The principal of a bearer secret, or None when no usable token has it."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    now = now or timezone.now()
    day = timezone.localdate(now)
    found = ApiToken.objects.with_memberships(api_token_digest(secret), day)
    if found is None:
        return None
    token, memberships = found
    if not token.is_usable(now) or not token.user.is_active:
        return None
    # The permission checks of this request then need no query of their own.
    permissions.remember_scope(token.user, on=day, memberships=memberships)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Principal(user=token.user, scopes=token.scope_set, token=token)


def bearer_secret(request: HttpRequest) -> str | None:
    """The secret of an `Authorization: Bearer` header; None without such a header."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>` with a token that has `scope`."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> Principal | None:
        secret = bearer_secret(request)
        if secret is None:
            return None
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        principal = token_principal(token)
        if principal is None:
            raise unauthenticated(_("The API token is unknown, revoked or expired."))
        return _require(principal, self.scope)


class SessionAuth(APIKeyCookie):
    """The signed-in browser's session; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Principal | None:
        return self.authenticate(request, None)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if (
            request.method not in SAFE_METHODS
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF token is missing or wrong: send the X-CSRFToken header."),
            )
        return Principal(user=user, scopes=frozenset(API_SCOPES))


def auth_for(scope: str) -> list[Any]:
    return [TokenAuth(scope), SessionAuth(scope)]


READ_AUTH = auth_for(READ)
WRITE_AUTH = auth_for(WRITE)
