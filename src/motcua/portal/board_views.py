"""Public pages without personal data: the status board of a receiving unit (a kiosk or
TV page at the service center) and the public statistics of on-time handling."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import selectors
from .forms import CODE_SHAPE

BOARD_REFRESH_SECONDS = 60


@require_safe
@cache_control(max_age=30, public=True)
def status_board(request: HttpRequest, unit_code: str) -> HttpResponse:
    if not CODE_SHAPE.match(unit_code):
        raise Http404
    now = timezone.now()
    board = selectors.board_for(unit_code=unit_code, now=now)
    if board is None:
        raise Http404
    return render(
        request,
        "portal/status_board.html",
        {
            "board": board,
            "now": now,
            # `?tinh=1`: the same page without refreshing itself, for a person reading it
            # on their own screen (WCAG 2.2.1: a way to turn the time limit off).
            "refresh": None if request.GET.get("tinh") else BOARD_REFRESH_SECONDS,
        },
    )


@require_safe
@cache_control(max_age=300, public=True)
def statistics(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "portal/statistics.html",
        {
            "now": now,
            "month": selectors.on_time_rates(now=now, year=False),
            "year": selectors.on_time_rates(now=now, year=True),
        },
    )
