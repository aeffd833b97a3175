"""Formatting for the portal's templates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

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
