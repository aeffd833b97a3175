"""The working calendar as a service: when is a time limit due?"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from motcua.calendars.selectors import calendar_for_code
from motcua.domain import deadlines

from .. import schemas as s
from ..auth import READ_AUTH
from ..errors import ApiError

router = Router(tags=["calendar"], auth=READ_AUTH)


@router.get(
    "/calendar/due",
    response={200: s.DueOut, frozenset({401, 403, 422}): s.ErrorOut},
    operation_id="calendar_due",
)
def calendar_due(request: HttpRequest, params: Query[s.DueIn]) -> s.DueOut:
    """The due moment of a time limit of `amount` `unit`s for something received at
    `received_at`, under the working calendar of `agency` (weekends, public holidays,
    announced swaps, working hours). Same rules as a dossier's receipt."""
    calendar = calendar_for_code(params.agency or None)
    try:
        due = deadlines.due_at(params.received_at, params.amount, params.unit, calendar)
    except ValueError as exc:
        raise ApiError(
            422,
            "invalid_time_limit",
            _("This time limit cannot be computed: %(reason)s") % {"reason": exc},
            {"field": "amount"},
        ) from None
    return s.DueOut(due_at=due)
