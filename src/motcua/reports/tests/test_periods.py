"""Reporting periods: the 15th-to-14th cut-off of Decree 09/2019 (DOMAIN.md section 3),
calendar periods, and free ranges; every period is [start, end) in Vietnam's time."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.domain.calendar import VN_TZ
from motcua.reports.periods import (
    Period,
    PeriodKind,
    date_range,
    parse_period,
    reporting_period,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "number", "first", "last"),
    [
        pytest.param(
            "month", 2026, 1, D(2025, 12, 15), D(2026, 1, 14), id="january-from-15-december"
        ),
        pytest.param("month", 2026, 3, D(2026, 2, 15), D(2026, 3, 14), id="march"),
        pytest.param("month", 2026, 12, D(2026, 11, 15), D(2026, 12, 14), id="december"),
        pytest.param("quarter", 2026, 1, D(2025, 12, 15), D(2026, 3, 14), id="q1-15-12-to-14-3"),
        pytest.param("quarter", 2026, 2, D(2026, 3, 15), D(2026, 6, 14), id="q2"),
        pytest.param("quarter", 2026, 4, D(2026, 9, 15), D(2026, 12, 14), id="q4"),
        pytest.param("six_months", 2026, 1, D(2025, 12, 15), D(2026, 6, 14), id="six-months"),
        pytest.param("nine_months", 2026, 1, D(2025, 12, 15), D(2026, 9, 14), id="nine-months"),
        pytest.param("year", 2026, 1, D(2025, 12, 15), D(2026, 12, 14), id="year"),
    ],
)
def test_official_periods_run_from_the_15th_to_the_14th(
    kind: str, year: int, number: int, first: dt.date, last: dt.date
) -> None:
    period = reporting_period(kind, year, number)
    assert (period.first_day, period.last_day) == (first, last)
    assert period.start == dt.datetime(first.year, first.month, first.day, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("kind", "year", "number", "first", "last"),
    [
        pytest.param("month", 2024, 2, D(2024, 2, 1), D(2024, 2, 29), id="leap-february"),
        pytest.param("month", 2026, 12, D(2026, 12, 1), D(2026, 12, 31), id="december"),
        pytest.param("quarter", 2026, 1, D(2026, 1, 1), D(2026, 3, 31), id="q1"),
        pytest.param("quarter", 2026, 4, D(2026, 10, 1), D(2026, 12, 31), id="q4"),
        pytest.param("six_months", 2026, 1, D(2026, 1, 1), D(2026, 6, 30), id="six-months"),
        pytest.param("nine_months", 2026, 1, D(2026, 1, 1), D(2026, 9, 30), id="nine-months"),
        pytest.param("year", 2026, 1, D(2026, 1, 1), D(2026, 12, 31), id="year"),
    ],
)
def test_calendar_periods_on_request(
    kind: str, year: int, number: int, first: dt.date, last: dt.date
) -> None:
    period = reporting_period(kind, year, number, cutoff_day=None)
    assert (period.first_day, period.last_day) == (first, last)


def test_a_period_is_half_open_at_midnight_vietnam_time() -> None:
    q1 = reporting_period(PeriodKind.QUARTER, 2026, 1)
    assert q1.contains(dt.datetime(2025, 12, 15, 0, 0, tzinfo=VN_TZ))
    assert q1.contains(dt.datetime(2026, 3, 14, 23, 59, 59, tzinfo=VN_TZ))
    assert not q1.contains(dt.datetime(2026, 3, 15, 0, 0, tzinfo=VN_TZ))
    # 14/12 17:30 UTC is already 15/12 00:30 in Vietnam: inside Q1 2026.
    assert q1.contains(dt.datetime(2025, 12, 14, 17, 30, tzinfo=dt.UTC))
    # Consecutive quarters touch without overlap.
    assert reporting_period("quarter", 2026, 2).start == q1.end


def test_free_range_includes_both_days() -> None:
    period = date_range(D(2026, 3, 9), D(2026, 3, 9))
    assert (period.first_day, period.last_day) == (D(2026, 3, 9), D(2026, 3, 9))
    assert period.end - period.start == dt.timedelta(days=1)


def test_previous_period() -> None:
    assert reporting_period("quarter", 2026, 1).previous() == reporting_period("quarter", 2025, 4)
    assert reporting_period("month", 2026, 1, cutoff_day=None).previous() == reporting_period(
        "month", 2025, 12, cutoff_day=None
    )
    assert reporting_period("year", 2026).previous() == reporting_period("year", 2025)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda: reporting_period("month", 2026, 13), "month", id="month-13"),
        pytest.param(lambda: reporting_period("quarter", 2026, 0), "quarter", id="quarter-0"),
        pytest.param(lambda: reporting_period("week", 2026), "week", id="unknown-kind"),
        pytest.param(
            lambda: reporting_period("month", 2026, 1, cutoff_day=31), "cut-off", id="day-31"
        ),
        pytest.param(lambda: date_range(D(2026, 3, 2), D(2026, 3, 1)), "before", id="reversed"),
        pytest.param(
            lambda: Period(dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)), "aware", id="naive"
        ),
    ],
)
def test_bad_periods_are_refused(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026", dt.date(2025, 12, 15), dt.date(2026, 12, 14)),
        ("2026-Q1", dt.date(2025, 12, 15), dt.date(2026, 3, 14)),
        ("2026-q3", dt.date(2026, 6, 15), dt.date(2026, 9, 14)),
        ("2026-07", dt.date(2026, 6, 15), dt.date(2026, 7, 14)),
        ("2026-6M", dt.date(2025, 12, 15), dt.date(2026, 6, 14)),
        ("2026-9M", dt.date(2025, 12, 15), dt.date(2026, 9, 14)),
        ("2026-03-01..2026-03-31", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    ],
)
def test_parse_period(text: str, first: dt.date, last: dt.date) -> None:
    period = parse_period(text)
    assert (period.first_day, period.last_day) == (first, last)


def test_parse_period_calendar_and_errors() -> None:
    q1 = parse_period("2026-Q1", cutoff_day=None)
    assert (q1.first_day, q1.last_day) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    for bad in ("26-Q1", "2026-Q5", "2026-13", "2026-X", "last year"):
        with pytest.raises(ValueError):
            parse_period(bad)
