"""Public pages: thin views that parse the request, call one selector or service and render."""

from __future__ import annotations

import segno
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.exceptions import DossierNotFound, InvalidInput
from motcua.dossiers.files import Upload, check_uploads
from motcua.dossiers.models import Dossier, Status
from motcua.integrations import ratelimit
from motcua.payments import selectors as payment_selectors
from motcua.payments import services as payment_services
from motcua.payments.adapters import SIGNATURE_HEADER, gateway_from_settings
from motcua.payments.exceptions import PaymentError
from motcua.payments.models import PaymentRequest, PaymentState
from motcua.printing import forms as printing_forms
from motcua.procedures import selectors
from motcua.procedures.models import ImplementingLevel, OnlineLevel, Procedure

from .applicant_views import allows_online_submission
from .forms import CODE_SHAPE, LookupForm, VerifyForm

PAGE_SIZE = 25
READY_FOR_PICKUP = (Status.RESOLVED, Status.REJECTED)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


def procedure_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    field_id = request.GET.get("field", "")
    agency_id = request.GET.get("agency", "")
    level = request.GET.get("level", "")
    online = request.GET.get("online", "")
    today = timezone.localdate()
    procedures = selectors.procedure_search(
        query=query,
        field_id=_int(field_id),
        level=ImplementingLevel(level) if level in ImplementingLevel.values else None,
        agency_id=_int(agency_id),
        online_level=OnlineLevel(online) if online in OnlineLevel.values else None,
        on=today,
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "portal/procedure_list.html",
        {
            "page": page,
            "query": query,
            "field_id": field_id,
            "agency_id": agency_id,
            "level": level,
            "online": online,
            "filters": filters.urlencode(),
            "fields": selectors.field_list_with_procedures(),
            "agencies": selectors.handling_agencies(on=today),
            "levels": ImplementingLevel.choices,
            "online_levels": OnlineLevel.choices,
        },
    )


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure, version = selectors.procedure_get_with_version(
            code=code, on=timezone.localdate()
        )
    except Procedure.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "online_submission": allows_online_submission(version),
        },
    )


# --- public lookup ---------------------------------------------------------------------------


def _rate_limited(request: HttpRequest, code: str) -> int | None:
    """Seconds to wait when this client, or wrong factors for this code, hit their limit.
    The per-code limit stops guessing the 10,000 possible factors from many addresses."""
    per_client = ratelimit.Rate.from_setting("MOTCUA_PORTAL_LOOKUP_RATE", "10/minute")
    wait = ratelimit.hit("lookup", ratelimit.client_address(request), per_client)
    if wait is None and code:
        failures = ratelimit.Rate.from_setting("MOTCUA_PORTAL_LOOKUP_CODE_FAILURES", "20/hour")
        wait = ratelimit.exhausted("lookup-code", code, failures)
    return wait


def _find(code: str, factor: str) -> Dossier | None:
    dossier = None
    if CODE_SHAPE.match(code) and factor and "\x00" not in factor:
        dossier = dossier_selectors.dossier_public_status(code=code, second_factor=factor)
    if dossier is None:
        failures = ratelimit.Rate.from_setting("MOTCUA_PORTAL_LOOKUP_CODE_FAILURES", "20/hour")
        ratelimit.hit("lookup-code", code, failures)
    return dossier


def _too_many(
    request: HttpRequest, template: str, context: dict[str, object], wait: int
) -> HttpResponse:
    context["error"] = _("Too many lookups: try again in %(seconds)s seconds.") % {"seconds": wait}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The public status lookup: the form (dossier code and the last 4 digits of the
    applicant's phone or ID number), or `?code=&token=` from the receipt's QR code. A wrong
    second factor and an unknown code give the very same answer."""
    token = request.GET.get("token", "")[:64]
    if request.method == "POST":
        form = LookupForm(request.POST)
        if not form.is_valid():
            return render(request, "portal/lookup.html", {"form": form}, status=422)
        code, factor = form.cleaned_data["code"], form.cleaned_data["factor"]
    elif request.GET.get("code") and token:
        code, factor = request.GET["code"][:64].strip(), token
        form = LookupForm(initial={"code": code})
    else:
        code = request.GET.get("code", "")[:64].strip()
        return render(request, "portal/lookup.html", {"form": LookupForm(initial={"code": code})})
    context: dict[str, object] = {"form": form}
    wait = _rate_limited(request, code)
    if wait is not None:
        return _too_many(request, "portal/lookup.html", context, wait)
    dossier = _find(code, factor)
    if dossier is None:
        context["error"] = _(
            "No dossier matches this code and these digits. Check the receipt and try again."
        )
        return render(request, "portal/lookup.html", context)
    due = dossier.extended_due_at or dossier.due_at
    context.update(
        dossier=dossier,
        due_at=due,
        ready=dossier.status in READY_FOR_PICKUP,
        status_label=Status(dossier.status).label,
        awaiting_payment=payment_selectors.payment_pending_exists(dossier),
    )
    return render(request, "portal/lookup.html", context)


# --- checking a document ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a PDF said to come from an agency (a bank, another agency, the
    applicant) checks it: its digital signature (`dossiers.signatures`), and whether it is,
    byte for byte, an electronic result or a signed form motcua issued (which then names
    the agency and what it is, never the applicant). Nothing is kept."""
    if request.method == "GET":
        return render(request, "portal/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    context: dict[str, object] = {"form": form}
    per_client = ratelimit.Rate.from_setting("MOTCUA_PORTAL_VERIFY_RATE", "30/hour")
    wait = ratelimit.hit("verify", ratelimit.client_address(request), per_client)
    if wait is not None:
        return _too_many(request, "portal/verify.html", context, wait)
    if not form.is_valid():
        return render(request, "portal/verify.html", context, status=422)
    upload = form.cleaned_data["document"]
    try:
        [checked] = check_uploads([Upload(upload.name, upload)], read_signatures=True)
    except InvalidInput as exc:
        form.add_error("document", exc.message)
        return render(request, "portal/verify.html", context, status=422)
    if checked.signature is None:
        form.add_error("document", _("Only a PDF file can be checked."))
        return render(request, "portal/verify.html", context, status=422)
    issued = dossier_selectors.result_by_content(checked.sha256)
    context.update(
        checked=checked,
        signature=checked.signature,
        issued=issued,
        issued_form=None if issued else printing_forms.issued_form(checked.sha256),
    )
    return render(request, "portal/verify.html", context)


# --- fee payment -----------------------------------------------------------------------------


def _payment_dossier(request: HttpRequest, code: str) -> Dossier:
    """The dossier by its lookup token (from the receipt or the lookup page) or, without
    one, the signed-in applicant's own; Http404 otherwise (one answer for every failure)."""
    token = (request.POST.get("token") or request.GET.get("token", ""))[:64]
    if token:
        dossier = _find(code, token) if len(token) > 4 else None
        if dossier is not None:
            return dossier
    elif request.user.is_authenticated:
        try:
            return dossier_selectors.dossier_get_for(request.user, code=code)
        except DossierNotFound:
            pass
    raise Http404


def _qr_svg(payment: PaymentRequest) -> str:
    title = _("VietQR code to pay %(amount)s VND for %(purpose)s") % {
        "amount": f"{payment.amount:,}".replace(",", "."),
        "purpose": payment.purpose,
    }
    svg = segno.make(payment.qr_payload(), error="m").svg_inline(
        scale=5, title=title, svgclass="vietqr", lineclass=None, omitsize=False
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


@never_cache
@require_http_methods(["GET"])
def payment(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier's fee payments: for each pending request the VietQR code a banking app
    scans (inline SVG), the amount, the account and the transfer purpose; the state of
    the others."""
    wait = _rate_limited(request, code)
    if wait is not None:
        return _too_many(request, "portal/payment.html", {}, wait)
    dossier = _payment_dossier(request, code)
    payments = payment_selectors.payment_list_for_dossier(dossier)
    rows = [
        {
            "payment": p,
            "qr_svg": mark_safe(_qr_svg(p)) if p.state == PaymentState.PENDING else "",
        }
        for p in payments
    ]
    return render(
        request,
        "portal/payment.html",
        {
            "dossier": dossier,
            "rows": rows,
            "token": request.GET.get("token", "")[:64],
            "gateway": gateway_from_settings() is not None,
        },
    )


@require_POST
def payment_gateway_start(request: HttpRequest, code: str, payment_id: int) -> HttpResponse:
    """Send the payer to the payment gateway for one pending request of the dossier."""
    dossier = _payment_dossier(request, code)
    gateway = gateway_from_settings()
    if gateway is None or not dossier.payments.filter(pk=payment_id).exists():
        raise Http404
    try:
        pay_url = payment_services.payment_start_gateway(
            payment_id=payment_id,
            gateway=gateway,
            callback_url=request.build_absolute_uri(reverse("portal:payment_callback")),
        )
    except PaymentError as exc:
        return render(
            request, "portal/payment.html", {"dossier": dossier, "error": exc.message}, status=409
        )
    return HttpResponseRedirect(pay_url)


@csrf_exempt
@require_POST
def payment_callback(request: HttpRequest) -> HttpResponse:
    """The gateway's signed notice (server to server: no session, no CSRF token; the
    HMAC signature is the authentication)."""
    gateway = gateway_from_settings()
    if gateway is None:
        raise Http404
    try:
        payment = payment_services.payment_record_gateway_callback(
            gateway=gateway,
            body=request.body,
            signature=request.headers.get(SIGNATURE_HEADER, ""),
        )
    except PaymentError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.http_status)
    return JsonResponse({"code": "ok", "state": payment.state})
