"""Shapes of the portal's inputs (no rules beyond shape: the selectors decide)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import ApplicantKind, DossierFile, ReturnChannel
from motcua.feedback.models import ComplaintAbout, Criterion, SatisfactionLevel
from motcua.procedures.models import DocumentForm, RequiredDocument

# A dossier code (<agency code>-<YYMMDD>-<NNNN>) or submission reference.
CODE_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}$")


class VerifyForm(forms.Form):
    document = forms.FileField(
        label=_("The document (PDF)"),
        error_messages={"required": _("Choose the PDF file to check.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        validators=[
            RegexValidator(CODE_SHAPE, _("A dossier code has letters, digits, dots and dashes."))
        ],
        help_text=_("As printed on the receipt, e.g. H99.01-261123-0001."),
        error_messages={"required": _("Enter the dossier code.")},
        widget=forms.TextInput(attrs={"maxlength": "64", "autocomplete": "off"}),
    )
    factor = forms.CharField(
        label=_("Last 4 digits of the phone or ID number"),
        validators=[RegexValidator(r"^\d{4}$", _("Enter exactly 4 digits."))],
        help_text=_("Of the applicant, as given in the dossier."),
        error_messages={"required": _("Enter the last 4 digits.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": "4", "autocomplete": "off"}
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


# --- online submission, supplement, withdrawal, rating -----------------------------------

PHONE_SHAPE = RegexValidator(
    r"^\+?[0-9][0-9 .]{7,18}$", _("Enter a phone number of digits, e.g. 0912 345 678.")
)
ID_SHAPE = RegexValidator(
    r"^[0-9A-Za-z\-]{6,32}$",
    _("An ID number has 6 to 32 letters or digits (12 digits for a citizen ID card)."),
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        files = [single(d, initial) for d in items if d]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


def document_field_name(document_id: int) -> str:
    return f"doc_{document_id}"


def reuse_field_name(document_id: int) -> str:
    return f"reuse_{document_id}"


def stored_file_label(file: DossierFile) -> str:
    """How a file of the data store is named in a choice: its name, where it came from."""
    procedure = file.dossier.procedure.name
    origin = procedure if len(procedure) <= 50 else procedure[:49] + "…"
    return f"{file.name} · {origin} · {timezone.localtime(file.uploaded_at):%d/%m/%Y}"


class SubmissionForm(forms.Form):
    """The online submission: the applicant, the way of receiving the result and one file
    input per required document of the version in force (`documents`). A document is
    asked for as a file when it is required for every applicant and not merely presented."""

    applicant_kind = forms.ChoiceField(
        label=_("Applicant"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    full_name = forms.CharField(
        label=_("Full name (or organisation name)"),
        max_length=255,
        error_messages={"required": _("Enter the applicant's full name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": "255"}),
    )
    id_number = forms.CharField(
        label=_("Personal ID number (or tax code)"),
        max_length=32,
        validators=[ID_SHAPE],
        error_messages={"required": _("Enter the ID number.")},
        widget=forms.TextInput(attrs={"maxlength": "32", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        validators=[PHONE_SHAPE],
        help_text=_("Its last 4 digits let you follow the dossier without an account."),
        error_messages={"required": _("Enter a phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=pgettext_lazy("contact", "Email"),
        required=False,
        error_messages={"invalid": _("Enter a valid email address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        help_text=_("Required when the result is sent by post: it is posted to this address."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "maxlength": "500"}),
    )
    return_channel = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=ReturnChannel.choices,
        initial=ReturnChannel.ONLINE,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        documents: Sequence[RequiredDocument] = (),
        store: Sequence[DossierFile] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        self.required_documents = {
            d.pk
            for d in self.documents
            if d.is_required and not d.case and d.form != DocumentForm.PRESENTED
        }
        choices: list[tuple[str, Any]] = [("", _("— not from the data store —"))]
        choices += [(str(f.pk), stored_file_label(f)) for f in store]
        for document in self.documents:
            self.fields[document_field_name(document.pk)] = forms.FileField(
                label=document.name,
                # With a data store, the file may come from it instead: checked in `clean`.
                required=document.pk in self.required_documents and not store,
                error_messages={"required": _("Attach this document.")},
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
                ),
            )
            if store:
                self.fields[reuse_field_name(document.pk)] = forms.TypedChoiceField(
                    label=_("Or take it from your data store"),
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )

    def document_fields(self) -> list[tuple[RequiredDocument, forms.BoundField]]:
        return [(d, self[document_field_name(d.pk)]) for d in self.documents]

    def document_rows(self) -> list[tuple[RequiredDocument, forms.BoundField, Any, bool]]:
        """For the page: each document, its file input, its choice from the data store (or
        None) and whether it is required."""
        return [
            (
                d,
                self[document_field_name(d.pk)],
                self[reuse_field_name(d.pk)] if reuse_field_name(d.pk) in self.fields else None,
                d.pk in self.required_documents,
            )
            for d in self.documents
        ]

    def reused(self) -> list[tuple[RequiredDocument, int]]:
        """The documents taken from the data store: each with the stored file's id."""
        return [
            (d, self.cleaned_data[reuse_field_name(d.pk)])
            for d in self.documents
            if not self.cleaned_data.get(document_field_name(d.pk))
            and self.cleaned_data.get(reuse_field_name(d.pk))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("return_channel") == ReturnChannel.POSTAL and not data.get("address"):
            self.add_error("address", _("Enter the address the result is posted to."))
        for document in self.documents:
            name = document_field_name(document.pk)
            if (
                document.pk in self.required_documents
                and reuse_field_name(document.pk) in self.fields
                and name not in self.errors
                and not data.get(name)
                and not data.get(reuse_field_name(document.pk))
            ):
                self.add_error(name, _("Attach this document, or take it from your data store."))
        return data


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the agency"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
    )
    attachments = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF, JPEG or PNG; you may choose several files."),
        error_messages={"required": _("Attach the documents that were asked for.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        error_messages={"required": _("State why handling should stop.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that handling of this dossier stops and cannot be resumed."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How satisfied are you with the handling of this dossier?"),
        choices=SatisfactionLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a satisfaction level.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("Required when you are dissatisfied."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
    )

    def __init__(self, *args: Any, criteria: Sequence[Criterion] = (), **kwargs: Any) -> None:
        """`criteria`: the questions of the evaluation tool in force asked about one
        dossier, each a radio group of its allowed answers."""
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[criterion_field_name(criterion.code)] = forms.ChoiceField(
                label=f"{criterion.position}. {criterion.label}",
                choices=[
                    (str(a["code"]), str(a.get("label", a["code"])))
                    for a in criterion.answers
                    if isinstance(a, dict) and "code" in a
                ],
                required=criterion.required,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer this question.")},
            )

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[criterion_field_name(c.code)] for c in self.criteria]

    def answers(self) -> dict[str, str]:
        """The criteria answered, by criterion code (blank ones left out)."""
        return {
            c.code: self.cleaned_data[criterion_field_name(c.code)]
            for c in self.criteria
            if self.cleaned_data.get(criterion_field_name(c.code))
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("level") == SatisfactionLevel.DISSATISFIED and not data.get("reason"):
            self.add_error("reason", _("Tell us why you are dissatisfied."))
        return data


def criterion_field_name(code: str) -> str:
    return f"criterion_{code}"


# --- complaints and recommendations (phản ánh, kiến nghị) ---------------------------------

ACCEPT_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
TRACKING_SHAPE = RegexValidator(
    r"^[A-Za-z0-9\-]{4,32}$", _("A tracking code looks like PAKN-260309-ABC234.")
)


class ComplaintForm(forms.Form):
    """A complaint or recommendation. Which fields apply depends on what it is about: the
    service says what is missing (the procedure, the dossier and its second factor, the
    officer, the agency)."""

    about = forms.ChoiceField(
        label=_("What is it about?"),
        choices=ComplaintAbout.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say what the complaint or recommendation is about.")},
    )
    procedure_code = forms.CharField(
        label=_("Procedure code"),
        required=False,
        max_length=32,
        help_text=_("As shown in the procedure catalogue, e.g. 1.001193."),
        widget=forms.TextInput(attrs={"maxlength": "32", "autocomplete": "off"}),
    )
    dossier_code = forms.CharField(
        label=_("Dossier code"),
        required=False,
        max_length=64,
        validators=[
            RegexValidator(CODE_SHAPE, _("A dossier code has letters, digits, dots and dashes."))
        ],
        widget=forms.TextInput(attrs={"maxlength": "64", "autocomplete": "off"}),
    )
    dossier_factor = forms.CharField(
        label=_("Last 4 digits of the phone or ID number given in the dossier"),
        required=False,
        max_length=4,
        help_text=_("Not needed for a dossier of your own account."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": "4", "autocomplete": "off"}
        ),
    )
    officer_name = forms.CharField(
        label=_("Name or position of the officer concerned"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"maxlength": "255"}),
    )
    agency_code = forms.ChoiceField(
        label=_("Agency it is addressed to"),
        required=False,
        help_text=_(
            "For a dossier, its handling agency answers; for a procedure, by default "
            "the agency that handles it."
        ),
    )
    submitter_name = forms.CharField(
        label=_("Your full name"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": "255"}),
    )
    submitter_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    submitter_email = forms.EmailField(
        label=_("Email address"),
        required=False,
        error_messages={"invalid": _("Enter a valid email address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=255,
        error_messages={"required": _("Enter a subject.")},
        widget=forms.TextInput(attrs={"maxlength": "255"}),
    )
    content = forms.CharField(
        label=_("Content"),
        max_length=10_000,
        error_messages={"required": _("Write your complaint or recommendation.")},
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "10000"}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Optional. PDF, JPEG or PNG, at most %(count)s files of %(size)s MB each."),
        widget=MultipleFileInput(attrs={"accept": ACCEPT_FILES}),
    )

    def __init__(
        self,
        *args: Any,
        agencies: Sequence[tuple[str, str]] = (),
        limits: tuple[int, int] = (5, 10),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency_code"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = [("", _("— choose an agency —")), *agencies]
        help_text = self.fields["attachments"].help_text
        self.fields["attachments"].help_text = help_text % {
            "count": limits[0],
            "size": f"{limits[1]:g}",
        }


class ComplaintFollowForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=32,
        validators=[TRACKING_SHAPE],
        error_messages={"required": _("Enter the tracking code.")},
        widget=forms.TextInput(attrs={"maxlength": "32", "autocomplete": "off"}),
    )
    token = forms.CharField(
        label=_("Access key"),
        max_length=32,
        help_text=_("Shown when you sent the complaint or recommendation."),
        error_messages={"required": _("Enter the access key.")},
        widget=forms.TextInput(attrs={"maxlength": "32", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class ComplaintInformationForm(forms.Form):
    information = forms.CharField(
        label=_("The information asked for"),
        max_length=10_000,
        error_messages={"required": _("Write the information asked for.")},
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": "10000"}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Optional. PDF, JPEG or PNG."),
        widget=MultipleFileInput(attrs={"accept": ACCEPT_FILES}),
    )


class PublishedSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), required=False, max_length=200)
