"""Applicant sign-in pages: request a one-time code, verify it, the profile, sign-out, and the
OIDC redirect and callback. Each view parses, calls one service, renders."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.integrations.ratelimit import client_address

from . import oidc, selectors, services
from .exceptions import AccountError, OidcError, RateLimited, ResendTooSoon
from .forms import CodeForm, IdentifierForm, ProfileForm
from .identifiers import parse_identifier

logger = logging.getLogger(__name__)

SESSION_IDENTIFIER = "accounts.identifier"
SESSION_NEXT = "accounts.next"
SESSION_OIDC = "accounts.oidc"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:profile")


def _status(exc: AccountError) -> int:
    return 429 if isinstance(exc, RateLimited) else 200


def _login_page(
    request: HttpRequest,
    form: IdentifierForm,
    next_url: str,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {"form": form, "next": next_url, "oidc": oidc.oidc_settings(), "error": error}
    return render(request, "accounts/login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET":
        return _login_page(request, IdentifierForm(), next_url)
    form = IdentifierForm(request.POST)
    if not form.is_valid():
        return _login_page(request, form, next_url)
    identifier = form.cleaned_data["identifier"]
    try:
        services.sign_in_code_request(
            raw_identifier=identifier, client=client_address(request), now=timezone.now()
        )
    except ResendTooSoon as exc:
        # A live code is on its way already: let the applicant type it.
        messages.info(request, str(exc.message))
    except AccountError as exc:
        form.add_error("identifier", str(exc.message))
        return _login_page(request, form, next_url, status=_status(exc))
    request.session[SESSION_IDENTIFIER] = identifier
    request.session[SESSION_NEXT] = next_url
    return redirect("accounts:verify")


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    identifier = parse_identifier(str(request.session.get(SESSION_IDENTIFIER, "")))
    if identifier is None:
        return redirect("accounts:login")
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.sign_in_code_request(
                raw_identifier=identifier.value,
                client=client_address(request),
                now=timezone.now(),
            )
        except AccountError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("A new code was sent."))
        return redirect("accounts:verify")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        try:
            signed_in = services.sign_in_code_verify(
                raw_identifier=identifier.value,
                code=form.cleaned_data["code"],
                client=client_address(request),
                now=timezone.now(),
            )
        except AccountError as exc:
            form.add_error("code", str(exc.message))
            status = _status(exc)
        else:
            next_url = str(request.session.get(SESSION_NEXT) or reverse("accounts:profile"))
            auth_login(request, signed_in.user, backend=BACKEND)
            request.session.pop(SESSION_IDENTIFIER, None)
            request.session.pop(SESSION_NEXT, None)
            if signed_in.created:
                messages.success(
                    request, _("Your account was created. Complete your profile below.")
                )
                return redirect("accounts:profile")
            return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "masked": identifier.masked,
        "minutes": int(services.code_ttl().total_seconds() // 60),
    }
    return render(request, "accounts/verify.html", context, status=status)


@login_required(login_url="accounts:login")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.applicant_profile_update(
                user=request.user,  # type: ignore[arg-type]
                now=timezone.now(),
                **form.as_service_arguments(),
            )
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(initial=selectors.applicant_prefill(request.user))
    context = {"form": form, "identities": selectors.sign_in_identities_for(request.user)}
    return render(request, "accounts/profile.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("/")


@require_POST
def oidc_start(request: HttpRequest) -> HttpResponse:
    config = oidc.oidc_settings()
    if config is None:
        raise Http404
    next_url = _next_url(request, request.POST.get("next"))
    try:
        url, pending = oidc.authorization_start(
            config,
            redirect_uri=request.build_absolute_uri(reverse("accounts:oidc_callback")),
            now=timezone.now(),
        )
    except OidcError as exc:
        logger.warning("OIDC sign-in could not start: %s", exc.reason)
        return _login_page(request, IdentifierForm(), next_url, status=502, error=str(exc.message))
    request.session[SESSION_OIDC] = pending.as_session()
    request.session[SESSION_NEXT] = next_url
    return HttpResponseRedirect(url)


@require_http_methods(["GET"])
def oidc_callback(request: HttpRequest) -> HttpResponse:
    config = oidc.oidc_settings()
    if config is None:
        raise Http404
    pending = oidc.Pending.from_session(request.session.pop(SESSION_OIDC, None))
    next_url = str(request.session.get(SESSION_NEXT) or reverse("accounts:profile"))
    now = timezone.now()
    try:
        claims = oidc.authorization_complete(
            config, pending=pending, params=request.GET.dict(), now=now
        )
        signed_in = services.applicant_sign_in_oidc(
            issuer=config.issuer, subject=str(claims["sub"]), claims=claims, now=now
        )
    except OidcError as exc:
        logger.warning("OIDC sign-in refused: %s", exc.reason)
        return _login_page(request, IdentifierForm(), next_url, status=400, error=str(exc.message))
    auth_login(request, signed_in.user, backend=BACKEND)
    request.session.pop(SESSION_NEXT, None)
    return HttpResponseRedirect(next_url)
