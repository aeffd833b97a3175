"""Formatting for the portal's templates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def vnd(value: object) -> str:
    """An amount of dong grouped the Vietnamese way: 1943000 -> "1.943.000". Django's vi
    locale sets no number grouping, so `floatformat:"g"` would print 1943000."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return f"{int(amount.to_integral_value()):,}".replace(",", ".")


@register.filter
def control(field: BoundField) -> str:
    """The field's widget with its help and error messages tied to it for screen readers
    (`aria-describedby`, `aria-invalid`), as `_control.html` lays them out."""
    attrs: dict[str, str | bool] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-help")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
