"""Shapes of the portal's inputs (no rules beyond shape: the selectors decide)."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

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
