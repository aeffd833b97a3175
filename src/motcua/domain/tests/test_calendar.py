"""The working calendar: which days are worked, in which sessions, how much working time
lies between two moments. No database, no clock: every date is an argument."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.domain.calendar import (
    DEFAULT_SESSIONS,
    VN_TZ,
    DayKind,
    Override,
    Schedule,
    Session,
    WorkingCalendar,
    format_sessions,
    national_calendar,
    parse_sessions,
)

CAL = national_calendar()
HOUR_US = 3_600_000_000


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


# --- sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("07:30-11:30, 13:00-17:00", DEFAULT_SESSIONS, id="default"),
        pytest.param(" 07:30 - 11:30 ;13:00-17:00 ", DEFAULT_SESSIONS, id="semicolon-spaces"),
        pytest.param("7:30-11:30,13:00-17:00", DEFAULT_SESSIONS, id="one-digit-hour"),
        pytest.param("07:30\u201311:30, 13:00\u201317:00", DEFAULT_SESSIONS, id="en-dash"),
        pytest.param(
            "08:00-12:00",
            (Session(time(8), time(12)),),
            id="single-session",
        ),
        pytest.param(
            "07:30:15-11:30:45",
            (Session(time(7, 30, 15), time(11, 30, 45)),),
            id="with-seconds",
        ),
        pytest.param(
            "07:00-11:30, 11:30-17:00",
            (Session(time(7), time(11, 30)), Session(time(11, 30), time(17))),
            id="touching-sessions",
        ),
    ],
)
def test_parse_sessions_accepts(text: str, expected: tuple[Session, ...]) -> None:
    assert parse_sessions(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "No working sessions", id="empty"),
        pytest.param("   ", "No working sessions", id="blank"),
        pytest.param("morning", "Cannot read", id="not-a-session"),
        pytest.param("07:30-11:30,", "Cannot read", id="trailing-separator"),
        pytest.param("0730-1130", "Cannot read", id="no-colon"),
        pytest.param("25:00-26:00", "Not a valid time", id="hour-out-of-range"),
        pytest.param("07:61-11:30", "Not a valid time", id="minute-out-of-range"),
        pytest.param("11:30-07:30", "must end after it starts", id="reversed"),
        pytest.param("07:30-07:30", "must end after it starts", id="zero-length"),
        pytest.param("07:30-12:00, 11:30-17:00", "must not overlap", id="overlapping"),
        pytest.param("13:00-17:00, 07:30-11:30", "must be in order", id="unordered"),
    ],
)
def test_parse_sessions_rejects_with_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sessions(text)


def test_format_sessions_writes_the_stored_form() -> None:
    assert format_sessions(DEFAULT_SESSIONS) == "07:30-11:30, 13:00-17:00"


@st.composite
def session_tuples(draw: st.DrawFn) -> tuple[Session, ...]:
    minutes = sorted(
        draw(st.lists(st.integers(0, 23 * 60 + 59), min_size=2, max_size=8, unique=True))
    )
    if len(minutes) % 2:
        minutes.pop()
    return tuple(
        Session(time(*divmod(a, 60)), time(*divmod(b, 60)))
        for a, b in zip(minutes[::2], minutes[1::2], strict=True)
    )


@settings(max_examples=100)
@given(session_tuples())
def test_format_then_parse_round_trips(sessions: tuple[Session, ...]) -> None:
    assert parse_sessions(format_sessions(sessions)) == sessions


def test_schedule_needs_sessions() -> None:
    with pytest.raises(ValueError, match="at least one working session"):
        Schedule(date(2026, 1, 1), ())


def test_calendar_rejects_two_schedules_on_one_date() -> None:
    with pytest.raises(ValueError, match="Two working schedules"):
        WorkingCalendar(
            schedules=[
                Schedule(date(2026, 1, 1), DEFAULT_SESSIONS),
                Schedule(date(2026, 1, 1), parse_sessions("08:00-12:00, 13:00-17:00")),
            ]
        )


def test_calendar_needs_a_schedule() -> None:
    with pytest.raises(ValueError, match="at least one schedule"):
        WorkingCalendar(schedules=[])


# --- working days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "worked"),
    [
        pytest.param(date(2026, 11, 23), True, id="ordinary-monday"),
        pytest.param(date(2026, 11, 21), False, id="ordinary-saturday"),
        pytest.param(date(2026, 11, 22), False, id="ordinary-sunday"),
        pytest.param(date(2026, 1, 1), False, id="2026-new-year"),
        pytest.param(date(2026, 2, 13), True, id="2026-friday-before-tet"),
        pytest.param(date(2026, 2, 16), False, id="2026-tet-29-chap"),
        pytest.param(date(2026, 2, 20), False, id="2026-tet-mung-4"),
        pytest.param(date(2026, 2, 23), True, id="2026-back-after-tet"),
        pytest.param(date(2026, 4, 27), False, id="2026-gio-to-compensatory-monday"),
        pytest.param(date(2026, 4, 30), False, id="2026-reunification"),
        pytest.param(date(2026, 5, 1), False, id="2026-labour-day"),
        pytest.param(date(2026, 8, 22), True, id="2026-makeup-saturday"),
        pytest.param(date(2026, 8, 31), False, id="2026-swapped-monday"),
        pytest.param(date(2026, 9, 1), False, id="2026-national-day-1"),
        pytest.param(date(2026, 9, 2), False, id="2026-national-day-2"),
        pytest.param(date(2026, 11, 24), False, id="2026-culture-day"),
        pytest.param(date(2024, 2, 8), False, id="2024-tet-first"),
        pytest.param(date(2024, 2, 14), False, id="2024-tet-last-compensatory"),
        pytest.param(date(2024, 2, 15), True, id="2024-back-after-tet"),
        pytest.param(date(2024, 4, 29), False, id="2024-swapped-monday"),
        pytest.param(date(2024, 5, 4), True, id="2024-makeup-saturday"),
        pytest.param(date(2025, 1, 27), False, id="2025-tet-first"),
        pytest.param(date(2025, 4, 26), True, id="2025-makeup-saturday"),
        pytest.param(date(2025, 5, 2), False, id="2025-swapped-friday"),
        pytest.param(date(1990, 1, 1), False, id="1990-new-year"),
        pytest.param(date(1990, 1, 2), True, id="1990-ordinary-tuesday"),
        pytest.param(date(2100, 1, 1), False, id="2100-new-year"),
        pytest.param(date(2101, 1, 3), True, id="2101-weekday-no-holiday-data"),
    ],
)
def test_national_working_days(day: date, worked: bool) -> None:
    assert CAL.is_working_day(day) is worked
    assert bool(CAL.sessions_on(day)) is worked


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_working_day_rule_matches_the_holidays_table(day: date) -> None:
    table = holidays.country_holidays("VN", years=range(day.year - 1, day.year + 2))
    expected = day in table.weekend_workdays if day.weekday() >= 5 else day not in table
    assert CAL.is_working_day(day) is expected


def test_without_national_holidays_only_weekends_are_off() -> None:
    plain = WorkingCalendar(use_national_holidays=False)
    assert plain.is_working_day(date(2026, 2, 16))  # Tết Monday
    assert not plain.is_working_day(date(2026, 8, 22))  # no make-up Saturday either


@pytest.mark.parametrize(
    ("overrides", "day", "worked"),
    [
        pytest.param(
            [Override(date(2026, 11, 16), DayKind.DAY_OFF)],
            date(2026, 11, 16),
            False,
            id="day-off-on-a-monday",
        ),
        pytest.param(
            [Override(date(2026, 11, 15), DayKind.WORKING_DAY)],
            date(2026, 11, 15),
            True,
            id="working-sunday",
        ),
        pytest.param(
            [Override(date(2026, 2, 16), DayKind.WORKING_DAY)],
            date(2026, 2, 16),
            True,
            id="wins-over-tet",
        ),
        pytest.param(
            [Override(date(2026, 8, 22), DayKind.DAY_OFF)],
            date(2026, 8, 22),
            False,
            id="wins-over-makeup-saturday",
        ),
        pytest.param(
            [
                Override(date(2026, 11, 16), DayKind.DAY_OFF, "national"),
                Override(date(2026, 11, 16), DayKind.WORKING_DAY, "agency"),
            ],
            date(2026, 11, 16),
            True,
            id="later-override-wins",
        ),
        pytest.param(
            [Override(date(2026, 11, 16), "day_off")],  # type: ignore[arg-type]
            date(2026, 11, 16),
            False,
            id="stored-string-kind",
        ),
    ],
)
def test_overrides_win(overrides: list[Override], day: date, worked: bool) -> None:
    assert WorkingCalendar(overrides=overrides).is_working_day(day) is worked


def test_effective_dated_schedules() -> None:
    agency_hours = parse_sessions("08:00-12:00, 13:00-17:00")
    summer = parse_sessions("07:00-11:00, 13:30-17:30")
    cal = WorkingCalendar(
        schedules=[
            Schedule(date(2026, 11, 16), agency_hours),
            Schedule(date(2026, 1, 1), DEFAULT_SESSIONS),
            Schedule(date(2027, 4, 15), summer),
        ]
    )
    assert cal.sessions_on(date(2025, 6, 2)) == DEFAULT_SESSIONS  # before the first one
    assert cal.sessions_on(date(2026, 11, 13)) == DEFAULT_SESSIONS
    assert cal.sessions_on(date(2026, 11, 16)) == agency_hours  # on its effective date
    assert cal.sessions_on(date(2027, 4, 14)) == agency_hours
    assert cal.sessions_on(date(2027, 4, 15)) == summer
    assert cal.sessions_on(date(2026, 11, 21)) == ()  # a Saturday has none


@pytest.mark.parametrize(
    ("day", "include_self", "expected"),
    [
        pytest.param(date(2026, 2, 13), False, date(2026, 2, 23), id="over-tet"),
        pytest.param(date(2026, 2, 13), True, date(2026, 2, 13), id="self-is-working"),
        pytest.param(date(2026, 2, 14), True, date(2026, 2, 23), id="self-is-off"),
        pytest.param(date(2026, 8, 21), False, date(2026, 8, 22), id="to-makeup-saturday"),
        pytest.param(date(2026, 11, 23), False, date(2026, 11, 25), id="over-culture-day"),
    ],
)
def test_next_working_day(day: date, include_self: bool, expected: date) -> None:
    assert CAL.next_working_day(day, include_self=include_self) == expected


def test_working_days_between_counts_half_open_range() -> None:
    # February 2026: 20 weekdays, 5 of them Tết days off.
    assert CAL.working_days_between(date(2026, 2, 1), date(2026, 3, 1)) == 15
    assert CAL.working_days_between(date(2026, 3, 1), date(2026, 2, 1)) == 0
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 13)) == 0
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 14)) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=800),
)
def test_working_days_between_matches_counting_one_by_one(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    expected = sum(CAL.is_working_day(start + timedelta(days=i)) for i in range(span))
    assert CAL.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 11, 23), vn(2026, 11, 23, 17), id="working-day"),
        pytest.param(date(2026, 11, 24), vn(2026, 11, 25, 17), id="holiday"),
        pytest.param(date(2026, 11, 21), vn(2026, 11, 23, 17), id="saturday"),
    ],
)
def test_close_of_business(day: date, expected: datetime) -> None:
    assert CAL.close_of_business(day) == expected


def test_national_calendar_is_shared() -> None:
    assert national_calendar() is national_calendar()


# --- working time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        pytest.param(vn(2026, 11, 23, 7, 30), vn(2026, 11, 23, 17), 8, id="whole-day"),
        pytest.param(vn(2026, 11, 23, 6), vn(2026, 11, 23, 20), 8, id="outside-hours"),
        pytest.param(vn(2026, 11, 23, 11), vn(2026, 11, 23, 13, 30), 1, id="over-lunch"),
        pytest.param(vn(2026, 11, 20, 16), vn(2026, 11, 23, 8, 30), 2, id="over-weekend"),
        pytest.param(vn(2026, 2, 13, 7, 30), vn(2026, 2, 24, 7, 30), 16, id="over-tet"),
        pytest.param(vn(2026, 11, 23, 17), vn(2026, 11, 23, 9), 0, id="reversed"),
        # 2022-06-08 is the first day of a precomputed block.
        pytest.param(vn(2022, 6, 7, 16), vn(2022, 6, 8, 8, 30), 2, id="across-blocks"),
        pytest.param(vn(1990, 1, 2, 7, 30), vn(2100, 1, 4, 7, 30), None, id="1990-to-2100"),
    ],
)
def test_working_microseconds_between(start: datetime, end: datetime, hours: int | None) -> None:
    worked = CAL.working_microseconds_between(start, end)
    if hours is None:  # long range: must equal the working days in it times 8 h
        hours = 8 * CAL.working_days_between(start.date(), end.date())
    assert worked == hours * HOUR_US


def test_utc_moments_are_read_in_vietnam_time() -> None:
    start = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # 07:30 in Hà Nội
    assert CAL.working_microseconds_between(start, vn(2026, 11, 23, 8, 30)) == HOUR_US


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.working_microseconds_between(datetime(2026, 11, 23, 8), vn(2026, 11, 23, 9))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(vn(2026, 11, 23, 9, 15), vn(2026, 11, 23, 9, 15), id="inside"),
        pytest.param(vn(2026, 11, 23, 7, 30), vn(2026, 11, 23, 7, 30), id="at-opening"),
        pytest.param(vn(2026, 11, 23, 11, 30), vn(2026, 11, 23, 13), id="at-lunch"),
        pytest.param(vn(2026, 11, 23, 6), vn(2026, 11, 23, 7, 30), id="before-opening"),
        pytest.param(vn(2026, 11, 23, 17), vn(2026, 11, 25, 7, 30), id="closing-eve-holiday"),
        pytest.param(vn(2026, 2, 13, 17, 1), vn(2026, 2, 23, 7, 30), id="after-close-tet"),
    ],
)
def test_next_working_instant(moment: datetime, expected: datetime) -> None:
    assert CAL.next_working_instant(moment) == expected


moments = st.datetimes(
    min_value=datetime(1995, 1, 1), max_value=datetime(2095, 12, 31), timezones=st.just(VN_TZ)
)


@settings(max_examples=150, deadline=None)
@given(moments, moments, moments)
def test_working_time_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted([a, b, c])
    ab = CAL.working_microseconds_between(a, b)
    bc = CAL.working_microseconds_between(b, c)
    assert ab + bc == CAL.working_microseconds_between(a, c)
    assert ab >= 0


def test_calendar_is_immutable() -> None:
    with pytest.raises(AttributeError, match="immutable"):
        CAL.same_day_cutoff = time(16)
