"""Template helpers of the back office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def form_url(reference: str, form: str) -> str:
    """The PDF of legal form `form` ("01".."07") for the dossier, from `printing/`."""
    return reverse("printing:dossier_form", kwargs={"code": reference, "form": form})


@register.filter
def working_hours(value: dt.timedelta | None) -> str:
    """A working time as hours and minutes: "12 giờ 05 phút" style, language-neutral."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}"


@register.filter
def hours(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}h"
