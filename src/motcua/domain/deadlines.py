"""Legal time limits turned into due moments, pauses for supplements, and timeliness.

Procedures state their time limit as an amount and a unit: working hours or working days
(counted in working time, 8 working hours = 1 working day), calendar days or months (counted
on the calendar, ending at the close of business, moved to the next working day when the
last day is a day off: Civil Code 2015 Art. 148(5)), or "trong ngày" (same day, next
working day when received after the 15:00 cut-off).

Pure functions: the reception moment and the calendar are arguments, never read from a clock
or a database. Inputs are timezone-aware datetimes in any zone; outputs are in +07:00.
"""

from __future__ import annotations

import enum
import functools
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from motcua.domain.calendar import VN_TZ, WorkingCalendar, join_moment, split_moment

__all__ = [
    "HOURS_PER_WORKING_DAY",
    "VN_TZ",
    "Timeliness",
    "Unit",
    "add_working_time",
    "due_at",
    "max_working_hours",
    "shift_for_pause",
    "timeliness",
    "working_time_between",
]

HOURS_PER_WORKING_DAY = 8
"""How production systems convert: durations are held in hours, 1 working day = 8 h."""

_US_PER_SECOND = 1_000_000
_SECONDS_PER_HOUR = 3600
_UPPER_DAYS_PER_MONTH = 31


class Unit(enum.StrEnum):
    """The unit a procedure states its time limit in."""

    WORKING_HOUR = "working_hour"
    WORKING_DAY = "working_day"
    CALENDAR_DAY = "calendar_day"
    MONTH = "month"
    SAME_DAY = "same_day"


class Timeliness(enum.StrEnum):
    """How a result was returned against its due moment, as reported to Cổng DVCQG."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


Amount = Decimal | int | float | str


def max_working_hours(amount: Decimal, unit: Unit | str) -> Decimal:
    """The most working time a time limit can hold, to compare limits stated in different
    units. Calendar days and months are upper bounds (every day counted as worked, months as
    31 days); "same day" is one working day."""
    unit = Unit(unit)
    value = Decimal(amount)
    if unit is Unit.WORKING_HOUR:
        return value
    if unit is Unit.SAME_DAY:
        return Decimal(HOURS_PER_WORKING_DAY)
    if unit is Unit.MONTH:
        return value * _UPPER_DAYS_PER_MONTH * HOURS_PER_WORKING_DAY
    return value * HOURS_PER_WORKING_DAY


def _to_decimal(amount: Amount) -> Decimal:
    if isinstance(amount, bool):
        raise TypeError("A time limit amount must be a number, not a bool.")
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, int):
        value = Decimal(amount)
    elif isinstance(amount, float):
        # repr() gives the shortest decimal that round-trips: 0.1 means 0.1, not 0.1000…055.
        value = Decimal(repr(amount))
    elif isinstance(amount, str):
        try:
            value = Decimal(amount.strip())
        except InvalidOperation:
            raise ValueError(f"Not a number: time limit amount {amount!r}.") from None
    else:
        raise TypeError(f"Unsupported time limit amount {amount!r}.")
    if not value.is_finite():
        raise ValueError(f"A time limit amount must be finite, got {amount!r}.")
    if value < 0:
        raise ValueError(f"A time limit amount cannot be negative, got {amount!r}.")
    return value


@functools.lru_cache(maxsize=4096)
def _plan(amount: Amount, unit: Unit | str) -> tuple[Unit, int]:
    """(unit, quantity): microseconds of working time for the working units (amount rounded
    to the whole second, half up), the whole number of days or months for calendar units,
    0 for same day.

    Cached because the same few limits ("15 working days") recur on every call; equal
    amounts of different types (1, 1.0, Decimal("1")) share an entry, which is harmless as
    they convert identically."""
    unit = Unit(unit)
    value = _to_decimal(amount)
    if unit is Unit.WORKING_HOUR or unit is Unit.WORKING_DAY:
        hours = value if unit is Unit.WORKING_HOUR else value * HOURS_PER_WORKING_DAY
        seconds = (hours * _SECONDS_PER_HOUR).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return unit, int(seconds) * _US_PER_SECOND
    if unit is Unit.SAME_DAY:
        return unit, 0
    if value != value.to_integral_value():
        raise ValueError(f"A limit in {unit.value} must be a whole number, got {amount!r}.")
    return unit, int(value)


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (31/01 + 1 month
    is 28/02 or 29/02)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    following = date(year + (month_index + 1) // 12, (month_index + 1) % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return date(year, month_index + 1, min(day.day, last_day))


def _close_not_before(calendar: WorkingCalendar, day: date, received: datetime) -> datetime:
    """Close of business of `day` (or the next working day), but never before reception:
    a zero-day limit received after closing, or an agency closing before the same-day
    cut-off, ends at the next working day's close rather than in the past."""
    due = calendar.close_of_business(day)
    if due < received:
        due = calendar.close_of_business(day + timedelta(days=1))
    return due


def due_at(
    received_at: datetime, amount: Amount, unit: Unit | str, calendar: WorkingCalendar
) -> datetime:
    """The moment the result is due for a dossier received at `received_at` under a time
    limit of `amount` `unit`s.

    * working_hour / working_day: counting starts at reception if it is inside a session,
      else at the start of the next session; the amount (rounded to the second) of working
      time is added; a due moment on a session end stays there (07:30 + 8 h = 17:00). An
      amount of 0 gives the moment counting starts.
    * calendar_day: the local reception date + N days (N whole), due at the close of that day
      or of the next working day when it is not worked.
    * month: the same date N months later (clamped to the month's end), then as calendar_day.
    * same_day: the close of the reception day when it is a working day and reception is at
      or before the calendar's cut-off (15:00), else the close of the next working day. The
      amount is ignored (stored as 0 or 1 in practice) but must be a valid non-negative number.

    Raises ValueError for naive datetimes, negative or non-finite amounts, fractional
    calendar days or months, and unknown units.
    """
    unit, quantity = _plan(amount, unit)
    if unit is Unit.WORKING_DAY or unit is Unit.WORKING_HOUR:
        if quantity:
            return calendar.add_working_microseconds(received_at, quantity)
        return calendar.next_working_instant(received_at)
    received = join_moment(*split_moment(received_at))
    received_on = received.date()
    if unit is Unit.CALENDAR_DAY or unit is Unit.MONTH:
        try:
            if unit is Unit.CALENDAR_DAY:
                last_day = received_on + timedelta(days=quantity)
            else:
                last_day = _add_months(received_on, quantity)
        except OverflowError:
            raise ValueError(f"A limit of {amount!r} {unit.value} runs past year 9999.") from None
        return _close_not_before(calendar, last_day, received)
    if calendar.is_working_day(received_on) and received.time() <= calendar.same_day_cutoff:
        return _close_not_before(calendar, received_on, received)
    return _close_not_before(calendar, calendar.next_working_day(received_on), received)


def working_time_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> timedelta:
    """Working time in [start, end); zero when `end <= start`."""
    return timedelta(microseconds=calendar.working_microseconds_between(start, end))


def add_working_time(start: datetime, delta: timedelta, calendar: WorkingCalendar) -> datetime:
    """The earliest moment by which `delta` of working time has elapsed since `start`; for a
    positive delta it lies in a session or exactly at a session end, for zero it is `start`
    (in +07:00)."""
    if delta < timedelta(0):
        raise ValueError(f"Cannot add a negative working time ({delta}).")
    micros = (delta.days * 86_400 + delta.seconds) * _US_PER_SECOND + delta.microseconds
    return calendar.add_working_microseconds(start, micros)


def shift_for_pause(
    due: datetime, paused_at: datetime, resumed_at: datetime, calendar: WorkingCalendar
) -> datetime:
    """The due moment after the clock stopped from `paused_at` to `resumed_at` (e.g. while the
    applicant supplements the dossier): later by exactly the working time of the pause, so
    `working_time_between(due, new_due) == working_time_between(paused_at, resumed_at)`."""
    paused = calendar.working_microseconds_between(paused_at, resumed_at)
    if resumed_at < paused_at:
        raise ValueError(f"A pause cannot resume ({resumed_at}) before it began ({paused_at}).")
    return calendar.add_working_microseconds(due, paused)


def timeliness(finished_at: datetime, due: datetime) -> Timeliness:
    """Late when finished after the due moment; early when finished on an earlier local date
    than the due date (returning on the due date itself counts as on time); else on time."""
    finished_day, finished_us = split_moment(finished_at)
    due_day, due_us = split_moment(due)
    if (finished_day, finished_us) > (due_day, due_us):
        return Timeliness.LATE
    if finished_day < due_day:
        return Timeliness.EARLY
    return Timeliness.ON_TIME
