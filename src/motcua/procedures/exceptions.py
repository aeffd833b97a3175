"""Errors of the procedure catalogue, each with a stable `code` for the API."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _


class ProcedureError(Exception):
    code = "procedure_error"


class ProcessOverBudget(ProcedureError):
    """The steps of a process add up to more working time than the legal time limit."""

    code = "process_over_budget"

    def __init__(self, *, total_hours: Decimal, limit_hours: Decimal, channel: str) -> None:
        self.total_hours = total_hours
        self.limit_hours = limit_hours
        self.channel = channel
        super().__init__(
            _(
                "The process steps take %(total)s working hours in all, more than the legal "
                "time limit of %(limit)s working hours (channel: %(channel)s)."
            )
            % {"total": f"{total_hours:g}", "limit": f"{limit_hours:g}", "channel": channel}
        )
