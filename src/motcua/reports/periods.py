"""Reporting periods: month, quarter, six months, nine months, year, or any date range.

Periodic reports use the cut-off of Decree 09/2019/NĐ-CP by default: a month runs from the
15th of the previous month to the 14th, a quarter from the 15th of the month before it to
the 14th of its last month (Q1: 15/12 of the previous year to 14/3), the six-month, nine-month
and yearly reports from 15/12 of the previous year to 14/6, 14/9 and 14/12. Calendar periods
(1/1 to 31/3, ...) are an option (`cutoff_day=None`), and so is another cut-off day.

A period is half-open, [start, end), in Vietnam's time: `end` is midnight at the start of
the day after its last day, so "received on the last day at 23:59" is inside and "at 00:00
the day after" is not. Pure Python: no Django, no clock."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from motcua.domain.calendar import VN_TZ

OFFICIAL_CUTOFF_DAY = 15


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SIX_MONTHS = "six_months"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    start: dt.datetime  # inclusive, aware (Vietnam)
    end: dt.datetime  # exclusive, aware (Vietnam)
    kind: PeriodKind = PeriodKind.RANGE
    year: int | None = None
    number: int | None = None  # month 1-12 or quarter 1-4

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("period bounds must be aware datetimes")
        if self.end <= self.start:
            raise ValueError("a period must end after it starts")

    @property
    def first_day(self) -> dt.date:
        return self.start.astimezone(VN_TZ).date()

    @property
    def last_day(self) -> dt.date:
        """The last day inside the period (the "đến ngày" of the report header)."""
        return (self.end.astimezone(VN_TZ) - dt.timedelta(microseconds=1)).date()

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end

    def previous(self) -> Period:
        """The period of the same length just before this one (for comparisons)."""
        if self.kind in (PeriodKind.MONTH, PeriodKind.QUARTER) and self.year and self.number:
            size = 12 if self.kind is PeriodKind.MONTH else 4
            year, number = (
                (self.year, self.number - 1) if self.number > 1 else (self.year - 1, size)
            )
            cutoff = self.start.astimezone(VN_TZ).day
            return reporting_period(
                self.kind, year, number, cutoff_day=None if cutoff == 1 else cutoff
            )
        if self.kind in (PeriodKind.SIX_MONTHS, PeriodKind.NINE_MONTHS, PeriodKind.YEAR):
            assert self.year is not None
            cutoff = self.start.astimezone(VN_TZ).day
            return reporting_period(
                self.kind, self.year - 1, cutoff_day=None if cutoff == 1 else cutoff
            )
        length = self.end - self.start
        return Period(self.start - length, self.start)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def _boundary(index: int, cutoff_day: int | None) -> dt.datetime:
    """The moment the period of month `index` ends (and the next one starts)."""
    if cutoff_day is None:
        index += 1
        return _midnight(dt.date(index // 12, index % 12 + 1, 1))
    return _midnight(dt.date(index // 12, index % 12 + 1, cutoff_day))


def reporting_period(
    kind: PeriodKind | str,
    year: int,
    number: int = 1,
    *,
    cutoff_day: int | None = OFFICIAL_CUTOFF_DAY,
) -> Period:
    """The official period `kind` of `year` (`number` = month 1-12 or quarter 1-4).

    `cutoff_day=15` (the default) gives the 15th-to-14th periods; `None` gives calendar
    periods. Raises ValueError for a number or cut-off day out of range."""
    kind = PeriodKind(kind)
    if cutoff_day is not None and not 2 <= cutoff_day <= 28:
        raise ValueError("the cut-off day must be between 2 and 28, or None for calendar periods")
    if kind is PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValueError("month must be between 1 and 12")
        first, last = number, number
    elif kind is PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError("quarter must be between 1 and 4")
        first, last = 3 * number - 2, 3 * number
    elif kind is PeriodKind.SIX_MONTHS:
        first, last, number = 1, 6, 1
    elif kind is PeriodKind.NINE_MONTHS:
        first, last, number = 1, 9, 1
    elif kind is PeriodKind.YEAR:
        first, last, number = 1, 12, 1
    else:
        raise ValueError("use date_range() for a free range")
    start = _boundary(_month_index(year, first) - 1, cutoff_day)
    end = _boundary(_month_index(year, last), cutoff_day)
    return Period(start, end, kind, year, number)


def date_range(first_day: dt.date, last_day: dt.date) -> Period:
    """Any range of whole days, both ends included (the report's "từ ngày ... đến ngày")."""
    if last_day < first_day:
        raise ValueError("the last day is before the first day")
    return Period(_midnight(first_day), _midnight(last_day + dt.timedelta(days=1)))


def parse_period(text: str, *, cutoff_day: int | None = OFFICIAL_CUTOFF_DAY) -> Period:
    """A period named on the command line: `2026` (year), `2026-Q3` (quarter), `2026-07`
    (month), `2026-6M` and `2026-9M` (six and nine months), or `2026-01-01..2026-03-31`
    (a range of days, both included). Raises ValueError for anything else."""
    text = text.strip().upper()
    if ".." in text:
        first, last = text.split("..", 1)
        return date_range(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    year_text, _sep, rest = text.partition("-")
    if not year_text.isdigit() or len(year_text) != 4:
        raise ValueError(f"not a period: {text!r}")
    year = int(year_text)
    if not rest:
        return reporting_period(PeriodKind.YEAR, year, cutoff_day=cutoff_day)
    if rest.startswith("Q") and rest[1:].isdigit():
        return reporting_period(PeriodKind.QUARTER, year, int(rest[1:]), cutoff_day=cutoff_day)
    if rest in ("6M", "H1"):
        return reporting_period(PeriodKind.SIX_MONTHS, year, cutoff_day=cutoff_day)
    if rest == "9M":
        return reporting_period(PeriodKind.NINE_MONTHS, year, cutoff_day=cutoff_day)
    if rest.isdigit():
        return reporting_period(PeriodKind.MONTH, year, int(rest), cutoff_day=cutoff_day)
    raise ValueError(f"not a period: {text!r}")
