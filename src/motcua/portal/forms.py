"""Shapes of the portal's inputs (no rules beyond shape: the selectors decide)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApplicantKind, ReturnChannel
from motcua.feedback.models import SatisfactionLevel
from motcua.procedures.models import DocumentForm, RequiredDocument

# A dossier code (<agency code>-<YYMMDD>-<NNNN>) or submission reference.
CODE_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}$")


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
        label=_("Email"),
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

    def __init__(self, *args: Any, documents: Sequence[RequiredDocument] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for document in self.documents:
            self.fields[document_field_name(document.pk)] = forms.FileField(
                label=document.name,
                required=document.is_required
                and not document.case
                and document.form != DocumentForm.PRESENTED,
                error_messages={"required": _("Attach this document.")},
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
                ),
            )

    def document_fields(self) -> list[tuple[RequiredDocument, forms.BoundField]]:
        return [(d, self[document_field_name(d.pk)]) for d in self.documents]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("return_channel") == ReturnChannel.POSTAL and not data.get("address"):
            self.add_error("address", _("Enter the address the result is posted to."))
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("level") == SatisfactionLevel.DISSATISFIED and not data.get("reason"):
            self.add_error("reason", _("Tell us why you are dissatisfied."))
        return data
