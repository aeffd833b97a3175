"""Due moments from legal time limits, pauses and timeliness (DOMAIN.md section 6).
No database, no clock: reception moments are arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.domain.calendar import (
    DEFAULT_SESSIONS,
    DayKind,
    Override,
    Schedule,
    WorkingCalendar,
    national_calendar,
    parse_sessions,
)
from motcua.domain.deadlines import (
    VN_TZ,
    Timeliness,
    Unit,
    add_working_time,
    due_at,
    max_working_hours,
    shift_for_pause,
    timeliness,
    working_time_between,
)

CAL = national_calendar()
# Mon 16/11/2026 declared a day off; Sun 15/11/2026 declared a working day.
WITH_DAY_OFF = WorkingCalendar(overrides=[Override(date(2026, 11, 16), DayKind.DAY_OFF)])
WITH_WORKING_SUNDAY = WorkingCalendar(overrides=[Override(date(2026, 11, 15), DayKind.WORKING_DAY)])
# An agency moving to 08:00-12:00, 13:00-17:00 from Mon 16/11/2026.
AGENCY = WorkingCalendar(
    schedules=[
        Schedule(date.min, DEFAULT_SESSIONS),
        Schedule(date(2026, 11, 16), parse_sessions("08:00-12:00, 13:00-17:00")),
    ]
)


def vn(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


# --- the examples from the issue ---------------------------------------------------------


def test_one_working_day_from_friday_before_tet_ends_monday_after_tet() -> None:
    assert due_at(vn(2026, 2, 13, 16), 1, Unit.WORKING_DAY, CAL) == vn(2026, 2, 23, 16)


def test_one_working_day_lands_on_the_makeup_saturday() -> None:
    assert due_at(vn(2026, 8, 21, 10), 1, Unit.WORKING_DAY, CAL) == vn(2026, 8, 22, 10)


def test_same_day_after_cutoff_skips_culture_day() -> None:
    assert due_at(vn(2026, 11, 23, 15, 1), 0, Unit.SAME_DAY, CAL) == vn(2026, 11, 25, 17)


# --- boundaries (DOMAIN.md 6.2) ----------------------------------------------------------

BOUNDARIES = [
    # same day, 15:00 cut-off (Tue 17/11/2026 is an ordinary working day)
    pytest.param(
        vn(2026, 11, 17, 14, 59), 0, "same_day", CAL, vn(2026, 11, 17, 17), id="same-day-14:59"
    ),
    pytest.param(
        vn(2026, 11, 17, 15),
        0,
        "same_day",
        CAL,
        vn(2026, 11, 17, 17),
        id="same-day-15:00-is-still-today",
    ),
    pytest.param(
        vn(2026, 11, 17, 15, 0, 1), 0, "same_day", CAL, vn(2026, 11, 18, 17), id="same-day-15:00:01"
    ),
    pytest.param(
        vn(2026, 11, 17, 15, 1), 1, "same_day", CAL, vn(2026, 11, 18, 17), id="same-day-15:01"
    ),
    pytest.param(
        vn(2026, 11, 17, 6), 0, "same_day", CAL, vn(2026, 11, 17, 17), id="same-day-before-opening"
    ),
    pytest.param(
        vn(2026, 11, 21, 10),
        0,
        "same_day",
        CAL,
        vn(2026, 11, 23, 17),
        id="same-day-received-saturday",
    ),
    pytest.param(
        vn(2026, 8, 22, 10), 0, "same_day", CAL, vn(2026, 8, 22, 17), id="same-day-makeup-saturday"
    ),
    # reception outside a session: counting starts at the next session
    pytest.param(
        vn(2026, 11, 17, 11, 31),
        1,
        "working_hour",
        CAL,
        vn(2026, 11, 17, 14),
        id="received-11:31-lunch",
    ),
    pytest.param(
        vn(2026, 11, 17, 17, 1),
        1,
        "working_hour",
        CAL,
        vn(2026, 11, 18, 8, 30),
        id="received-17:01-after-close",
    ),
    pytest.param(
        vn(2026, 11, 17, 6),
        1,
        "working_hour",
        CAL,
        vn(2026, 11, 17, 8, 30),
        id="received-06:00-before-open",
    ),
    pytest.param(
        vn(2026, 11, 13, 16), 2, "working_hour", CAL, vn(2026, 11, 16, 8, 30), id="friday-afternoon"
    ),
    pytest.param(
        vn(2026, 11, 13, 16),
        3,
        "working_day",
        CAL,
        vn(2026, 11, 18, 16),
        id="friday-afternoon-3-days",
    ),
    pytest.param(
        vn(2026, 11, 20, 16),
        2,
        "working_hour",
        CAL,
        vn(2026, 11, 23, 8, 30),
        id="friday-before-culture-day",
    ),
    pytest.param(vn(2026, 2, 13, 10), 1, "working_day", CAL, vn(2026, 2, 23, 10), id="eve-of-tet"),
    pytest.param(
        vn(2026, 2, 13, 16),
        2,
        "working_hour",
        CAL,
        vn(2026, 2, 23, 8, 30),
        id="eve-of-tet-late-afternoon",
    ),
    pytest.param(
        vn(2026, 8, 22, 9),
        4,
        "working_hour",
        CAL,
        vn(2026, 8, 22, 14, 30),
        id="received-on-makeup-saturday",
    ),
    pytest.param(
        vn(2026, 8, 28, 16),
        2,
        "working_hour",
        CAL,
        vn(2026, 9, 3, 8, 30),
        id="swapped-monday-and-national-day",
    ),
    # overrides
    pytest.param(
        vn(2026, 11, 13, 16),
        2,
        "working_hour",
        WITH_DAY_OFF,
        vn(2026, 11, 17, 8, 30),
        id="override-day-off",
    ),
    pytest.param(
        vn(2026, 11, 13, 16),
        2,
        "working_hour",
        WITH_WORKING_SUNDAY,
        vn(2026, 11, 15, 8, 30),
        id="override-working-sunday",
    ),
    # an agency schedule 08:00-12:00, 13:00-17:00 from Mon 16/11/2026
    pytest.param(
        vn(2026, 11, 12, 7, 45),
        1,
        "working_hour",
        AGENCY,
        vn(2026, 11, 12, 8, 45),
        id="agency-before-new-schedule",
    ),
    pytest.param(
        vn(2026, 11, 16, 7, 45),
        1,
        "working_hour",
        AGENCY,
        vn(2026, 11, 16, 9),
        id="agency-new-schedule-opens-08:00",
    ),
    pytest.param(
        vn(2026, 11, 13, 16),
        2,
        "working_hour",
        AGENCY,
        vn(2026, 11, 16, 9),
        id="agency-across-schedule-change",
    ),
    pytest.param(
        vn(2026, 11, 16, 8),
        4,
        "working_hour",
        AGENCY,
        vn(2026, 11, 16, 12),
        id="agency-morning-ends-12:00",
    ),
    # a due moment on a session end stays there
    pytest.param(
        vn(2026, 11, 17, 7, 30),
        1,
        "working_day",
        CAL,
        vn(2026, 11, 17, 17),
        id="07:30-plus-8h-is-17:00-same-day",
    ),
    pytest.param(
        vn(2026, 11, 17, 7, 30),
        4,
        "working_hour",
        CAL,
        vn(2026, 11, 17, 11, 30),
        id="07:30-plus-4h-is-11:30",
    ),
    pytest.param(
        vn(2026, 11, 17, 7, 30),
        "0.5",
        "working_day",
        CAL,
        vn(2026, 11, 17, 11, 30),
        id="half-day-is-4h",
    ),
    pytest.param(
        vn(2026, 11, 17, 17), 1, "working_day", CAL, vn(2026, 11, 18, 17), id="received-at-close"
    ),
    pytest.param(
        vn(2026, 11, 17, 9),
        Decimal("1.25"),
        "working_hour",
        CAL,
        vn(2026, 11, 17, 10, 15),
        id="decimal-hours",
    ),
    # amount 0 of a working unit: the moment counting starts
    pytest.param(
        vn(2026, 11, 17, 9), 0, "working_day", CAL, vn(2026, 11, 17, 9), id="zero-inside-session"
    ),
    pytest.param(
        vn(2026, 11, 17, 11, 30), 0, "working_hour", CAL, vn(2026, 11, 17, 13), id="zero-at-lunch"
    ),
    pytest.param(
        vn(2026, 2, 14, 9), 0, "working_hour", CAL, vn(2026, 2, 23, 7, 30), id="zero-during-tet"
    ),
    # calendar days (Civil Code Art. 148(5)): end at close, moved off days off
    pytest.param(
        vn(2026, 11, 16, 10),
        3,
        "calendar_day",
        CAL,
        vn(2026, 11, 19, 17),
        id="calendar-day-on-working-day",
    ),
    pytest.param(
        vn(2026, 11, 23, 10),
        1,
        "calendar_day",
        CAL,
        vn(2026, 11, 25, 17),
        id="calendar-day-on-holiday",
    ),
    pytest.param(
        vn(2026, 11, 19, 10),
        2,
        "calendar_day",
        CAL,
        vn(2026, 11, 23, 17),
        id="calendar-day-on-weekend",
    ),
    pytest.param(
        vn(2026, 2, 5, 10), 10, "calendar_day", CAL, vn(2026, 2, 23, 17), id="calendar-day-in-tet"
    ),
    pytest.param(
        vn(2026, 11, 17, 18),
        0,
        "calendar_day",
        CAL,
        vn(2026, 11, 18, 17),
        id="zero-calendar-days-after-close",
    ),
    # months: same day N months later, clamped, then as calendar days
    pytest.param(
        vn(2026, 1, 31, 9),
        1,
        "month",
        CAL,
        vn(2026, 3, 2, 17),
        id="month-31-jan-to-28-feb-saturday",
    ),
    pytest.param(
        vn(2028, 1, 31, 9), 1, "month", CAL, vn(2028, 2, 29, 17), id="month-31-jan-to-29-feb-leap"
    ),
    pytest.param(
        vn(2026, 3, 31, 9), 1, "month", CAL, vn(2026, 5, 4, 17), id="month-lands-on-30-april"
    ),
    pytest.param(vn(2026, 1, 15, 9), 1, "month", CAL, vn(2026, 2, 23, 17), id="month-lands-in-tet"),
    pytest.param(
        vn(2026, 11, 30, 9), 3, "month", CAL, vn(2027, 3, 1, 17), id="months-across-year-end"
    ),
    # time zones
    pytest.param(
        datetime(2026, 11, 17, 1, 30, tzinfo=UTC),
        1,
        "working_hour",
        CAL,
        vn(2026, 11, 17, 9, 30),
        id="utc-input",
    ),
    pytest.param(
        datetime(2026, 11, 16, 20, 0, tzinfo=UTC),
        0,
        "same_day",
        CAL,
        vn(2026, 11, 17, 17),
        id="utc-evening-is-next-local-morning",
    ),
    # precomputed blocks: 2022-06-08 starts a new one
    pytest.param(
        vn(2022, 6, 7, 16),
        2,
        "working_hour",
        CAL,
        vn(2022, 6, 8, 8, 30),
        id="across-block-boundary",
    ),
]


@pytest.mark.parametrize(("received", "amount", "unit", "calendar", "expected"), BOUNDARIES)
def test_due_at(
    received: datetime,
    amount: int | str | Decimal,
    unit: str,
    calendar: WorkingCalendar,
    expected: datetime,
) -> None:
    due = due_at(received, amount, unit, calendar)
    assert due == expected
    assert due.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("amount", [Decimal("1.5"), "1.5", " 1.5 ", 1.5, Decimal("1.50")], ids=repr)
def test_amount_types_agree(amount: Decimal | str | float) -> None:
    assert due_at(vn(2026, 11, 17, 7, 30), amount, Unit.WORKING_DAY, CAL) == vn(
        2026, 11, 18, 11, 30
    )


def test_amount_is_rounded_to_the_second() -> None:
    # 1/3 h is 1200 s; 0.0001 h is 0.36 s and rounds to 0.
    received = vn(2026, 11, 17, 9)
    third = due_at(received, Decimal(1) / 3, Unit.WORKING_HOUR, CAL)
    assert third == vn(2026, 11, 17, 9, 20)
    assert due_at(received, "0.0001", Unit.WORKING_HOUR, CAL) == received


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        pytest.param(-1, "working_day", "negative", id="negative"),
        pytest.param(Decimal("-0.5"), "working_hour", "negative", id="negative-decimal"),
        pytest.param(float("nan"), "working_day", "finite", id="nan"),
        pytest.param("Infinity", "working_day", "finite", id="infinity"),
        pytest.param("ba ngày", "working_day", "Not a number", id="not-a-number"),
        pytest.param("1.5", "calendar_day", "whole number", id="fractional-calendar-days"),
        pytest.param(Decimal("0.5"), "month", "whole number", id="fractional-months"),
        pytest.param(1, "fortnight", "fortnight", id="unknown-unit"),
        pytest.param(-1, "same_day", "negative", id="negative-same-day"),
    ],
)
def test_due_at_rejects(amount: object, unit: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        due_at(vn(2026, 11, 17, 9), amount, unit, CAL)  # type: ignore[arg-type]


def test_due_at_rejects_naive_datetimes() -> None:
    for unit in Unit:
        with pytest.raises(ValueError, match="timezone-aware"):
            due_at(datetime(2026, 11, 17, 9), 1, unit, CAL)


def test_same_day_ignores_the_amount() -> None:
    received = vn(2026, 11, 17, 10)
    assert {due_at(received, amount, Unit.SAME_DAY, CAL) for amount in (0, 1, 3)} == {
        vn(2026, 11, 17, 17)
    }


def test_same_day_cutoff_is_configurable() -> None:
    strict = WorkingCalendar(same_day_cutoff=time(11, 0))
    assert due_at(vn(2026, 11, 17, 11, 5), 0, Unit.SAME_DAY, strict) == vn(2026, 11, 18, 17)


def test_same_day_never_due_before_reception() -> None:
    # An agency closing at 14:00 receives at 14:30, before the 15:00 cut-off.
    short = WorkingCalendar(schedules=[Schedule(date.min, parse_sessions("07:00-14:00"))])
    assert due_at(vn(2026, 11, 17, 14, 30), 0, Unit.SAME_DAY, short) == vn(2026, 11, 18, 14)


@pytest.mark.parametrize(
    ("amount", "unit", "hours"),
    [
        pytest.param(Decimal(3), Unit.WORKING_HOUR, Decimal(3), id="hours"),
        pytest.param(Decimal("2.5"), Unit.WORKING_DAY, Decimal(20), id="working-days"),
        pytest.param(Decimal(10), Unit.CALENDAR_DAY, Decimal(80), id="calendar-days"),
        pytest.param(Decimal(2), Unit.MONTH, Decimal(2 * 31 * 8), id="months"),
        pytest.param(Decimal(0), Unit.SAME_DAY, Decimal(8), id="same-day"),
        pytest.param(Decimal(5), "working_day", Decimal(40), id="unit-as-string"),
    ],
)
def test_max_working_hours(amount: Decimal, unit: Unit | str, hours: Decimal) -> None:
    assert max_working_hours(amount, unit) == hours


# --- pause, working time, timeliness: examples -------------------------------------------


def test_pause_shifts_due_by_the_paused_working_time() -> None:
    # Paused Mon 16/11 16:00 (1 h left that day), resumed Tue 17/11 09:30 (2 h): 3 h.
    new_due = shift_for_pause(
        vn(2026, 11, 18, 17), vn(2026, 11, 16, 16), vn(2026, 11, 17, 9, 30), CAL
    )
    assert new_due == vn(2026, 11, 19, 10, 30)


def test_pause_over_a_weekend_moves_nothing() -> None:
    due = vn(2026, 11, 25, 10)
    assert shift_for_pause(due, vn(2026, 11, 21, 8), vn(2026, 11, 22, 20), CAL) == due


def test_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot resume"):
        shift_for_pause(vn(2026, 11, 18, 17), vn(2026, 11, 17, 9), vn(2026, 11, 16, 9), CAL)


def test_working_time_between_examples() -> None:
    assert working_time_between(vn(2026, 11, 20, 16), vn(2026, 11, 25, 8), CAL) == timedelta(
        hours=9, minutes=30
    )
    assert working_time_between(vn(2026, 11, 25, 8), vn(2026, 11, 20, 16), CAL) == timedelta(0)


def test_add_working_time_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_time(vn(2026, 11, 17, 9), timedelta(hours=-1), CAL)


@pytest.mark.parametrize(
    ("finished", "due", "expected"),
    [
        pytest.param(
            vn(2026, 11, 17, 17, 0, 1), vn(2026, 11, 17, 17), Timeliness.LATE, id="one-second-late"
        ),
        pytest.param(
            vn(2026, 11, 18, 8), vn(2026, 11, 17, 17), Timeliness.LATE, id="next-morning-late"
        ),
        pytest.param(
            vn(2026, 11, 17, 17), vn(2026, 11, 17, 17), Timeliness.ON_TIME, id="exactly-at-due"
        ),
        pytest.param(
            vn(2026, 11, 17, 8), vn(2026, 11, 17, 17), Timeliness.ON_TIME, id="earlier-on-due-date"
        ),
        pytest.param(
            vn(2026, 11, 16, 16, 59), vn(2026, 11, 17, 17), Timeliness.EARLY, id="day-before"
        ),
        pytest.param(
            datetime(2026, 11, 16, 23, 30, tzinfo=UTC),
            vn(2026, 11, 17, 17),
            Timeliness.ON_TIME,
            id="utc-previous-date-is-local-due-date",
        ),
        pytest.param(
            datetime(2026, 11, 16, 16, 59, tzinfo=UTC),
            vn(2026, 11, 17, 17),
            Timeliness.EARLY,
            id="utc-local-previous-day",
        ),
    ],
)
def test_timeliness(finished: datetime, due: datetime, expected: Timeliness) -> None:
    assert timeliness(finished, due) is expected


def test_timeliness_rejects_naive() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        timeliness(datetime(2026, 11, 17, 9), vn(2026, 11, 17, 17))


# --- properties --------------------------------------------------------------------------

received_moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from([VN_TZ, UTC]),
)
whole_seconds = st.integers(min_value=0, max_value=30 * 8 * 3600)
FAST = settings(max_examples=150, deadline=None)


def in_working_time(moment: datetime, *, end_allowed: bool) -> bool:
    """Whether `moment` lies inside a session of a working day ([start, end), or
    (start, end] for a due moment)."""
    local = moment.astimezone(VN_TZ)
    clock = local.time()
    for session in CAL.sessions_on(local.date()):
        if end_allowed and session.start < clock <= session.end:
            return True
        if not end_allowed and session.start <= clock < session.end:
            return True
    return False


@FAST
@given(received_moments, st.integers(1, 240), st.integers(1, 240))
def test_adding_hours_then_hours_equals_adding_the_sum(received: datetime, a: int, b: int) -> None:
    step = due_at(due_at(received, a, Unit.WORKING_HOUR, CAL), b, Unit.WORKING_HOUR, CAL)
    assert step == due_at(received, a + b, Unit.WORKING_HOUR, CAL)


@FAST
@given(received_moments, st.integers(1, 30), st.integers(1, 30))
def test_adding_days_then_days_equals_adding_the_sum(received: datetime, a: int, b: int) -> None:
    # Positive amounts only: an amount of 0 is "when counting starts", which moves a due
    # moment on a session end (17:00) to the next opening; `add_working_time` covers 0.
    step = due_at(due_at(received, a, Unit.WORKING_DAY, CAL), b, Unit.WORKING_DAY, CAL)
    assert step == due_at(received, a + b, Unit.WORKING_DAY, CAL)
    assert due_at(received, a, Unit.WORKING_DAY, CAL) == due_at(
        received, 8 * a, Unit.WORKING_HOUR, CAL
    )


@FAST
@given(received_moments, whole_seconds, whole_seconds)
def test_adding_working_time_is_associative_to_the_second(start: datetime, a: int, b: int) -> None:
    first = add_working_time(start, timedelta(seconds=a), CAL)
    step = add_working_time(first, timedelta(seconds=b), CAL)
    assert step == add_working_time(start, timedelta(seconds=a + b), CAL)


@FAST
@given(received_moments, st.integers(0, 40), st.sampled_from([Unit.WORKING_DAY, Unit.WORKING_HOUR]))
def test_due_moment_is_in_working_time_never_on_a_day_off(
    received: datetime, amount: int, unit: Unit
) -> None:
    due = due_at(received, amount, unit, CAL)
    assert CAL.is_working_day(due.astimezone(VN_TZ).date())
    assert in_working_time(due, end_allowed=amount > 0)
    assert due >= received
    assert due.utcoffset() == timedelta(hours=7)


@FAST
@given(
    received_moments,
    st.integers(0, 400),
    st.sampled_from([Unit.CALENDAR_DAY, Unit.MONTH, Unit.SAME_DAY]),
)
def test_calendar_units_end_at_close_of_a_working_day(
    received: datetime, amount: int, unit: Unit
) -> None:
    due = due_at(received, amount % 13 if unit is Unit.MONTH else amount, unit, CAL)
    assert CAL.is_working_day(due.date())
    assert due.timetz() == time(17, tzinfo=VN_TZ)
    assert due >= received


@FAST
@given(received_moments, whole_seconds)
def test_working_time_between_inverts_adding(start: datetime, seconds: int) -> None:
    delta = timedelta(seconds=seconds)
    assert working_time_between(start, add_working_time(start, delta, CAL), CAL) == delta


@FAST
@given(received_moments, received_moments)
def test_adding_the_time_between_reaches_the_end_in_working_terms(
    start: datetime, end: datetime
) -> None:
    assume(start <= end)
    reached = add_working_time(start, working_time_between(start, end, CAL), CAL)
    assert reached <= end
    assert working_time_between(reached, end, CAL) == timedelta(0)


@FAST
@given(received_moments, received_moments, received_moments)
def test_pause_shifts_due_by_exactly_the_paused_working_time(
    due: datetime, paused_at: datetime, resumed_at: datetime
) -> None:
    paused_at, resumed_at = sorted([paused_at, resumed_at])
    new_due = shift_for_pause(due, paused_at, resumed_at, CAL)
    paused = working_time_between(paused_at, resumed_at, CAL)
    assert new_due >= due
    assert working_time_between(due, new_due, CAL) == paused


@FAST
@given(received_moments, received_moments)
def test_timeliness_rules(finished: datetime, due: datetime) -> None:
    verdict = timeliness(finished, due)
    assert (verdict is Timeliness.LATE) == (finished > due)
    if finished <= due:
        earlier_date = finished.astimezone(VN_TZ).date() < due.astimezone(VN_TZ).date()
        assert (verdict is Timeliness.EARLY) == earlier_date


def reference_add(start: datetime, seconds: int) -> datetime:
    """Walk the calendar session by session: slow, obviously right, independent of the
    precomputed index."""
    local = start.astimezone(VN_TZ)
    day, clock = local.date(), local.time()
    remaining = timedelta(seconds=seconds)
    while True:
        for session in CAL.sessions_on(day):
            begin = max(session.start, clock)
            if begin >= session.end:
                continue
            available = datetime.combine(day, session.end) - datetime.combine(day, begin)
            if remaining <= available:
                return datetime.combine(day, begin, VN_TZ) + remaining
            remaining -= available
        day, clock = day + timedelta(days=1), time(0)


@FAST
@given(received_moments, st.integers(1, 30 * 8 * 3600))
def test_due_at_matches_walking_the_calendar(received: datetime, seconds: int) -> None:
    received = received.replace(microsecond=0)
    expected = reference_add(received, seconds)
    assert due_at(received, Decimal(seconds) / 3600, Unit.WORKING_HOUR, CAL) == expected
