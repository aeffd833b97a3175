"""Forms of the applicant pages: shape only. What may happen is for the services to say."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.domain.personal_id import personal_id_problem

from .identifiers import is_phone, normalise_phone, parse_identifier

_PERSONAL_ID_MESSAGES = {
    "shape": _("A personal ID number has exactly 12 digits."),
    "province": _(
        "The first three digits are not a province code of a personal ID number. "
        "Check the number on your citizen identity card."
    ),
    "future": _("The birth year encoded in this personal ID number is in the future."),
}


class IdentifierForm(forms.Form):
    identifier = forms.CharField(
        label=_("E-mail address or mobile number"),
        help_text=_("For example 0912345678 or ten@example.vn."),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )

    def clean_identifier(self) -> str:
        value: str = self.cleaned_data["identifier"]
        identifier = parse_identifier(value)
        if identifier is None:
            raise forms.ValidationError(
                _(
                    "Enter an e-mail address or a Vietnamese mobile number "
                    "(10 digits starting with 0)."
                ),
                code="invalid_identifier",
            )
        return identifier.value


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_("The 6 digits we sent you."),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "size": "8",
            }
        ),
        error_messages={
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not code.isdigit() or not code.isascii():
            raise forms.ValidationError(_("The code has 6 digits."), code="code_shape")
        return code


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    personal_id = forms.CharField(
        label=_("Personal ID number"),
        help_text=_("12 digits, on your citizen identity card (CCCD)."),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address such as ten@example.vn.")},
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean_personal_id(self) -> str:
        value = str(self.cleaned_data["personal_id"]).strip().replace(" ", "")
        if value:
            problem = personal_id_problem(value, today=timezone.localdate())
            if problem:
                raise forms.ValidationError(_PERSONAL_ID_MESSAGES[problem], code="personal_id")
        return value

    def clean_phone(self) -> str:
        raw = str(self.cleaned_data["phone"])
        if not raw.strip():
            return ""
        phone = normalise_phone(raw)
        if not is_phone(phone):
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number: 10 digits starting with 0 (or +84)."),
                code="phone",
            )
        return phone

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_address(self) -> str:
        return " ".join(str(self.cleaned_data["address"]).split())

    def as_service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
