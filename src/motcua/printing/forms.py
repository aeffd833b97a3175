"""The legal forms of Circular 03/2025/TT-VPCP, Annex I (DOMAIN.md 1.4), as PDF:

    01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả           (receipt)
    02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ            (supplement request)
    03 Phiếu từ chối tiếp nhận giải quyết hồ sơ            (refusal of reception)
    04 Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết (apology and extension)
    05 Thông báo dừng giải quyết hồ sơ                    (stop at the applicant's request)
    06 Phiếu kiểm soát quá trình giải quyết hồ sơ          (control slip)
    07 Sổ theo dõi hồ sơ                                  (tracking book: per agency and period)

Each form is built from the dossier, the event that gave rise to it (the latest of its
kind) and `dossiers.records`, rendered from `templates/printing/` and printed with
WeasyPrint. Read-only. The entry points check who asks: `dossier_form_pdf` through
`dossiers.selectors.dossier_get_for` (a dossier one may not see does not exist), and
`tracking_book_pdf` through the officer's memberships and `selectors.visible_to`. A form
signed with its agency's key is recorded by its content (`IssuedForm`), for the public check
of a document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.domain.lifecycle import Action
from motcua.dossiers import permissions, records, selectors
from motcua.dossiers.exceptions import InvalidInput
from motcua.dossiers.links import lookup_url
from motcua.dossiers.models import (
    ApplicantKind,
    Consultation,
    Dossier,
    DossierEvent,
)
from motcua.dossiers.models import Status as StatusChoice
from motcua.procedures.models import RequiredDocument

from . import formats, signing
from .exceptions import AgencyNotFound, FormNotApplicable, TrackingBookTooLarge, UnknownForm
from .models import IssuedForm
from .pdf import html_to_pdf

User = AuthUser | AnonymousUser

# WeasyPrint lays out about 30-40 table rows a second: beyond this the request would hold
# a worker for most of a minute. Ask for a shorter period (or the Excel export) instead.
TRACKING_BOOK_MAX_ROWS = 1000
TRACKING_BOOK_MAX_DAYS = 366
# Who keeps or reads an agency's tracking book: the desk, supervisors, monitors.
BOOK_ROLES = (Role.RECEIVER, Role.DIVISION_HEAD, Role.LEADER, Role.AGENCY_ADMIN, Role.MONITOR)


@dataclass(frozen=True)
class FormSpec:
    number: str  # "01" .. "07"
    slug: str
    title: str  # the legal title, as printed
    template: str


FORMS: dict[str, FormSpec] = {
    spec.number: spec
    for spec in (
        FormSpec(
            "01",
            "receipt",
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "printing/form_01_receipt.html",
        ),
        FormSpec(
            "02",
            "supplement_request",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            "printing/form_02_supplement.html",
        ),
        FormSpec(
            "03",
            "refusal",
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            "printing/form_03_refusal.html",
        ),
        FormSpec(
            "04",
            "apology",
            "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết",
            "printing/form_04_apology.html",
        ),
        FormSpec(
            "05",
            "stop_notice",
            "Thông báo dừng giải quyết hồ sơ",
            "printing/form_05_stop.html",
        ),
        FormSpec(
            "06",
            "control_slip",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            "printing/form_06_control_slip.html",
        ),
        FormSpec("07", "tracking_book", "Sổ theo dõi hồ sơ", "printing/form_07_tracking_book.html"),
    )
}
TRACKING_BOOK = "07"
CONTROL_SLIP = "06"
DOSSIER_FORMS = tuple(n for n in FORMS if n != TRACKING_BOOK)


@dataclass(frozen=True)
class RenderedForm:
    filename: str
    content: bytes
    media_type: str = "application/pdf"


# --- public entry points ------------------------------------------------------------------


def form_spec(form: str) -> FormSpec:
    """The form numbered `form` ('01', or '1'); UnknownForm otherwise."""
    number = form.zfill(2) if form.isdigit() and len(form) <= 2 else form
    spec = FORMS.get(number)
    if spec is None:
        raise UnknownForm(form[:20], list(FORMS))
    return spec


def dossier_form_pdf(*, user: User, code: str, form: str) -> RenderedForm:
    """Form `form` (01..06) of the dossier `code` (its code, or its submission number before
    reception) as PDF, for someone who may see the dossier: DossierNotFound otherwise,
    UnknownForm for a form that does not exist, FormNotApplicable for one that does not
    apply to the dossier now."""
    spec = form_spec(form)
    dossier = selectors.dossier_get_for(user, code=code)
    context = _form_context(dossier, spec)
    reference = dossier.code or str(dossier.pk)
    return RenderedForm(f"{reference}-mau-{spec.number}.pdf", _signed_pdf(spec, context))


def dossier_form_html(dossier: Dossier, form: str) -> str:
    """The form's HTML (what the PDF is printed from). The caller has checked that the
    reader may see `dossier`."""
    spec = form_spec(form)
    return _render(spec, _form_context(dossier, spec))


def _form_context(dossier: Dossier, spec: FormSpec) -> dict[str, Any]:
    if spec.number == TRACKING_BOOK:
        raise FormNotApplicable(
            spec.number,
            _("Form 07 (the tracking book) is kept per agency and period, not per dossier."),
        )
    return _BUILDERS[spec.number](dossier)


def _signed_pdf(spec: FormSpec, context: dict[str, Any]) -> bytes:
    """The form printed, and signed with its issuing agency's key when it has one
    (`signing`): the page then says who signed it and when."""
    agency = context["issuer"]["agency"]
    key = signing.key_for(agency)
    if key is None:
        return html_to_pdf(_render(spec, context))
    signature = signing.signature_of(key)
    pdf = html_to_pdf(_render(spec, {**context, "signature": signature}))
    signed = signing.sign_pdf(pdf, key, reason=spec.title, location=context["issuer"]["place"])
    dossier = context.get("dossier")
    record = IssuedForm(
        sha256=hashlib.sha256(signed).hexdigest(),
        form=spec.number,
        dossier=dossier if isinstance(dossier, Dossier) else None,
        agency=agency,
        signed_by=signature.holder,
        issued_at=signature.at,
    )
    # Printed twice within the same second, a form may come out byte for byte the same:
    # the same document, recorded once.
    IssuedForm.objects.bulk_create([record], ignore_conflicts=True)
    return signed


def forms_available_for(dossier: Dossier) -> list[FormSpec]:
    """The forms that apply to `dossier` now, for the dossier page's print links
    (`reverse("printing:dossier_form", args=[code, spec.number])`). One query."""
    actions = set(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    available = []
    for number in DOSSIER_FORMS:
        needs = _NEEDS_EVENT.get(number)
        if needs is not None:
            if actions & {a.value for a in needs}:
                available.append(FORMS[number])
        elif dossier.received_at is not None:
            available.append(FORMS[number])
    return available


def forms_for_applicant(dossier: Dossier) -> list[FormSpec]:
    """The forms of `forms_available_for` that are the applicant's papers: all but the
    control slip (06), which travels with the dossier between the agencies."""
    return [spec for spec in forms_available_for(dossier) if spec.number != CONTROL_SLIP]


def tracking_book_pdf(
    *, user: User, agency_code: str, start: dt.date, end: dt.date
) -> RenderedForm:
    """Form 07 for the dossiers received from `start` to `end` (local dates, both included)
    and handled by the agency `agency_code` or its units: only those dossiers the officer may
    see, for an officer who holds a desk, supervisor or monitor role in the agency's line
    (the agency, one of its units or one of its parents). AgencyNotFound otherwise."""
    agency = _book_agency(user, agency_code)
    if end < start:
        raise InvalidInput(_("The end of the period is before its start."), field="to")
    if (end - start).days >= TRACKING_BOOK_MAX_DAYS:
        raise InvalidInput(
            _("The period may cover at most %(days)s days.") % {"days": TRACKING_BOOK_MAX_DAYS},
            field="to",
        )
    rows = _visible_rows(user, agency, start, end)
    context = {
        "agency": agency,
        "issuer": _issuer(agency),
        "start": start,
        "end": end,
        "start_text": start.strftime("%d/%m/%Y"),
        "end_text": end.strftime("%d/%m/%Y"),
        "rows": [_book_row(row) for row in rows],
        "printed": formats.vn_moment(timezone.now()),
        "date_line": formats.vn_date(timezone.localdate()),
        "landscape": True,
    }
    filename = f"{agency.code}-mau-07-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    return RenderedForm(filename, _signed_pdf(FORMS[TRACKING_BOOK], context))


# --- common parts ---------------------------------------------------------------------------


def _render(spec: FormSpec, context: dict[str, Any]) -> str:
    # Legal documents in Vietnamese whatever the reader's language.
    with translation.override("vi"):
        return render_to_string(spec.template, {"form": spec, **context})


def _issuer(agency: Agency | None) -> dict[str, Any]:
    """The agency name block (Decree 30/2020, Annex I): the governing body above, the
    issuing agency below; and the place name of the date line, from the province."""
    if agency is None:
        return {"governing": "", "name": "", "place": "", "agency": None}
    ids = [int(part) for part in agency.path.strip("/").split("/") if part]
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    governing = names.get(agency.parent_id, "") if agency.parent_id else ""
    root = names.get(ids[0], agency.name) if ids else agency.name
    place = root
    for prefix in ("Tỉnh ", "Thành phố "):
        place = place.removeprefix(prefix)
    return {"governing": governing, "name": agency.name, "place": place, "agency": agency}


def person(user: AuthUser | None) -> str:
    """A Vietnamese full name: family and middle names first, then the given name."""
    if user is None:
        return ""
    return " ".join(p for p in (user.last_name, user.first_name) if p) or user.username


def _applicant(dossier: Dossier) -> dict[str, Any]:
    organisation = dossier.applicant_kind == ApplicantKind.ORGANISATION
    return {
        "salutation": "Tổ chức" if organisation else "Ông/Bà",
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "representative": dossier.representative_name,
        "representative_id_number": dossier.representative_id_number,
        "representative_phone": dossier.representative_phone,
    }


def _latest(dossier: Dossier, *actions: Action) -> DossierEvent | None:
    return (
        DossierEvent.objects.filter(dossier=dossier, action__in=[a.value for a in actions])
        .select_related("actor", "actor_agency", "from_step")
        .order_by("-at", "-pk")
        .first()
    )


def _base(dossier: Dossier, issuer: Agency | None, moment: dt.datetime | None) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "reference": dossier.code or str(dossier.pk),
        "applicant": _applicant(dossier),
        "procedure": dossier.procedure.name,
        "issuer": _issuer(issuer),
        "date_line": formats.vn_date(formats.local(moment).date()) if moment else "",
        "status": str(StatusChoice(dossier.status).label),
    }


def _not_applicable(number: str, dossier: Dossier, reason: str) -> FormNotApplicable:
    return FormNotApplicable(number, reason, status=dossier.status)


# --- one builder per form --------------------------------------------------------------------


def _receipt(dossier: Dossier) -> dict[str, Any]:
    import segno

    if dossier.received_at is None or not dossier.code:
        raise _not_applicable(
            "01", dossier, _("The receipt (form 01) exists only for a received dossier.")
        )
    event = _latest(dossier, Action.RECEIVE)
    documents = list(
        RequiredDocument.objects.filter(
            version_id=dossier.procedure_version_id, pk__in=dossier.documents or []
        ).order_by("position", "pk")
    )
    url = lookup_url(dossier)
    qr = segno.make(url, error="m")
    return {
        **_base(dossier, dossier.receiving_unit or dossier.handling_agency, dossier.received_at),
        "documents": documents,
        "time_limit": formats.vn_time_limit(dossier.time_limit_amount, dossier.time_limit_unit),
        "received": formats.vn_moment(dossier.received_at),
        # The legal appointment: the due moment computed at reception, moved later by any
        # paused time since (a receipt reprinted after a supplement shows the new date).
        "due": formats.vn_moment(dossier.due_at),
        "return_channel": formats.RETURN_CHANNEL_WORDS.get(
            dossier.requested_return_channel, dossier.requested_return_channel
        ),
        "receiver": person(event.actor) if event else "",
        "handling_agency": dossier.handling_agency.name,
        "lookup_url": url,
        "qr_data_uri": qr.png_data_uri(scale=4, border=2),
    }


def _supplement(dossier: Dossier) -> dict[str, Any]:
    event = _latest(dossier, Action.REQUEST_SUPPLEMENT_AT_RECEPTION, Action.REQUEST_SUPPLEMENT)
    if event is None:
        raise _not_applicable(
            "02", dossier, _("No supplement was requested for this dossier (form 02).")
        )
    issuer = event.actor_agency or dossier.receiving_unit or dossier.handling_agency
    return {
        **_base(dossier, issuer, event.at),
        "at_reception": event.action == Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        "items": [str(i) for i in event.payload.get("items", []) if str(i).strip()],
        "reasons": event.note,
        "second_reason": str(event.payload.get("second_reason", "")),
        "requested": formats.vn_moment(event.at),
        "officer": person(event.actor),
        "officer_agency": event.actor_agency.name if event.actor_agency else "",
        "contact_phone": event.actor_agency.phone if event.actor_agency else "",
    }


def _refusal(dossier: Dossier) -> dict[str, Any]:
    event = _latest(dossier, Action.REFUSE_RECEPTION)
    if event is None:
        raise _not_applicable(
            "03", dossier, _("The reception of this dossier was not refused (form 03).")
        )
    issuer = event.actor_agency or dossier.receiving_unit or dossier.handling_agency
    return {
        **_base(dossier, issuer, event.at),
        "reasons": event.note,
        "refused": formats.vn_moment(event.at),
        "officer": person(event.actor),
        "receiving_unit": issuer.name,
    }


def _apology(dossier: Dossier) -> dict[str, Any]:
    event = _latest(dossier, Action.APOLOGISE_AND_EXTEND)
    if event is None:
        raise _not_applicable(
            "04", dossier, _("No apology and extension was recorded for this dossier (form 04).")
        )
    original = event.payload.get("original_due_at")
    new = event.payload.get("new_due_at")
    return {
        **_base(dossier, dossier.handling_agency, event.at),
        "received": formats.vn_moment(dossier.received_at),
        "original_due": formats.vn_moment(
            dt.datetime.fromisoformat(original) if original else None
        ),
        "new_due": formats.vn_moment(
            dt.datetime.fromisoformat(new) if new else dossier.extended_due_at
        ),
        "reason": event.note,
        "signer_title": "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        "signer": person(event.actor),
        "handling_agency": dossier.handling_agency.name,
    }


def _stop(dossier: Dossier) -> dict[str, Any]:
    event = _latest(dossier, Action.WITHDRAW)
    if event is None:
        raise _not_applicable(
            "05", dossier, _("Handling of this dossier was not stopped at the applicant's request.")
        )
    issuer = dossier.receiving_unit or event.actor_agency or dossier.handling_agency
    stage = str(StatusChoice(event.from_status).label) if event.from_status else ""
    if event.from_step is not None:
        stage = f"{stage} ({event.from_step.name})" if stage else event.from_step.name
    return {
        **_base(dossier, issuer, event.at),
        "received": formats.vn_moment(dossier.received_at),
        "requested": formats.vn_moment(event.at),
        "reason": event.note,
        "stage": stage,
        "officer": person(event.actor),
    }


def _control_slip(dossier: Dossier) -> dict[str, Any]:
    if dossier.received_at is None:
        raise _not_applicable(
            "06", dossier, _("The control slip (form 06) starts when the dossier is received.")
        )
    rows = []
    for number, row in enumerate(records.control_slip(dossier), start=1):
        if row.receiver_agency is not None:
            receiver = row.receiver_agency.name
            if row.receiver_step is not None:
                receiver = f"{receiver} ({row.receiver_step.name})"
        else:
            receiver = f"Tổ chức, cá nhân: {row.receiver_name}" if row.receiver_name else ""
        rows.append(
            {
                "number": number,
                "giver": row.giver_agency.name if row.giver_agency else "",
                "giver_officer": person(row.giver_officer),
                "receiver": receiver,
                "receiver_officer": person(row.receiver_officer),
                "at": formats.vn_moment_short(row.at),
                "timeliness": formats.TIMELINESS_WORDS.get(row.timeliness or "", ""),
                "spent": formats.vn_duration(row.spent) if row.budget_hours is not None else "",
                "budget": formats.vn_time_limit(row.budget_hours, "working_hour")
                if row.budget_hours is not None
                else "",
                "note": row.note,
            }
        )
    partners = sorted(
        set(Consultation.objects.filter(dossier=dossier).values_list("agency__name", flat=True))
        | set(
            DossierEvent.objects.filter(dossier=dossier, action=Action.TRANSFER)
            .exclude(to_agency=None)
            .values_list("to_agency__name", flat=True)
        )
    )
    return {
        **_base(dossier, dossier.receiving_unit or dossier.handling_agency, dossier.received_at),
        "handling_agency": dossier.handling_agency.name,
        "partners": partners,
        "received": formats.vn_moment(dossier.received_at),
        "due": formats.vn_moment(dossier.due_at),
        "extended_due": formats.vn_moment(dossier.extended_due_at),
        "rows": rows,
    }


_BUILDERS: dict[str, Callable[[Dossier], dict[str, Any]]] = {
    "01": _receipt,
    "02": _supplement,
    "03": _refusal,
    "04": _apology,
    "05": _stop,
    "06": _control_slip,
}
# Forms that exist once their event happened (the others: once the dossier is received).
_NEEDS_EVENT: dict[str, tuple[Action, ...]] = {
    "02": (Action.REQUEST_SUPPLEMENT_AT_RECEPTION, Action.REQUEST_SUPPLEMENT),
    "03": (Action.REFUSE_RECEPTION,),
    "04": (Action.APOLOGISE_AND_EXTEND,),
    "05": (Action.WITHDRAW,),
}


# --- the tracking book -----------------------------------------------------------------------


def _book_agency(user: User, agency_code: str) -> Agency:
    agency = Agency.objects.filter(code=agency_code).first() if agency_code else None
    if agency is None or not user.is_authenticated:
        raise AgencyNotFound(agency_code[:64])
    scope = permissions.scope_of(user, on=timezone.localdate())
    related = any(
        agency.path.startswith(path) or path.startswith(agency.path)
        for path in scope.paths(*BOOK_ROLES)
    )
    if not (scope.is_superuser or related):
        raise AgencyNotFound(agency_code[:64])
    return agency


def _visible_rows(
    user: User, agency: Agency, start: dt.date, end: dt.date
) -> list[records.TrackingBookRow]:
    """The book's rows the officer may see, numbered again from 1. Two queries: the book,
    and the codes of the same dossiers that the permission filter lets through."""
    rows = records.tracking_book(start=start, end=end, agency=agency)
    if len(rows) > TRACKING_BOOK_MAX_ROWS:
        raise TrackingBookTooLarge(len(rows), TRACKING_BOOK_MAX_ROWS)
    tz = timezone.get_default_timezone()
    visible = set(
        selectors.visible_to(user)
        .filter(
            handling_agency__path__startswith=agency.path,
            received_at__gte=dt.datetime.combine(start, dt.time(0), tzinfo=tz),
            received_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz),
        )
        .values_list("code", flat=True)
    )
    kept = [row for row in rows if row.code in visible]
    return [dataclasses.replace(row, number=n) for n, row in enumerate(kept, start=1)]


def _book_row(row: records.TrackingBookRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "code": row.code,
        "procedure": row.procedure,
        "applicant": row.applicant,
        "contact": " - ".join(p for p in (row.address, row.phone) if p),
        "handling_agency": row.handling_agency,
        "received": formats.vn_moment_short(row.received_at),
        "due": formats.vn_moment_short(row.due_at),
        "extended_due": formats.vn_moment_short(row.extended_due_at),
        "returned": formats.vn_moment_short(row.returned_at),
        "return_channel": formats.RETURN_CHANNEL_WORDS.get(row.return_channel, row.return_channel),
        "collected_by": row.collected_by,
    }


def issued_form(sha256: str) -> tuple[IssuedForm, FormSpec] | None:
    """The signed form issued with exactly this content, and its kind; None otherwise."""
    found = IssuedForm.objects.filter(sha256=sha256).select_related("agency", "dossier").first()
    return (found, FORMS[found.form]) if found is not None else None
