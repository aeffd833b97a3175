"""The monitoring pages: who may see them, which agencies, bad parameters, the numbers
and their drill-downs, the Excel download, and how many queries each page costs."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, at, receive_walk_in

# The week of 16-20 March 2026 as a from-to range.
WEEK = {"kind": "range", "first": "2026-03-16", "last": "2026-03-20"}


def _resolve(world: World, dossier: Dossier, when: dt.datetime) -> None:
    assert dossier.code
    services.dossier_forward(
        actor=world.specialist, code=dossier.code, now=when - dt.timedelta(minutes=5)
    )
    services.dossier_resolve(
        actor=world.leader,
        code=dossier.code,
        result_number="01/KQ",
        result_signer="Lãnh Đạo",
        result_date=when.date(),
        now=when,
    )


@pytest.fixture
def week(world: World) -> dict[str, Dossier]:
    d = {
        # Received Mon 16 09:00 (due Thu 19 09:00), still open: overdue at the period end.
        "late_open": receive_walk_in(world, now=at(16, 9)),
        # Received Mon 9 (due Thu 12), resolved Tue 17: carried over, resolved late.
        "late": receive_walk_in(world, now=at(9, 9)),
        # Received Tue 17, resolved Wed 18: resolved early.
        "early": receive_walk_in(world, now=at(17, 9)),
        # Another province's dossier in the same week.
        "away": receive_walk_in(
            world,
            now=at(16, 9),
            procedure_code=world.away.procedure.code,
            actor=world.away_receiver,
        ),
    }
    _resolve(world, d["late"], at(17, 10))
    _resolve(world, d["early"], at(18, 10))
    return d


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, name: str, **params: Any) -> Any:
    return client.get(reverse(f"backoffice:{name}"), params)


# Queries per page (sessions, memberships, agencies and the report's aggregates): a fixed
# number, whatever the number of dossiers, agencies or rows.
BUDGETS = {
    "monitoring": 26,
    "monitoring_bieu06": 10,
    "monitoring_index766": 11,
    "monitoring_overdue": 6,
    "monitoring_activity": 12,
}
PAGES = list(BUDGETS)


@pytest.mark.parametrize("page", PAGES)
def test_leaders_and_monitors_see_each_page_within_a_query_budget(
    world: World,
    week: dict[str, Dossier],
    page: str,
    django_assert_max_num_queries: Any,
) -> None:
    client = _client(world.province_monitor)
    with django_assert_max_num_queries(BUDGETS[page]):
        response = _get(client, page, **WEEK)
    assert response.status_code == 200
    assert world.home.root.name in response.content.decode()
    assert _get(_client(world.leader), page, **WEEK).status_code == 200


@pytest.mark.parametrize("page", [*PAGES, "monitoring_dossiers"])
@pytest.mark.parametrize("who", ["specialist", "receiver", "clerk", "applicant"])
def test_other_roles_are_refused(world: World, page: str, who: str) -> None:
    response = _get(_client(getattr(world, who)), page, **WEEK)
    assert response.status_code == 403
    assert "lãnh đạo" in response.content.decode().lower()


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("backoffice:monitoring"))
    assert response.status_code == 302
    assert reverse("backoffice:login") in response["Location"]


def test_the_dashboard_shows_the_period_numbers_with_their_drill_downs(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.province_monitor)
    response = _get(client, "monitoring", **WEEK)
    page = response.content.decode()
    context = response.context
    totals = context["totals"]
    # Received: the open one, the early one (new) and the late one (carried over).
    assert (totals.received, totals.resolved, totals.late, totals.overdue) == (3, 2, 1, 1)
    assert "<svg" in page and "<script" not in page
    # A chart's figures are also in a table.
    assert "Số liệu của biểu đồ" in page
    ranking = context["ranking"]
    assert [(r.name, r.resolved) for r in ranking] == [(world.home.ward.name, 2)]
    # The drill-down behind "overdue" lists exactly the open late dossier.
    drill = client.get(context["drill"]["overdue"])
    assert drill.status_code == 200
    assert [d.code for d in drill.context["rows"]] == [week["late_open"].code]
    assert world.away.ward.name not in page


def test_a_commune_leader_sees_only_the_commune(world: World, week: dict[str, Dossier]) -> None:
    response = _get(_client(world.leader), "monitoring", **WEEK)
    assert response.context["scope"].agency == world.home.ward
    assert [a.pk for a in response.context["scope"].choices] == [
        world.home.ward.pk,
        world.home.center.pk,
        world.home.office.pk,
    ]


def test_a_monitor_may_choose_a_sub_agency_but_nothing_outside(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.province_monitor)
    response = _get(client, "monitoring_bieu06", agency=world.justice.pk, **WEEK)
    assert response.status_code == 200
    assert response.context["report"].totals.received == 0
    # Another province's agency, for a province monitor, and the province, for a ward leader.
    assert _get(client, "monitoring", agency=world.away.ward.pk, **WEEK).status_code == 404
    leader = _client(world.leader)
    assert _get(leader, "monitoring", agency=world.home.root.pk, **WEEK).status_code == 404


def test_an_officer_of_another_province_sees_nothing_of_this_one(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.away_monitor)
    response = _get(client, "monitoring_bieu06", **WEEK)
    assert response.context["report"].totals.received == 1
    assert world.home.ward.name not in response.content.decode()
    drill = _get(client, "monitoring_dossiers", source="bieu06", column="received", **WEEK)
    assert [d.code for d in drill.context["rows"]] == [week["away"].code]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "decade", "year": "2026"},
        {"kind": "month", "year": "20x6", "number": "3"},
        {"kind": "month", "year": "2026", "number": "13"},
        {"kind": "quarter", "year": "2026", "number": "5"},
        {"kind": "range", "first": "2026-03-20", "last": "2026-03-16"},
        {"kind": "range", "first": "2026-03-16"},
        {"kind": "range", "first": "16/03/2026x", "last": "2026-03-20"},
        {**WEEK, "agency": "abc"},
        {**WEEK, "rows_by": "planet"},
    ],
)
def test_bad_parameters_get_a_clear_vietnamese_error(world: World, params: dict[str, str]) -> None:
    response = _get(_client(world.province_monitor), "monitoring_bieu06", **params)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    # The message is Vietnamese (the interface's language), not an English msgid.
    message = str(response.context["error"])
    assert message and any(ord(ch) > 0x7F for ch in message)


@pytest.mark.parametrize(
    "params",
    [
        {"source": "bieu06", "column": "nothing"},
        {"source": "766", "code": "9.9"},
        {"source": "urgent", "urgency": "whenever"},
        {"source": "urgent", "urgency": "open", "by": "agency", "key": "x"},
        {"source": "handover", "by": "moon", "key": "1"},
        {"source": "rating", "level": "ecstatic"},
        {"source": "nowhere"},
        {"source": "bieu06", "column": "received", "page": "0"},
        {"source": "bieu06", "column": "received", "rows_by": "agency", "key": "x"},
    ],
)
def test_bad_drill_down_parameters_are_a_400_not_a_500(
    world: World, params: dict[str, str]
) -> None:
    response = _get(_client(world.province_monitor), "monitoring_dossiers", **WEEK, **params)
    assert response.status_code == 400


def test_bieu06_page_links_every_cell_and_downloads_the_excel_form(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.province_monitor)
    response = _get(client, "monitoring_bieu06", rows_by="agency", **WEEK)
    assert response.status_code == 200
    (group,) = response.context["groups"]
    (row,) = group["rows"]
    assert row["label"] == world.home.ward.name and row["identities"]
    late = client.get(row["cells"][7]["url"])  # column (10): resolved late
    assert [d.code for d in late.context["rows"]] == [week["late"].code]
    download = _get(client, "monitoring_bieu06", format="xlsx", **WEEK)
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "(14)" in values


def test_the_766_page_shows_numerator_and_denominator_with_drill_downs(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.province_monitor)
    response = _get(client, "monitoring_index766", **WEEK)
    indicator = response.context["index"].indicator("2.1")
    # On time or in time: the early one; of the three taken for handling.
    assert (indicator.numerator, indicator.denominator) == (1, 3)
    line = next(
        x for g in response.context["groups"] for x in g["indicators"] if x["i"].code == "2.1"
    )
    drill = client.get(line["numerator_url"])
    assert [d.code for d in drill.context["rows"]] == [week["early"].code]


def test_the_overdue_page_groups_by_officer_and_links_its_numbers(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.province_monitor)
    response = _get(client, "monitoring_overdue", by="officer", **WEEK)
    (line,) = response.context["lines"]
    assert (line["row"].label, line["row"].open) == ("Chưa phân công", 1)
    drill = client.get(line["links"]["open"])
    assert [d.code for d in drill.context["rows"]] == [week["late_open"].code]


def test_the_drill_down_pages_fifty_at_a_time(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for i in range(51):
        receive_walk_in(world, now=at(16, 8) + dt.timedelta(minutes=i))
    client = _client(world.province_monitor)
    with django_assert_max_num_queries(12):
        first = _get(client, "monitoring_dossiers", source="bieu06", column="received", **WEEK)
    assert len(first.context["rows"]) == 50 and first.context["next_query"]
    # Choosing another period on the list keeps the list.
    page = first.content.decode()
    assert '<input type="hidden" name="source" value="bieu06">' in page
    assert '<input type="hidden" name="column" value="received">' in page
    second = client.get(
        reverse("backoffice:monitoring_dossiers") + "?" + first.context["next_query"]
    )
    assert len(second.context["rows"]) == 1


@pytest.mark.parametrize(
    ("params", "first", "last", "label"),
    [
        (
            {"kind": "quarter", "year": "2026", "number": "1"},
            "2025-12-15",
            "2026-03-14",
            "Quý 1/2026",
        ),
        (
            {"kind": "quarter", "year": "2026", "number": "1", "calendar": "1"},
            "2026-01-01",
            "2026-03-31",
            "Quý 1/2026",
        ),
        ({"kind": "six_months", "year": "2026"}, "2025-12-15", "2026-06-14", "6 tháng năm 2026"),
        ({"kind": "nine_months", "year": "2026"}, "2025-12-15", "2026-09-14", "9 tháng năm 2026"),
        ({"kind": "year", "year": "2026", "calendar": "1"}, "2026-01-01", "2026-12-31", "Năm 2026"),
        (
            {"kind": "month", "year": "2026", "number": "3"},
            "2026-02-15",
            "2026-03-14",
            "Tháng 3/2026",
        ),
        (WEEK, "2026-03-16", "2026-03-20", "Từ ngày 16/03/2026 đến ngày 20/03/2026"),
    ],
)
def test_period_presets_follow_the_cut_off_or_the_calendar(
    world: World, params: dict[str, str], first: str, last: str, label: str
) -> None:
    response = _get(_client(world.province_monitor), "monitoring_bieu06", **params)
    period = response.context["period"]
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)
    assert response.context["period_label"].startswith(label)
    # The links of the page keep the period.
    assert all(f"{k}={v}" in response.context["query"] for k, v in params.items())


def test_the_default_period_is_the_current_reporting_month(world: World) -> None:
    from django.utils import timezone

    from motcua.backoffice.monitoring_views import current_month

    response = _get(_client(world.province_monitor), "monitoring")
    period = response.context["period"]
    year, month = current_month(timezone.localdate())
    assert (period.kind, period.year, period.number) == ("month", year, month)
    assert period.first_day <= timezone.localdate() <= period.last_day
    # The current period still runs: its headline numbers stop at today.
    if timezone.localdate() < period.last_day:
        assert response.context["headline_to"] == timezone.localdate()
        assert f"last={timezone.localdate()}" in response.context["drill"]["overdue"]
    assert current_month(dt.date(2026, 12, 14)) == (2026, 12)
    assert current_month(dt.date(2026, 12, 15)) == (2027, 1)


def test_the_trend_table_links_each_month_to_its_dossiers(
    world: World, week: dict[str, Dossier]
) -> None:
    client = _client(world.province_monitor)
    response = _get(client, "monitoring", kind="month", year="2026", number="3")
    march = response.context["trend_rows"][-1]
    assert march["point"].period.first_day == dt.date(2026, 2, 15)
    # Received in the reporting month of March (15/2 - 14/3): the late one, on 9/3.
    received = client.get(march["received"])
    assert [d.code for d in received.context["rows"]] == [week["late"].code]
    april = _get(client, "monitoring", kind="month", year="2026", number="4")
    late = client.get(april.context["trend_rows"][-1]["late"])
    assert [d.code for d in late.context["rows"]] == [week["late"].code]
