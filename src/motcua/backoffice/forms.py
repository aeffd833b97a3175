"""Forms of the back office. They check shape only (required, lengths, the structure of a
personal ID or a phone number); what the law allows is for the services to say."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.accounts.models import ReminderChannel
from motcua.domain import personal_id
from motcua.dossiers.files import Upload
from motcua.dossiers.models import ApplicantKind, DossierFile, ReturnChannel, Status

_PHONE = re.compile(r"^(?:0|\+84)\d{9,10}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def personal_id_problem(value: str, *, today: dt.date) -> str:
    """Why `value` cannot be a 12-digit personal ID, for people; "" when its structure holds."""
    problem = personal_id.personal_id_problem(value, today=today)
    messages = {
        "shape": _("A personal ID number has exactly 12 digits."),
        "province": _("The first three digits are not a province code of a personal ID."),
        "future": _("The birth year encoded in this personal ID is in the future."),
    }
    return str(messages[problem]) if problem else ""


def clean_phone(value: str) -> str:
    phone = _PHONE_SEPARATORS.sub("", value)
    if phone and not _PHONE.match(phone):
        raise forms.ValidationError(
            _("Enter a Vietnamese phone number: 10 digits starting with 0 (or +84)."),
            code="phone",
        )
    return phone


def clean_personal_id(value: str) -> str:
    value = value.strip()
    if value:
        problem = personal_id_problem(value, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem, code="personal_id")
    return value


def lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


TEXTAREA = forms.Textarea(attrs={"rows": 2})
# Row ids fit a 64-bit integer; a larger number is a form error, not a database error.
MAX_ID = 2**62


# --- sign in -----------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
    }


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app (or a recovery code)"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class RemindersForm(forms.Form):
    reminders = forms.ChoiceField(
        label=_("Take the morning reminders"),
        choices=ReminderChannel.choices,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Mobile phone for SMS"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class MembershipSwitchForm(forms.Form):
    membership = forms.IntegerField(min_value=1, max_value=MAX_ID)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several scans in one input; their type and size are checked by `dossiers.files`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# --- dossier actions ---------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=TEXTAREA)


def uploads(files: list[Any]) -> list[Upload]:
    """The files of a multiple-file field as the services take them."""
    return [Upload(name=f.name, file=f) for f in files]


class SupplementForm(NoteForm):
    """What the applicant hands in at the counter to complete the dossier."""

    scans = MultipleFileField(
        label=_("Scans of the supplementary papers (PDF, JPEG, PNG)"), required=False
    )


class DocumentIdsField(forms.TypedMultipleChoiceField):
    """Ticked document ids. Any ids are accepted in shape: the service says whether they
    are documents of the dossier's procedure version."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and 0 < int(value) < MAX_ID


class ReceiveForm(NoteForm):
    """Receiving a dossier from the online or postal queue: the officer ticks the
    documents actually found (the dossier page lists the version's documents with the
    applicant's uploads)."""

    documents = DocumentIdsField(label=_("Documents checked"))


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=TEXTAREA)


class ReceptionOutcomeForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=TEXTAREA)
    items = forms.CharField(
        label=_("Documents to complete (one per line)"),
        required=False,
        max_length=4000,
        widget=TEXTAREA,
    )


class SendBackForm(forms.Form):
    to_position = forms.IntegerField(label=_("Back to step"), min_value=1, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=TEXTAREA)


class AssignForm(forms.Form):
    assignee = forms.IntegerField(label=_("Officer"), min_value=1, max_value=MAX_ID)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=TEXTAREA)


class TransferForm(forms.Form):
    agency_code = forms.CharField(label=_("Agency code"), max_length=64)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=TEXTAREA)


class RequestSupplementForm(forms.Form):
    items = forms.CharField(
        label=_("Documents to complete (one per line)"), max_length=4000, widget=TEXTAREA
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=TEXTAREA)
    second_reason = forms.CharField(
        label=_("Why a second request (if this is one)"),
        required=False,
        max_length=2000,
        widget=TEXTAREA,
    )


class ConsultForm(forms.Form):
    agency_codes = forms.CharField(
        label=_("Agency codes consulted (separated by commas)"), max_length=500
    )
    question = forms.CharField(label=_("Question"), max_length=4000, widget=TEXTAREA)
    reply_within_days = forms.DecimalField(
        label=_("Reply within (working days)"),
        min_value=0,
        max_value=60,
        max_digits=4,
        decimal_places=1,
        initial=5,
    )

    def clean_agency_codes(self) -> list[str]:
        codes = [c.strip() for c in re.split(r"[,\s;]+", self.cleaned_data["agency_codes"])]
        return [c for c in codes if c]


class ReplyConsultationForm(forms.Form):
    consultation = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    agreed = forms.TypedChoiceField(
        label=_("Opinion"),
        choices=[("yes", _("Agree")), ("no", _("Disagree"))],
        coerce=lambda v: v == "yes",
    )
    reply = forms.CharField(label=_("Reply"), required=False, max_length=4000, widget=TEXTAREA)


class RequestPaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (VND)"), min_value=0, max_digits=14, decimal_places=0
    )
    description = forms.CharField(label=_("Description"), max_length=500)


class ConfirmPaymentForm(forms.Form):
    reference = forms.CharField(label=_("Receipt or transfer reference"), max_length=200)


class ApologiseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the delay"), max_length=4000, widget=TEXTAREA)
    new_due_at = forms.DateTimeField(
        label=_("New appointment"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=TEXTAREA)


class ResolveForm(forms.Form):
    result_number = forms.CharField(label=_("Result number"), max_length=100)
    result_signer = forms.CharField(label=_("Signed by"), max_length=255)
    result_date = forms.DateField(
        label=_("Result date"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    electronic = forms.BooleanField(label=_("Electronic result"), required=False)
    summary = forms.CharField(label=_("Result"), required=False, max_length=4000, widget=TEXTAREA)
    result_files = MultipleFileField(
        label=_("Electronic result files (PDF, JPEG, PNG)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result_files") and not data.get("electronic"):
            self.add_error(
                "electronic",
                _("Tick 'Electronic result' when you attach the result's files."),
            )
        return data


class ReturnResultForm(forms.Form):
    channel = forms.ChoiceField(label=_("Returned"), choices=ReturnChannel.choices)
    collected_by = forms.CharField(label=_("Collected by"), required=False, max_length=255)


# --- counter reception ---


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Procedure"), required=False, max_length=200)


def _digitised_label(file: DossierFile) -> str:
    dossier = file.dossier
    procedure = dossier.procedure.name
    origin = procedure if len(procedure) <= 50 else procedure[:49] + "…"
    when = timezone.localtime(file.uploaded_at).strftime("%d/%m/%Y")
    return f"{file.name} · {origin} · {dossier.code or dossier.pk} · {when}"


class CounterReceptionForm(forms.Form):
    """A walk-in dossier. `documents` takes its choices from the procedure version."""

    OUTCOMES = ("receive", "supplement", "refuse")

    applicant_kind = forms.ChoiceField(
        label=_("Applicant"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    applicant_name = forms.CharField(label=_("Full name or organisation name"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Personal ID (12 digits) or organisation code"), required=False, max_length=32
    )
    applicant_phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    applicant_email = forms.EmailField(label=pgettext_lazy("contact", "Email"), required=False)
    applicant_address = forms.CharField(label=_("Address"), required=False, max_length=500)
    representative_name = forms.CharField(
        label=_("Authorised representative"), required=False, max_length=255
    )
    representative_id_number = forms.CharField(
        label=_("Representative's personal ID"), required=False, max_length=32
    )
    representative_phone = forms.CharField(
        label=_("Representative's phone"), required=False, max_length=32
    )
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents handed in"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    scans = MultipleFileField(label=_("Scans of the papers (PDF, JPEG, PNG)"), required=False)
    reused = forms.TypedMultipleChoiceField(
        label=_("Digitised before: take instead of scanning again"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    return_channel = forms.ChoiceField(
        label=_("Result wanted"), choices=ReturnChannel.choices, initial=ReturnChannel.COUNTER
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=TEXTAREA)
    reasons = forms.CharField(
        label=_("Reasons (for a supplement request or a refusal)"),
        required=False,
        max_length=4000,
        widget=TEXTAREA,
    )
    items = forms.CharField(
        label=_("Documents to complete (one per line)"),
        required=False,
        max_length=4000,
        widget=TEXTAREA,
    )
    outcome = forms.ChoiceField(choices=[(o, o) for o in OUTCOMES], initial="receive")

    def __init__(
        self,
        *args: Any,
        documents: list[tuple[int, str]],
        digitised: Sequence[DossierFile] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = documents  # type: ignore[attr-defined]
        self.fields["reused"].choices = [  # type: ignore[attr-defined]
            (f.pk, _digitised_label(f)) for f in digitised
        ]

    def clean_applicant_phone(self) -> str:
        return clean_phone(self.cleaned_data["applicant_phone"])

    def clean_representative_phone(self) -> str:
        return clean_phone(self.cleaned_data["representative_phone"])

    def clean_representative_id_number(self) -> str:
        return clean_personal_id(self.cleaned_data["representative_id_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("applicant_kind") == ApplicantKind.CITIZEN and "applicant_id_number" in data:
            try:
                data["applicant_id_number"] = clean_personal_id(data["applicant_id_number"])
            except forms.ValidationError as error:
                self.add_error("applicant_id_number", error)
        if data.get("outcome") in ("supplement", "refuse") and not data.get("reasons", "").strip():
            self.add_error("reasons", _("State the reasons for a supplement request or a refusal."))
        return data


# --- search and tracking book ------------------------------------------------------------


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), required=False, max_length=64)
    name = forms.CharField(label=_("Applicant's name"), required=False, max_length=255)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=32)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    procedure = forms.CharField(label=_("Procedure"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *Status.choices]
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d"]
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=DATE_INPUT, input_formats=["%Y-%m-%d"]
    )
    after = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def clean_phone(self) -> str:
        return _PHONE_SEPARATORS.sub("", self.cleaned_data["phone"])


class TrackingBookForm(forms.Form):
    agency = forms.IntegerField(label=_("Agency"), min_value=1, max_value=MAX_ID)
    start = forms.DateField(label=_("From"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("To"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > 366:
                self.add_error("end", _("The period may not be longer than a year."))
        return data


# --- complaints and recommendations (shape only: the feedback services decide) ---------------


class ComplaintAssignForm(forms.Form):
    assignee = forms.IntegerField(
        label=_("Officer"),
        error_messages={"required": _("Choose an officer.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ComplaintRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing (sent to the submitter)"),
        max_length=10_000,
        error_messages={"required": _("Give the reason for refusing.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintRequestInformationForm(forms.Form):
    question = forms.CharField(
        label=_("What you need to know (sent to the submitter)"),
        max_length=10_000,
        error_messages={"required": _("Write what you need to know.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=10_000,
        error_messages={"required": _("Write the answer.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ComplaintPublishForm(forms.Form):
    pass


class ComplaintKeepPrivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the answer is not published"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
