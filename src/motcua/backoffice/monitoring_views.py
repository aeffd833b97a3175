"""Monitoring pages for leaders and monitors (`/office/monitoring/`): the dashboard, Biểu
06, the 766 index, the operational views and the drill-down list behind every number.

Who: an officer acting as a leader or a monitor. What: the subtree of the agency of that
membership, or a sub-agency they choose in it (`?agency=`); anything else is 403 or 404.
Views parse the period and the agency, call the report selectors and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency, Role
from motcua.domain.calendar import VN_TZ
from motcua.dossiers.models import Dossier
from motcua.reports import operations
from motcua.reports.bieu06 import COLUMN_NUMBERS, COLUMNS, RowsBy, bieu06
from motcua.reports.exports import bieu06_xlsx
from motcua.reports.index766 import index766, index766_dossiers
from motcua.reports.periods import (
    OFFICIAL_CUTOFF_DAY,
    Period,
    PeriodKind,
    date_range,
    reporting_period,
)

from . import charts
from .views import Desk, officer_view

MONITORING_ROLES = (Role.LEADER, Role.MONITOR)
PERIOD_PARAMS = ("kind", "year", "number", "calendar", "first", "last")
PAGE_SIZE = 50
TREND_MONTHS = 12


# --- who, which agency, which period ----------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    root: Agency  # the agency of the acting membership
    agency: Agency  # the one chosen in its subtree
    choices: list[Agency]  # the subtree, for the chooser


class BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def monitoring_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @officer_view
    @wraps(view)
    def wrapper(request: HttpRequest, desk: Desk, *args: Any, **kwargs: Any) -> HttpResponse:
        if desk.acting is None or desk.acting.role not in MONITORING_ROLES:
            return render(
                request, "backoffice/monitoring/forbidden.html", {"desk": desk}, status=403
            )
        try:
            scope = _scope(request, desk)
            return view(request, desk, scope, *args, **kwargs)
        except BadRequest as error:
            return render(
                request,
                "backoffice/monitoring/bad_request.html",
                {"desk": desk, "error": error.message},
                status=400,
            )

    return wrapper


def _scope(request: HttpRequest, desk: Desk) -> Scope:
    assert desk.acting is not None
    root = desk.acting.agency
    choices = list(
        Agency.objects.filter(path__startswith=root.path)
        .order_by("path")
        .only("pk", "name", "path", "level", "code")
    )
    raw = request.GET.get("agency", "")
    if not raw:
        return Scope(root, root, choices)
    if not raw.isdigit() or len(raw) > 12:
        raise BadRequest(_("The agency must be chosen from the list."))
    chosen = next((a for a in choices if a.pk == int(raw)), None)
    if chosen is None:
        # Not in the subtree: as if it did not exist.
        raise Http404
    return Scope(root, chosen, choices)


PERIOD_KINDS = [
    (PeriodKind.MONTH.value, gettext_lazy("Month")),
    (PeriodKind.QUARTER.value, gettext_lazy("Quarter")),
    (PeriodKind.SIX_MONTHS.value, gettext_lazy("6 months")),
    (PeriodKind.NINE_MONTHS.value, gettext_lazy("9 months")),
    (PeriodKind.YEAR.value, gettext_lazy("Year")),
    (PeriodKind.RANGE.value, gettext_lazy("From date to date")),
]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_KINDS)
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False
    )
    number = forms.IntegerField(
        label=gettext_lazy("Month or quarter"), min_value=1, max_value=12, required=False
    )
    calendar = forms.BooleanField(
        label=gettext_lazy("Calendar periods (not the 15th-to-14th cut-off)"), required=False
    )
    first = forms.DateField(label=gettext_lazy("From"), required=False)
    last = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == PeriodKind.RANGE:
            first, last = data.get("first"), data.get("last")
            if first is None or last is None:
                raise forms.ValidationError(_("Enter both the first and the last day."))
            if last < first:
                raise forms.ValidationError(_("The last day is before the first day."))
            if (last - first).days > 3 * 366:
                raise forms.ValidationError(_("A range may cover at most three years."))
            data["period"] = date_range(first, last)
        elif kind:
            if not data.get("year"):
                if "year" not in self.errors:
                    raise forms.ValidationError(_("Enter the year."))
                return data
            number = data.get("number") or 1
            if kind == PeriodKind.QUARTER and number > 4:
                raise forms.ValidationError(_("A quarter is numbered 1 to 4."))
            cutoff = None if data.get("calendar") else OFFICIAL_CUTOFF_DAY
            data["period"] = reporting_period(kind, data["year"], number, cutoff_day=cutoff)
        return data


def current_month(today: dt.date) -> tuple[int, int]:
    """The reporting month (15th-to-14th) that `today` is in."""
    if today.day < OFFICIAL_CUTOFF_DAY:
        return today.year, today.month
    return (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)


def _period(request: HttpRequest) -> tuple[PeriodForm, Period, dict[str, str]]:
    """The period asked for (default: the current reporting month), the bound form, and
    the query parameters that name it (for the links)."""
    year, month = current_month(timezone.localdate())
    params = {key: request.GET[key] for key in PERIOD_PARAMS if request.GET.get(key)}
    if not params:
        params = {"kind": PeriodKind.MONTH.value, "year": str(year), "number": str(month)}
    form = PeriodForm(params)
    if not form.is_valid():
        messages = [
            str(m) if name == "__all__" else f"{form.fields[name].label}: {m}"
            for name, errors in form.errors.items()
            for m in errors
        ]
        raise BadRequest(" ".join(messages) or _("The period is not valid."))
    return form, form.cleaned_data["period"], params


def period_label(period: Period) -> str:
    first, last = period.first_day, period.last_day
    span = f"{first:%d/%m/%Y} \u2013 {last:%d/%m/%Y}"
    if period.kind is PeriodKind.MONTH:
        return _("Month %(m)s/%(y)s (%(span)s)") % {
            "m": period.number,
            "y": period.year,
            "span": span,
        }
    if period.kind is PeriodKind.QUARTER:
        return _("Quarter %(q)s/%(y)s (%(span)s)") % {
            "q": period.number,
            "y": period.year,
            "span": span,
        }
    names = {
        PeriodKind.SIX_MONTHS: _("6 months of %(y)s (%(span)s)"),
        PeriodKind.NINE_MONTHS: _("9 months of %(y)s (%(span)s)"),
        PeriodKind.YEAR: _("Year %(y)s (%(span)s)"),
    }
    if period.kind in names:
        return names[period.kind] % {"y": period.year, "span": span}
    return _("From %(first)s to %(last)s") % {
        "first": f"{first:%d/%m/%Y}",
        "last": f"{last:%d/%m/%Y}",
    }


def _query(scope: Scope, params: dict[str, str], **extra: object) -> str:
    values: dict[str, object] = dict(params)
    if scope.agency.pk != scope.root.pk:
        values["agency"] = scope.agency.pk
    values.update({k: v for k, v in extra.items() if v is not None})
    return urlencode(values)


def _context(
    desk: Desk, scope: Scope, form: PeriodForm, period: Period, params: dict[str, str]
) -> dict[str, Any]:
    return {
        "desk": desk,
        "scope": scope,
        "form": form,
        "period": period,
        "period_label": period_label(period),
        "params": params,
        "query": _query(scope, params),
        "kinds": PERIOD_KINDS,
    }


def _drill(scope: Scope, params: dict[str, str], **extra: object) -> str:
    return f"{reverse('backoffice:monitoring_dossiers')}?{_query(scope, params, **extra)}"


# --- the dashboard ----------------------------------------------------------------------------


def _trend_periods(period: Period, calendar: bool) -> list[Period]:
    """The twelve reporting months ending with the one that holds the period's last day."""
    last = period.last_day
    year, month = (last.year, last.month) if calendar else current_month(last)
    cutoff = None if calendar else OFFICIAL_CUTOFF_DAY
    months = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        index = year * 12 + month - 1 - back
        months.append(
            reporting_period(PeriodKind.MONTH, index // 12, index % 12 + 1, cutoff_day=cutoff)
        )
    return months


@monitoring_view
def dashboard(request: HttpRequest, desk: Desk, scope: Scope) -> HttpResponse:
    form, period, params = _period(request)
    now = timezone.now()
    agency = scope.agency
    # A period still running is shown up to today: "overdue at the period end" would count
    # dossiers that are not late yet. One Biểu 06 by agency gives both the totals and,
    # for a finished period, the ranking's current period.
    today = timezone.localdate(now)
    running = period.first_day <= today < period.last_day
    headline = date_range(period.first_day, today) if running else period
    headline_params = (
        {"kind": PeriodKind.RANGE.value, "first": f"{period.first_day}", "last": f"{today}"}
        if running
        else params
    )
    report = bieu06(agency=agency, period=headline, rows_by=RowsBy.AGENCY, source="auto")
    totals = report.totals
    index = index766(agency=agency, period=period)
    ranking = operations.agency_ranking(
        agency=agency, period=period, report=None if running else report
    )
    trend = operations.monthly_trend(
        agency=agency, periods=_trend_periods(period, bool(params.get("calendar")))
    )
    rating = operations.satisfaction(agency=agency, period=period)
    complaints = operations.complaints(agency=agency, period=period, now=now)
    urgent = operations.overdue_summary(agency=agency, now=now)[:10]
    labels = [f"{p.period.number:02d}/{p.period.year}" for p in trend]
    trend_rows = []
    for point in trend:
        month = {
            "kind": PeriodKind.RANGE.value,
            "first": point.period.first_day.isoformat(),
            "last": point.period.last_day.isoformat(),
        }
        trend_rows.append(
            {
                "point": point,
                "received": _drill(scope, month, source="online", all=1),
                "online": _drill(scope, month, source="online"),
                "resolved": _drill(scope, month, source="bieu06", column="resolved"),
                "late": _drill(scope, month, source="bieu06", column="late"),
            }
        )
    urgent_rows = [
        (
            r,
            _drill(scope, params, source="urgent", urgency="open", by="agency", key=r.key),
            _drill(scope, params, source="urgent", urgency="overdue", by="agency", key=r.key),
            _drill(scope, params, source="urgent", urgency="due_soon", by="agency", key=r.key),
        )
        for r in urgent
    ]
    drill = {
        name: _drill(scope, headline_params, source="bieu06", column=name)
        for name in ("received", "online", "resolved", "late", "in_progress", "overdue")
    }
    context = _context(desk, scope, form, period, params)
    context.update(
        {
            "totals": totals,
            "headline_to": today if running else None,
            "online_share": operations.share(totals.online, totals.online + totals.counter_postal),
            "drill": drill,
            "index": index,
            "ranking": ranking,
            "trend": trend,
            "trend_labels": labels,
            "rating": rating,
            "complaints": complaints,
            "urgent": urgent_rows,
            "trend_rows": trend_rows,
            "activity_link": f"{reverse('backoffice:monitoring_activity')}?{context['query']}",
            "now": now,
            "urgent_link": _drill(scope, params, source="urgent", urgency="overdue"),
            "index_link": f"{reverse('backoffice:monitoring_index766')}?{context['query']}",
            "trend_svg": charts.trend_chart(
                labels,
                [p.received for p in trend],
                [p.resolved for p in trend],
                received_label=_("Received"),
                resolved_label=_("Resolved"),
            ),
            "rate_svg": charts.rate_chart(
                labels, [p.on_time_rate for p in trend], label=_("On-time rate (%)")
            ),
            # A horizontal bar chart draws its first bar at the bottom: best at the top.
            "ranking_svg": charts.ranking_chart(
                [r.name for r in reversed(ranking[:15])],
                [r.rate for r in reversed(ranking[:15])],
                label=_("On-time rate (%)"),
            )
            if ranking
            else "",
            "score_svg": charts.score_chart(
                [g.name for g in reversed(index.groups)],
                [g.score for g in reversed(index.groups)],
                [g.max_points for g in reversed(index.groups)],
                score_label=_("Points"),
                max_label=_("Maximum"),
            )
            if index.groups
            else "",
        }
    )
    return render(request, "backoffice/monitoring/dashboard.html", context)


# --- Biểu 06 ----------------------------------------------------------------------------------

COLUMN_LABELS = {
    "received": gettext_lazy("Total received"),
    "online": gettext_lazy("Online"),
    "counter_postal": gettext_lazy("In person or by post"),
    "carried_over": gettext_lazy("From the previous period"),
    "resolved": gettext_lazy("Total resolved"),
    "early": gettext_lazy("Before the deadline"),
    "on_time": gettext_lazy("On time"),
    "late": gettext_lazy("Late"),
    "in_progress": gettext_lazy("Total being handled"),
    "in_time": gettext_lazy("Within the time limit"),
    "overdue": gettext_lazy("Overdue"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def _cells(
    scope: Scope, params: dict[str, str], rows_by: str, counts: Any, group: str, key: str
) -> list[dict[str, Any]]:
    return [
        {
            "value": getattr(counts, name),
            "url": _drill(
                scope,
                params,
                source="bieu06",
                column=name,
                rows_by=rows_by,
                group=group or None,
                key=key or None,
            ),
        }
        for name in COLUMNS
    ]


@monitoring_view
def bieu06_page(request: HttpRequest, desk: Desk, scope: Scope) -> HttpResponse:
    form, period, params = _period(request)
    rows_by = request.GET.get("rows_by", RowsBy.FIELD.value)
    if rows_by not in RowsBy._value2member_map_:
        raise BadRequest(_("Rows are by field or by agency."))
    report = bieu06(agency=scope.agency, period=period, rows_by=rows_by, source="auto")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            bieu06_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"bieu06-{scope.agency.code}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    groups = []
    for g in report.groups:
        groups.append(
            {
                "label": g.label,
                "cells": _cells(scope, params, rows_by, g.counts, g.level.value, ""),
                "identities": g.counts.identities_hold,
                "rows": [
                    {
                        "label": r.label,
                        "cells": _cells(
                            scope,
                            params,
                            rows_by,
                            r.counts,
                            g.level.value,
                            "none" if r.key is None else str(r.key),
                        ),
                        "identities": r.counts.identities_hold,
                    }
                    for r in g.rows
                ],
            }
        )
    context = _context(desk, scope, form, period, params)
    context.update(
        {
            "report": report,
            "rows_by": rows_by,
            "groups": groups,
            "totals": _cells(scope, params, rows_by, report.totals, "", ""),
            "totals_identities": report.totals.identities_hold,
            "numbers": [COLUMN_NUMBERS[n] for n in COLUMNS],
            "xlsx_query": _query(scope, params, rows_by=rows_by, format="xlsx"),
        }
    )
    return render(request, "backoffice/monitoring/bieu06.html", context)


# --- the 766 index ----------------------------------------------------------------------------


@monitoring_view
def index766_page(request: HttpRequest, desk: Desk, scope: Scope) -> HttpResponse:
    form, period, params = _period(request)
    index = index766(agency=scope.agency, period=period)
    groups = [
        {
            "group": g,
            "indicators": [
                {
                    "i": i,
                    "numerator_url": _drill(
                        scope, params, source="766", code=i.code, part="numerator"
                    ),
                    "denominator_url": _drill(
                        scope, params, source="766", code=i.code, part="denominator"
                    ),
                }
                for i in g.indicators
            ],
        }
        for g in index.groups
    ]
    context = _context(desk, scope, form, period, params)
    context.update({"index": index, "groups": groups})
    return render(request, "backoffice/monitoring/index766.html", context)


# --- operational views ------------------------------------------------------------------------

GROUP_LABELS = {
    operations.GroupBy.AGENCY: gettext_lazy("By agency"),
    operations.GroupBy.STEP: gettext_lazy("By step"),
    operations.GroupBy.OFFICER: gettext_lazy("By officer"),
}


@monitoring_view
def overdue_page(request: HttpRequest, desk: Desk, scope: Scope) -> HttpResponse:
    form, period, params = _period(request)
    group_by = request.GET.get("by", operations.GroupBy.AGENCY.value)
    if group_by not in operations.GroupBy._value2member_map_:
        raise BadRequest(_("Group by agency, step or officer."))
    now = timezone.now()
    rows = operations.overdue_summary(agency=scope.agency, now=now, group_by=group_by)
    lines = [
        {
            "row": r,
            "links": {
                u.value: _drill(
                    scope, params, source="urgent", urgency=u.value, by=group_by, key=r.key
                )
                for u in operations.Urgency
            },
        }
        for r in rows
    ]
    context = _context(desk, scope, form, period, params)
    context.update(
        {
            "lines": lines,
            "group_by": group_by,
            "groupings": [(g.value, label) for g, label in GROUP_LABELS.items()],
            "now": now,
        }
    )
    return render(request, "backoffice/monitoring/overdue.html", context)


@monitoring_view
def activity_page(request: HttpRequest, desk: Desk, scope: Scope) -> HttpResponse:
    form, period, params = _period(request)
    raw_months = request.GET.get("months", "12")
    if not raw_months.isdigit() or not 1 <= int(raw_months) <= 120:
        raise BadRequest(_("The number of months must be between 1 and 120."))
    months = int(raw_months)
    now = timezone.now()
    agency = scope.agency
    steps = operations.step_timeliness(agency=agency, period=period)
    officers = operations.officer_timeliness(agency=agency, period=period)
    online = operations.online_share_by_procedure(agency=agency, period=period)
    context = _context(desk, scope, form, period, params)
    context.update(
        {
            "steps": [
                (
                    r,
                    _drill(scope, params, source="handover", by="step", key=r.key),
                    _drill(scope, params, source="handover", by="step", key=r.key, late=1),
                )
                for r in steps
            ],
            "officers": [
                (
                    r,
                    _drill(scope, params, source="handover", by="officer", key=r.key),
                    _drill(scope, params, source="handover", by="officer", key=r.key, late=1),
                )
                for r in officers
            ],
            "online": [
                (
                    r,
                    _drill(scope, params, source="online", procedure=r.procedure_id, all=1),
                    _drill(scope, params, source="online", procedure=r.procedure_id),
                )
                for r in online
            ],
            "idle": operations.idle_procedures(agency=agency, now=now, months=months),
            "months": months,
            "rating": operations.satisfaction(agency=agency, period=period),
            "rating_links": {
                level: _drill(scope, params, source="rating", level=level)
                for level in ("very_satisfied", "satisfied", "dissatisfied")
            },
            "complaints": operations.complaints(agency=agency, period=period, now=now),
        }
    )
    return render(request, "backoffice/monitoring/activity.html", context)


# --- the dossiers behind a number -------------------------------------------------------------


def _drill_queryset(
    request: HttpRequest, scope: Scope, period: Period
) -> tuple[QuerySet[Dossier], str]:
    """The dossiers a drill-down link names and a title for them, or BadRequest."""
    get = request.GET.get
    source = get("source", "")
    agency = scope.agency
    try:
        if source == "bieu06":
            column = get("column", "")
            if column not in COLUMN_LABELS:
                raise BadRequest(_("Unknown column of the form."))
            qs = operations.bieu06_cell_dossiers(
                agency=agency,
                period=period,
                column=column,
                rows_by=get("rows_by", RowsBy.FIELD.value),
                group=get("group", ""),
                key=get("key", ""),
            )
            title = _("Form 06, column (%(n)s): %(label)s") % {
                "n": COLUMN_NUMBERS[column],
                "label": COLUMN_LABELS[column],
            }
            return qs, title
        if source == "766":
            part = get("part", "numerator")
            qs = index766_dossiers(agency, period, get("code", ""), part=part)
            title = _("766 indicator %(code)s: %(part)s") % {
                "code": get("code", ""),
                "part": _("numerator") if part == "numerator" else _("denominator"),
            }
            return qs, title
        if source == "urgent":
            urgency = operations.Urgency(get("urgency", ""))
            qs = operations.urgent_dossiers(
                agency=agency,
                now=timezone.now(),
                urgency=urgency,
                group_by=get("by") or None,
                key=get("key", ""),
            )
            return qs, str(URGENCY_LABELS[urgency])
        if source == "handover":
            late = get("late") == "1"
            qs = operations.hand_over_dossiers(
                agency=agency, period=period, by=get("by", ""), key=get("key", ""), late_only=late
            )
            title = (
                _("Dossiers handed on after their due moment")
                if late
                else _("Dossiers handed on from this step")
            )
            return qs, title
        if source == "online":
            raw = get("procedure", "")
            procedure = int(raw) if raw.isdigit() else None
            everything = get("all") == "1"
            qs = operations.online_dossiers(
                agency=agency, period=period, procedure_id=procedure, online_only=not everything
            )
            return qs, _("Dossiers received") if everything else _("Dossiers received online")
        if source == "rating":
            level = get("level", "")
            if level not in ("very_satisfied", "satisfied", "dissatisfied"):
                raise BadRequest(_("Unknown satisfaction level."))
            qs = operations.rated_dossiers(agency=agency, period=period, level=level)
            return qs, _("Rated dossiers")
    except (ValueError, LookupError):
        raise BadRequest(_("This list does not exist; go back and choose a number.")) from None
    raise BadRequest(_("This list does not exist; go back and choose a number."))


URGENCY_LABELS = {
    operations.Urgency.OPEN: gettext_lazy("Open dossiers"),
    operations.Urgency.OVERDUE: gettext_lazy("Overdue dossiers"),
    operations.Urgency.DUE_SOON: gettext_lazy("Dossiers due within two days"),
    operations.Urgency.STEP_OVERDUE: gettext_lazy("Dossiers past their step's time budget"),
}


@monitoring_view
def dossiers_page(request: HttpRequest, desk: Desk, scope: Scope) -> HttpResponse:
    form, period, params = _period(request)
    qs, title = _drill_queryset(request, scope, period)
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= 10_000:
        raise BadRequest(_("The page number is not valid."))
    page = int(raw_page)
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        qs.select_related("procedure", "handling_agency", "current_agency", "assignee").order_by(
            "received_at", "pk"
        )[offset : offset + PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    base = request.GET.copy()
    base.pop("page", None)
    context = _context(desk, scope, form, period, params)
    context.update(
        {
            "title": title,
            "rows": rows[:PAGE_SIZE],
            "page": page,
            "first_number": offset + 1,
            "next_query": f"{base.urlencode()}&page={page + 1}" if more else "",
            "previous_query": f"{base.urlencode()}&page={page - 1}" if page > 1 else "",
            # The period form of the page keeps the list it shows.
            "hidden": [
                (k, v)
                for k, v in request.GET.items()
                if k not in {*PERIOD_PARAMS, "agency", "page"}
            ],
            "now": timezone.now(),
            "tz": VN_TZ,
        }
    )
    return render(request, "backoffice/monitoring/dossiers.html", context)
