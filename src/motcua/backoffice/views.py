"""Officer back office: server-rendered pages over the lifecycle services and selectors.
Each view parses its input, calls one service or selector, and renders."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import exceptions as account_errors
from motcua.accounts import second_factor
from motcua.accounts import services as account_services
from motcua.accounts.models import OfficerPreferences, ReminderChannel
from motcua.agencies.models import Agency, Membership
from motcua.domain.lifecycle import Action
from motcua.dossiers import notices, permissions
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers import services as dossier_services
from motcua.dossiers.exceptions import DossierError, DossierNotFound
from motcua.dossiers.files import Reuse, Upload
from motcua.dossiers.models import Action as ActionChoice
from motcua.dossiers.records import tracking_book
from motcua.postal import selectors as postal_selectors
from motcua.procedures.models import Procedure
from motcua.procedures.selectors import procedure_get_with_version, procedure_list

from . import forms, ratelimit, selectors
from .actions import ACTIONS

SESSION_MEMBERSHIP = "backoffice.membership"
SESSION_PENDING = "backoffice.second_factor_pending"
PENDING_SECONDS = 5 * 60


def _reference(value: str) -> str:
    """A dossier code or submission reference from the address, or 404 for what cannot be
    one (a NUL byte, which PostgreSQL refuses in text; absurd lengths)."""
    if "\x00" in value or len(value) > 64:
        raise Http404
    return value


@dataclass(frozen=True)
class Desk:
    """Who is at the desk: the officer, their memberships, the one they act as."""

    user: User
    memberships: list[Membership]
    acting: selectors.Acting | None


def officer_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            login_url = reverse("backoffice:login")
            return HttpResponseRedirect(f"{login_url}?next={request.get_full_path()}")
        memberships = selectors.memberships_of(request.user, on=timezone.localdate())
        acting = selectors.acting_from(memberships, request.session.get(SESSION_MEMBERSHIP))
        desk = Desk(request.user, memberships, acting)
        if acting is None:
            return view(request, desk, *args, **kwargs)
        # The role switcher governs actions: checked and recorded for that membership.
        with permissions.acting_as(acting.agency.pk, acting.role):
            return view(request, desk, *args, **kwargs)

    return wrapper


def _page(
    request: HttpRequest, desk: Desk, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"desk": desk, **context}, status=status)


# --- sign in -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = forms.LoginForm(request, data=request.POST or None)
    locked = False
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "")
        if ratelimit.locked_for(username, request) is not None:
            locked = True
            status = 429
            form = forms.LoginForm(request, initial={"username": username})
        elif form.is_valid():
            ratelimit.reset(username, request)
            user = form.get_user()
            if second_factor.is_enrolled(user):
                # The password is right; the session is the officer's only after the code.
                request.session.cycle_key()
                request.session[SESSION_PENDING] = {
                    "user": user.pk,
                    "at": timezone.now().timestamp(),
                    "next": next_url,
                }
                return redirect("backoffice:login_code")
            login(request, user)
            return redirect(next_url or "backoffice:home")
        else:
            ratelimit.record_failure(username, request)
            locked = ratelimit.locked_for(username, request) is not None
            status = 429 if locked else 200
    return render(
        request,
        "backoffice/login.html",
        {
            "form": form,
            "next": next_url,
            "locked": locked,
            "lock_minutes": ratelimit.LOGIN_FAILURES.seconds // 60,
        },
        status=status,
    )


def _pending_user(request: HttpRequest) -> tuple[User, str] | None:
    """The officer whose password was right and whose code is awaited, if recent."""
    pending = request.session.get(SESSION_PENDING)
    if not isinstance(pending, dict):
        return None
    age = timezone.now().timestamp() - float(pending.get("at", 0))
    user = User.objects.filter(pk=int(pending.get("user", 0)), is_active=True).first()
    if user is None or not 0 <= age <= PENDING_SECONDS:
        request.session.pop(SESSION_PENDING, None)
        return None
    return user, str(pending.get("next", ""))


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in for an officer with the authenticator second factor."""
    found = _pending_user(request)
    if found is None:
        messages.error(request, _("Sign in again: the code was not entered in time."))
        return redirect("backoffice:login")
    user, next_url = found
    form = forms.SecondFactorForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.totp_check(user=user, code=form.cleaned_data["code"])
        except account_errors.RateLimited as exc:
            request.session.pop(SESSION_PENDING, None)
            error, status = str(exc.message), 429
        except account_errors.AccountError as exc:
            error, status = str(exc.message), 400
        else:
            request.session.pop(SESSION_PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "backoffice:home")
    elif request.method == "POST":
        error, status = _("Please correct the fields marked below."), 400
    return render(
        request, "backoffice/login_code.html", {"form": form, "error": error}, status=status
    )


@require_http_methods(["GET", "POST"])
@officer_view
def security(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The officer's second factor: switch it on (QR code, key, first code), see the
    recovery codes once, switch it off."""
    user = desk.user
    form = forms.SecondFactorForm(request.POST or None)
    error, status = "", 200
    recovery: list[str] = []
    step = request.POST.get("step", "")
    try:
        if request.method == "POST" and step == "start":
            second_factor.totp_enrolment_start(user=user)
        elif request.method == "POST" and step in ("confirm", "disable"):
            if not form.is_valid():
                raise account_errors.AccountError(_("Type the code."))
            if step == "confirm":
                recovery = second_factor.totp_enrolment_confirm(
                    user=user, code=form.cleaned_data["code"]
                )
            else:
                second_factor.totp_disable(user=user, code=form.cleaned_data["code"])
                messages.success(request, _("The second factor is off."))
                return redirect("backoffice:security")
    except account_errors.AccountError as exc:
        limited = isinstance(exc, account_errors.RateLimited)
        error, status = str(exc.message), 429 if limited else 400
    enrolled = second_factor.is_enrolled(user)
    qr_svg, key = "", ""
    if not enrolled:
        try:
            uri, key = second_factor.provisioning(user)
        except second_factor.NotEnrolled:
            pass
        else:
            import segno

            qr_svg = segno.make(uri, error="m").svg_inline(scale=4, light="white", title=key)
    return _page(
        request,
        desk,
        "backoffice/security.html",
        {
            "form": forms.SecondFactorForm() if recovery or not error else form,
            "error": error,
            "eligible": second_factor.is_eligible(user, on=timezone.localdate()),
            "enrolled": enrolled,
            "qr_svg": qr_svg,
            "key": key,
            "recovery": recovery,
            "recovery_left": second_factor.recovery_codes_left(user) if enrolled else 0,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@officer_view
def reminders(request: HttpRequest, desk: Desk) -> HttpResponse:
    """How the officer takes the morning reminders (`backoffice.reminders`)."""
    user = desk.user
    preferences = OfficerPreferences.objects.filter(user=user).first()
    current = {
        "reminders": preferences.reminders if preferences else ReminderChannel.EMAIL,
        "phone": preferences.phone if preferences else "",
    }
    form = forms.RemindersForm(request.POST or None, initial=current)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                account_services.officer_reminders_set(
                    user=user,
                    reminders=form.cleaned_data["reminders"],
                    phone=form.cleaned_data["phone"],
                    now=timezone.now(),
                )
            except account_errors.AccountError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Saved: how you take the reminders."))
                return redirect("backoffice:reminders")
        else:
            error = _("Please correct the fields marked below.")
    return _page(
        request,
        desk,
        "backoffice/reminders.html",
        {"form": form, "error": error, "email": user.email},
        status=400 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("backoffice:login")


@require_POST
@officer_view
def switch_membership(request: HttpRequest, desk: Desk) -> HttpResponse:
    form = forms.MembershipSwitchForm(request.POST)
    if form.is_valid() and any(m.pk == form.cleaned_data["membership"] for m in desk.memberships):
        request.session[SESSION_MEMBERSHIP] = form.cleaned_data["membership"]
    else:
        messages.error(request, _("You do not hold this role."))
    return redirect("backoffice:home")


# --- inbox -------------------------------------------------------------------------------


TAB_LABELS = {
    selectors.Tab.MINE: gettext_lazy("My dossiers"),
    selectors.Tab.STEP: gettext_lazy("My step's dossiers"),
    selectors.Tab.RECEPTION: gettext_lazy("Reception queue"),
    selectors.Tab.RETURN: gettext_lazy("Return desk"),
}


@officer_view
def home(request: HttpRequest, desk: Desk) -> HttpResponse:
    if desk.acting is None:
        return _page(request, desk, "backoffice/inbox.html", {"page": None, "tabs": []})
    tabs = selectors.tabs_for(desk.acting)
    try:
        tab = selectors.Tab(request.GET.get("tab", ""))
    except ValueError:
        tab = tabs[1] if tabs[0] is selectors.Tab.MINE and len(tabs) > 1 else tabs[0]
    if tab not in tabs:
        tab = tabs[0]
    after = selectors.parse_cursor(request.GET.get("after", ""))
    page = selectors.inbox_page(
        request.user, acting=desk.acting, tab=tab, after=after, now=timezone.now()
    )
    return _page(
        request,
        desk,
        "backoffice/inbox.html",
        {
            "page": page,
            "tabs": [(t.value, TAB_LABELS[t], page.counts[t.value]) for t in tabs],
            "now": timezone.now(),
        },
    )


# --- the dossier page --------------------------------------------------------------------


def _action_forms(
    page: selectors.DossierPage, bound: tuple[Action, Any] | None
) -> list[dict[str, Any]]:
    result = []
    for action in page.actions:
        spec = ACTIONS.get(action)
        if spec is None:
            continue
        if bound is not None and bound[0] is action:
            form = bound[1]
        else:
            form = spec.form(prefix=action.value)
        item = {"action": action.value, "label": ActionChoice(action.value).label, "form": form}
        if action is Action.RECEIVE:
            # The documents ticked: as posted when the form comes back, else as declared.
            if form.is_bound:
                item["checked"] = set(form.data.getlist(f"{action.value}-documents"))
            else:
                item["checked"] = {
                    str(row.document.pk) for row in page.document_rows if row.handed_in
                }
        result.append(item)
    return result


def _dossier_response(
    request: HttpRequest,
    desk: Desk,
    code: str,
    *,
    bound: tuple[Action, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        page = selectors.dossier_page_for(request.user, code=_reference(code))
    except DossierNotFound:
        raise Http404 from None
    dossier = page.dossier
    officers = selectors.step_officers(dossier) if Action.ASSIGN in page.actions else []
    return _page(
        request,
        desk,
        "backoffice/dossier.html",
        {
            "p": page,
            "d": dossier,
            "reference": dossier.code or str(dossier.pk),
            "action_forms": _action_forms(page, bound),
            "officers": officers,
            "open_consultations": [c for c in page.consultations if c.replied_at is None],
            "error": error,
            "focus": bound[0].value if bound else "",
            "now": timezone.now(),
        },
        status=status,
    )


@officer_view
def dossier_detail(request: HttpRequest, desk: Desk, code: str) -> HttpResponse:
    return _dossier_response(request, desk, code)


@require_POST
@officer_view
def dossier_act(request: HttpRequest, desk: Desk, code: str, action: str) -> HttpResponse:
    code = _reference(code)
    try:
        chosen = Action(action)
        spec = ACTIONS[chosen]
    except (ValueError, KeyError):
        raise Http404 from None
    form = spec.form(request.POST, request.FILES, prefix=chosen.value)
    if not form.is_valid():
        return _dossier_response(
            request,
            desk,
            code,
            bound=(chosen, form),
            error=_("Please correct the fields marked below."),
            status=400,
        )
    try:
        dossier = spec.call(request.user, code, form.cleaned_data)  # type: ignore[arg-type]
    except DossierNotFound:
        raise Http404 from None
    except DossierError as error:
        message = error.message
        if request.FILES:
            message += " " + _("Attach the files again: the browser does not keep them.")
        return _dossier_response(
            request, desk, code, bound=(chosen, form), error=message, status=error.http_status
        )
    messages.success(
        request,
        _("Done: %(action)s.") % {"action": ActionChoice(chosen.value).label},
    )
    return redirect("backoffice:dossier", code=dossier.code or str(dossier.pk))


# --- counter reception -------------------------------------------------------------------


@officer_view
def reception_pick(request: HttpRequest, desk: Desk) -> HttpResponse:
    form = forms.ProcedureSearchForm(request.GET or None)
    procedures: list[Procedure] = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
    if query:
        procedures = list(procedure_list(query=query)[:30])
    return _page(
        request,
        desk,
        "backoffice/reception_pick.html",
        {"form": form, "procedures": procedures, "query": query},
    )


@require_http_methods(["GET", "POST"])
@officer_view
def reception_form(request: HttpRequest, desk: Desk, procedure_code: str) -> HttpResponse:
    try:
        procedure, version = procedure_get_with_version(
            code=_reference(procedure_code), on=timezone.localdate()
        )
    except Procedure.DoesNotExist:
        raise Http404 from None
    documents = list(version.documents.all()) if version else []
    choices = [(d.pk, d.name) for d in documents]
    # What was digitised before for the applicant whose ID the desk typed (in the dossiers
    # the officer may see): offered instead of scanning the papers again. Looked up only
    # when the desk asks, or chose some: not on every reception.
    id_number = request.POST.get("applicant_id_number", "")[:32]
    wanted = "find_digitised" in request.POST or bool(request.POST.getlist("reused"))
    digitised = dossier_selectors.digitised_for(request.user, id_number=id_number) if wanted else []
    form = forms.CounterReceptionForm(
        request.POST or None, request.FILES or None, documents=choices, digitised=digitised
    )
    error = ""
    status = 200
    if request.method == "POST" and "find_digitised" in request.POST:
        form.errors.clear()  # only looking: nothing is checked yet
    elif request.method == "POST":
        if form.is_valid():
            try:
                return _counter_outcome(request, procedure, form.cleaned_data)
            except DossierError as exc:
                error, status = exc.message, exc.http_status
        else:
            error, status = _("Please correct the fields marked below."), 400
    return _page(
        request,
        desk,
        "backoffice/reception_form.html",
        {
            "form": form,
            "procedure": procedure,
            "version": version,
            "error": error,
            "looked_up": bool(id_number.strip()) and "find_digitised" in request.POST,
        },
        status=status,
    )


def _counter_outcome(
    request: HttpRequest, procedure: Procedure, data: dict[str, Any]
) -> HttpResponse:
    applicant = dossier_services.Applicant(
        name=data["applicant_name"],
        kind=data["applicant_kind"],
        id_number=data["applicant_id_number"],
        phone=data["applicant_phone"],
        email=data["applicant_email"],
        address=data["applicant_address"],
        representative_name=data["representative_name"],
        representative_id_number=data["representative_id_number"],
        representative_phone=data["representative_phone"],
    )
    if data["outcome"] == "receive":
        dossier = dossier_services.dossier_receive(
            actor=request.user,
            procedure_code=procedure.code,
            applicant=applicant,
            return_channel=data["return_channel"],
            documents=data["documents"],
            uploads=[Upload(name=f.name, file=f) for f in data["scans"]],
            reuses=[Reuse(file_id) for file_id in data["reused"]],
            note=data["note"],
        )
        messages.success(
            request, _("Dossier %(code)s received.") % {"code": dossier.code}, extra_tags="receipt"
        )
    else:
        dossier = dossier_services.dossier_turn_away_walk_in(
            actor=request.user,
            procedure_code=procedure.code,
            applicant=applicant,
            return_channel=data["return_channel"],
            documents=data["documents"],
            refuse=data["outcome"] == "refuse",
            reasons=data["reasons"],
            items=forms.lines(data["items"]),
        )
        messages.success(request, _("The applicant's papers were not accepted; print the form."))
    return redirect("backoffice:dossier", code=dossier.code or str(dossier.pk))


# --- search and tracking book ------------------------------------------------------------


@officer_view
def search(request: HttpRequest, desk: Desk) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    rows: list[Any] = []
    next_after = None
    searched = False
    if form.is_valid():
        data = form.cleaned_data
        criteria = selectors.SearchCriteria(
            code=data["code"].strip(),
            name=data["name"].strip(),
            id_number=data["id_number"].strip(),
            phone=data["phone"],
            procedure=data["procedure"].strip(),
            status=data["status"],
            received_from=data["received_from"],
            received_to=data["received_to"],
        )
        if not criteria.is_empty():
            searched = True
            rows, next_after = selectors.dossier_search_for(
                request.user, criteria=criteria, after=data["after"]
            )
    query = request.GET.copy()
    query.pop("after", None)
    return _page(
        request,
        desk,
        "backoffice/search.html",
        {
            "form": form,
            "rows": rows,
            "searched": searched,
            "next_after": next_after,
            "query": query.urlencode(),
        },
    )


UNTOLD_DAYS = 30
SHIPMENT_DAYS = 60


@officer_view
def untold(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The applicants whose notices could not be sent: the desk tells them another way."""
    rows = notices.untold_for_user(request.user, now=timezone.now(), days=UNTOLD_DAYS)
    return _page(request, desk, "backoffice/untold.html", {"rows": rows, "days": UNTOLD_DAYS})


@officer_view
def shipments(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Results by post that came back to the agency or could not be delivered: the desk
    calls the applicant to collect them."""
    rows = postal_selectors.shipments_for_the_desk(
        request.user, now=timezone.now(), days=SHIPMENT_DAYS
    )
    return _page(request, desk, "backoffice/shipments.html", {"rows": rows, "days": SHIPMENT_DAYS})


@require_POST
@officer_view
def untold_told(request: HttpRequest, desk: Desk, message_id: int) -> HttpResponse:
    try:
        notices.record_told_by_hand(request.user, message_id=message_id, now=timezone.now())
    except DossierNotFound:
        raise Http404 from None
    messages.success(request, _("Recorded: the applicant was told another way."))
    return redirect("backoffice:untold")


@officer_view
def book(request: HttpRequest, desk: Desk) -> HttpResponse:
    agencies = selectors.agencies_for_book(request.user, on=timezone.localdate())
    today = timezone.localdate()
    initial = {
        "agency": agencies[0].pk if agencies else None,
        "start": today.replace(day=1),
        "end": today,
    }
    form = forms.TrackingBookForm(request.GET or None, initial=initial)
    rows: list[Any] = []
    agency: Agency | None = None
    if form.is_valid():
        agency = next((a for a in agencies if a.pk == form.cleaned_data["agency"]), None)
        if agency is None:
            form.add_error("agency", _("You do not keep the book of this agency."))
        else:
            rows = tracking_book(
                start=form.cleaned_data["start"], end=form.cleaned_data["end"], agency=agency
            )
            if request.GET.get("format") == "xlsx":
                return _book_xlsx(
                    rows, agency, form.cleaned_data["start"], form.cleaned_data["end"]
                )
    return _page(
        request,
        desk,
        "backoffice/book.html",
        {"form": form, "agencies": agencies, "rows": rows, "agency": agency},
    )


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def _book_xlsx(rows: list[Any], agency: Agency, start: dt.date, end: dt.date) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from motcua.dossiers.models import ReturnChannel

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Mau 07"
    sheet.append([_("Tracking book (form 07)"), agency.name])
    sheet.append([_("Period"), f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"])
    header = [
        _("No."),
        _("Dossier code"),
        _("Procedure"),
        _("Applicant"),
        _("Address / phone"),
        _("Handling agency"),
        _("Received"),
        _("Appointment"),
        _("Returned"),
        _("Result by"),
        _("Collected by"),
    ]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        channel = row.return_channel
        if channel in ReturnChannel.values:
            channel = str(ReturnChannel(channel).label)
        appointment = _local(row.due_at)
        if row.extended_due_at:
            appointment += f" ({_('extended to')} {_local(row.extended_due_at)})"
        sheet.append(
            [
                row.number,
                row.code,
                row.procedure,
                row.applicant,
                " / ".join(x for x in (row.address, row.phone) if x),
                row.handling_agency,
                _local(row.received_at),
                appointment,
                _local(row.returned_at),
                channel,
                row.collected_by,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
