"""The working calendar of Vietnamese state bodies: which days are worked, in which sessions,
and how much working time lies between two moments.

A day is worked when it is Monday-Friday and not a national day off, or when it is an
announced make-up working Saturday; editable overrides (announced swaps, agency decisions)
win over both. National days off and make-up Saturdays come from the `holidays` package
(lunar Tết, observed days and announced swaps included), because re-deriving the lunar
calendar here would be a second, divergent source of truth.

Deadlines are measured in working time, so the calendar keeps a "working clock": per block of
about eleven years it precomputes, for every day, the working microseconds that elapsed in the
block before the day began. A moment then maps to a working-time index with one list lookup,
and an index maps back to a moment with one `bisect`; this keeps deadline arithmetic at a few
microseconds per call (see `bench/deadlines.py`).

Everything is in Vietnam's local time, UTC+07:00 all year (no daylight saving).
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import holidays

__all__ = [
    "DEFAULT_SESSIONS",
    "VN_TZ",
    "DayKind",
    "Override",
    "Schedule",
    "Session",
    "WorkingCalendar",
    "format_sessions",
    "join_moment",
    "national_calendar",
    "parse_sessions",
    "split_moment",
]

VN_TZ = timezone(timedelta(hours=7))
"""Vietnam's civil time. A fixed offset (no DST since 1975) is exact and much faster than a
zoneinfo lookup on every conversion."""


class DayKind(enum.StrEnum):
    """What an override declares a date to be, whatever the national calendar says."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


@dataclass(frozen=True, slots=True)
class Session:
    """One stretch of working hours in local time, e.g. 07:30-11:30. The start is inside the
    session and the end is not, except that a deadline may fall exactly on the end."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Session times are local wall-clock times and must be naive.")
        if self.start >= self.end:
            raise ValueError(
                f"A working session must end after it starts: {_format_session(self)}."
            )


DEFAULT_SESSIONS: tuple[Session, ...] = (
    Session(time(7, 30), time(11, 30)),
    Session(time(13, 0), time(17, 0)),
)
"""The national default: 8 working hours, so 1 working day = 8 working hours."""


def _check_sessions(sessions: Sequence[Session]) -> None:
    if not sessions:
        raise ValueError("A working day needs at least one working session.")
    for earlier, later in itertools.pairwise(sessions):
        if later.start < earlier.end:
            raise ValueError(
                "Working sessions must be in order and must not overlap: "
                f"{_format_session(earlier)} then {_format_session(later)}."
            )


_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"
_SESSION_RE = re.compile(rf"^\s*{_CLOCK}\s*[-\u2013]\s*{_CLOCK}\s*$")
_SEPARATOR_RE = re.compile(r"[,;]")


def _clock(hour: str, minute: str, second: str | None, part: str) -> time:
    try:
        return time(int(hour), int(minute), int(second or 0))
    except ValueError:
        raise ValueError(f"Not a valid time of day in working session {part.strip()!r}.") from None


def parse_sessions(text: str) -> tuple[Session, ...]:
    """Parse the stored form "07:30-11:30, 13:00-17:00" (comma or semicolon separated,
    whitespace tolerant, optional seconds). Raise ValueError with a message fit for an admin
    form when the text is empty, malformed, or the sessions are empty, unordered or overlap."""
    if not text.strip():
        raise ValueError("No working sessions given; expected e.g. '07:30-11:30, 13:00-17:00'.")
    sessions: list[Session] = []
    for part in _SEPARATOR_RE.split(text):
        match = _SESSION_RE.match(part)
        if match is None:
            raise ValueError(
                f"Cannot read working session {part.strip()!r}; expected HH:MM-HH:MM, "
                "e.g. '07:30-11:30'."
            )
        h1, m1, s1, h2, m2, s2 = match.groups()
        sessions.append(Session(_clock(h1, m1, s1, part), _clock(h2, m2, s2, part)))
    _check_sessions(sessions)
    return tuple(sessions)


def _format_clock(value: time) -> str:
    return f"{value:%H:%M:%S}" if value.second or value.microsecond else f"{value:%H:%M}"


def _format_session(session: Session) -> str:
    return f"{_format_clock(session.start)}-{_format_clock(session.end)}"


def format_sessions(sessions: Iterable[Session]) -> str:
    """The stored form read by `parse_sessions`: "07:30-11:30, 13:00-17:00"."""
    return ", ".join(_format_session(session) for session in sessions)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Working sessions applying from `effective_from` until the next schedule takes over
    (provinces change hours, e.g. summer and winter hours in the north)."""

    effective_from: date
    sessions: tuple[Session, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "sessions", tuple(self.sessions))
        _check_sessions(self.sessions)


@dataclass(frozen=True, slots=True)
class Override:
    """A date the Government or an agency declared a day off or a working day, overriding
    the weekend and national-holiday rules."""

    day: date
    kind: DayKind
    reason: str = ""

    def __post_init__(self) -> None:
        # Accept the stored string form too ("day_off"), as read from the database.
        object.__setattr__(self, "kind", DayKind(self.kind))


# --- the working clock -------------------------------------------------------------------
#
# A "day number" counts local days from _EPOCH (a Monday, so weekday == day % 7). Blocks hold
# 2**12 consecutive days; block `key` starts at day number key << _BLOCK_SHIFT.

_BLOCK_SHIFT = 12
_BLOCK_DAYS = 1 << _BLOCK_SHIFT
_US_PER_SECOND = 1_000_000
_EPOCH = datetime(2000, 1, 3, tzinfo=VN_TZ)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_FIRST_DAY = date.min.toordinal() - _EPOCH_ORDINAL
_LAST_DAY = date.max.toordinal() - _EPOCH_ORDINAL

_Spans = tuple[tuple[int, int], ...]
"""Sessions of one day as (start, end) microseconds after local midnight; () = not worked."""


def _spans(sessions: Sequence[Session]) -> _Spans:
    def micros(value: time) -> int:
        seconds = (value.hour * 60 + value.minute) * 60 + value.second
        return seconds * _US_PER_SECOND + value.microsecond

    return tuple((micros(s.start), micros(s.end)) for s in sessions)


def _naive_error(moment: object) -> ValueError:
    return ValueError(
        f"Expected a timezone-aware datetime, got {moment!r}; "
        "naive times are ambiguous between server and local time."
    )


def split_moment(moment: datetime) -> tuple[int, int]:
    """(local day number, microseconds after local midnight) of an aware datetime.

    Subtracting an aware epoch both converts to +07:00 and rejects naive datetimes in one C
    call, which matters on the deadline hot path."""
    try:
        delta = moment - _EPOCH
    except TypeError:
        raise _naive_error(moment) from None
    return delta.days, delta.seconds * _US_PER_SECOND + delta.microseconds


def join_moment(day: int, micros: int) -> datetime:
    """The aware +07:00 datetime of a local day number and microseconds after midnight."""
    return _EPOCH + timedelta(day, 0, micros)


_SECOND_OFFSETS: list[timedelta | None] = [None] * 86_401


def _clock_offset(micros: int) -> timedelta:
    """`timedelta(microseconds=micros)` for a time of day, memoised per whole second: building
    a timedelta costs more than the rest of a deadline computation, and due moments fall on
    whole seconds (amounts are rounded to the second) whenever reception did."""
    seconds, rest = divmod(micros, _US_PER_SECOND)
    offset = _SECOND_OFFSETS[seconds]
    if offset is None:
        offset = _SECOND_OFFSETS[seconds] = timedelta(seconds=seconds)
    return offset + timedelta(microseconds=rest) if rest else offset


def _day_number(day: date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


def _date_of(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


class _Block:
    """Precomputed working time of 4096 consecutive days.

    `before[k]`: working microseconds in the block before day `first + k` begins.
    `spans[k]`: the sessions of day `first + k`, empty when it is not worked.
    `days[i]`, `ends[i]`: the i-th working day and the working microseconds in the block up to
    its end; `ends` is what `bisect` searches to map an index back to a moment."""

    __slots__ = ("before", "days", "ends", "first", "key", "midnights", "spans", "total")

    def __init__(self, key: int, spans: list[_Spans]) -> None:
        self.key = key
        self.first = key << _BLOCK_SHIFT
        self.spans = spans
        self.before: list[int] = []
        self.days: list[int] = []
        self.ends: list[int] = []
        elapsed = 0
        for offset, day_spans in enumerate(spans):
            self.before.append(elapsed)
            if day_spans:
                elapsed += sum(end - start for start, end in day_spans)
                self.days.append(self.first + offset)
                self.ends.append(elapsed)
        self.total = elapsed
        # The local midnight of each working day, so a due moment is one addition away.
        self.midnights = [join_moment(day, 0) for day in self.days]

    def index(self, day: int, micros: int) -> int:
        """Working microseconds in the block before the moment (`day`, `micros`)."""
        k = day - self.first
        index = self.before[k]
        for start, end in self.spans[k]:
            if micros <= start:
                break
            if micros < end:
                return index + micros - start
            index += end - start
        return index

    def moment(self, index: int, *, keep_end: bool) -> datetime:
        """The moment at which `index` working microseconds of the block have elapsed.

        An index on a session boundary has two readings: the end of one session or the start
        of the next. `keep_end` picks the end, which is where a deadline falls (07:30 + 4 h is
        11:30, not 13:00); otherwise the start, which is where counting begins. Callers keep
        `index` within (0, total] with `keep_end`, within [0, total) without."""
        i = bisect_left(self.ends, index) if keep_end else bisect_right(self.ends, index)
        rest = index - self.before[self.days[i] - self.first]
        for start, end in self.spans[self.days[i] - self.first]:
            length = end - start
            if rest < length or (keep_end and rest == length):
                return self.midnights[i] + _clock_offset(start + rest)
            rest -= length
        raise AssertionError("working-time index outside its day")  # pragma: no cover


@functools.lru_cache(maxsize=64)
def _national_days(first_year: int, last_year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, make-up working days) announced nationally for the years, both inclusive.

    Shared by all calendars: building the `holidays` table is the slow part of a block."""
    # Neighbouring years too: a swap announced for one year may name a day in the next.
    years = range(max(first_year - 1, 1), min(last_year + 1, date.max.year) + 1)
    table = holidays.country_holidays("VN", years=years)
    makeup = frozenset(d for d in table.weekend_workdays if first_year <= d.year <= last_year)
    return frozenset(table), makeup


class WorkingCalendar:
    """Working days and sessions of one scope (the nation or one agency).

    Immutable: attributes cannot be set after construction, and the only inner state,
    the precomputed blocks, is added lazily on first use and never altered. A block computed
    twice by racing threads is identical, so sharing an instance across threads is safe.

    Schedules are effective-dated: on a given day the schedule with the greatest
    `effective_from` not after the day applies, and before the first schedule the first one
    applies. Overrides win over weekends, national days off and make-up Saturdays; when two
    overrides name the same day the later one in `overrides` wins, so a caller can pass the
    national overrides followed by the agency's own.
    """

    __slots__ = (
        "_blocks",
        "_overrides",
        "_schedule_days",
        "_schedule_spans",
        "overrides",
        "same_day_cutoff",
        "schedules",
        "use_national_holidays",
    )

    schedules: tuple[Schedule, ...]
    overrides: tuple[Override, ...]
    use_national_holidays: bool
    same_day_cutoff: time
    _schedule_days: list[int]
    _schedule_spans: list[_Spans]
    _overrides: dict[int, bool]
    # The only state that changes: precomputed blocks, added on first use, never altered.
    _blocks: dict[int, _Block]

    def __init__(
        self,
        *,
        schedules: Sequence[Schedule] = (Schedule(date.min, DEFAULT_SESSIONS),),
        overrides: Iterable[Override] = (),
        use_national_holidays: bool = True,
        same_day_cutoff: time = time(15, 0),
    ) -> None:
        if not schedules:
            raise ValueError("A working calendar needs at least one schedule.")
        ordered = tuple(sorted(schedules, key=lambda schedule: schedule.effective_from))
        for earlier, later in itertools.pairwise(ordered):
            if earlier.effective_from == later.effective_from:
                raise ValueError(
                    f"Two working schedules take effect on {later.effective_from.isoformat()}."
                )
        init = functools.partial(object.__setattr__, self)
        init("schedules", ordered)
        init("overrides", tuple(overrides))
        init("use_national_holidays", use_national_holidays)
        init("same_day_cutoff", same_day_cutoff)
        init("_schedule_days", [_day_number(s.effective_from) for s in ordered])
        init("_schedule_spans", [_spans(s.sessions) for s in ordered])
        # Later overrides of the same day win: the dict keeps the last value.
        init(
            "_overrides",
            {_day_number(o.day): o.kind is DayKind.WORKING_DAY for o in self.overrides},
        )
        init("_blocks", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkingCalendar is immutable; cannot set {name!r}.")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"WorkingCalendar is immutable; cannot delete {name!r}.")

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(schedules={self.schedules!r}, overrides={self.overrides!r}, "
            f"use_national_holidays={self.use_national_holidays!r}, "
            f"same_day_cutoff={self.same_day_cutoff!r})"
        )

    # --- blocks --------------------------------------------------------------------------

    def _block(self, key: int) -> _Block:
        block = self._blocks.get(key)
        if block is None:
            block = self._blocks[key] = self._build_block(key)
        return block

    def _build_block(self, key: int) -> _Block:
        first = key << _BLOCK_SHIFT
        last = first + _BLOCK_DAYS - 1
        if last < _FIRST_DAY or first > _LAST_DAY:
            raise ValueError("Date outside the range the working calendar supports.")
        if self.use_national_holidays:
            first_year = _date_of(max(first, _FIRST_DAY)).year
            last_year = _date_of(min(last, _LAST_DAY)).year
            days_off, makeup_days = _national_days(first_year, last_year)
        else:
            days_off = makeup_days = frozenset()
        spans: list[_Spans] = []
        for day in range(first, last + 1):
            if not _FIRST_DAY <= day <= _LAST_DAY:
                spans.append(())
                continue
            worked = self._overrides.get(day)
            if worked is None:
                on = _date_of(day)
                worked = on in makeup_days if day % 7 >= 5 else on not in days_off
            spans.append(self._spans_on(day) if worked else ())
        return _Block(key, spans)

    def _spans_on(self, day: int) -> _Spans:
        index = bisect_right(self._schedule_days, day) - 1
        return self._schedule_spans[max(index, 0)]

    def _day_spans(self, day: int) -> _Spans:
        return self._block(day >> _BLOCK_SHIFT).spans[day & (_BLOCK_DAYS - 1)]

    def _next_working_day_number(self, day: int) -> int:
        """The first working day number at or after `day`."""
        block = self._block(day >> _BLOCK_SHIFT)
        i = bisect_left(block.days, day)
        while i == len(block.days):
            block = self._block(block.key + 1)
            i = 0
        return block.days[i]

    # --- days ----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether state bodies work on `day`."""
        return bool(self._day_spans(_day_number(day)))

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        """The working sessions of `day`, empty when it is not a working day."""
        number = _day_number(day)
        if not self._day_spans(number):
            return ()
        index = bisect_right(self._schedule_days, number) - 1
        return self.schedules[max(index, 0)].sessions

    def next_working_day(self, day: date, *, include_self: bool = False) -> date:
        """The first working day after `day` (or `day` itself when `include_self` and it is
        worked)."""
        number = _day_number(day) + (0 if include_self else 1)
        return _date_of(self._next_working_day_number(number))

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in [start, end), like `numpy.busday_count`; 0 when
        `end <= start`. Used to report how many working days early or late a dossier was."""
        first, stop = _day_number(start), _day_number(end)
        if stop <= first:
            return 0
        first_key, stop_key = first >> _BLOCK_SHIFT, stop >> _BLOCK_SHIFT
        first_block = self._block(first_key)
        count = -bisect_left(first_block.days, first)
        for key in range(first_key, stop_key):
            count += len(self._block(key).days)
        return count + bisect_left(self._block(stop_key).days, stop)

    def close_of_business(self, day: date) -> datetime:
        """The end of the last session of `day`, or of the next working day when `day` is
        not worked: where a deadline counted in whole days ends (Civil Code 2015 Art. 148(5):
        a period whose last day is a day off ends at the end of the next working day)."""
        number = self._next_working_day_number(_day_number(day))
        return join_moment(number, self._day_spans(number)[-1][1])

    # --- working time --------------------------------------------------------------------

    def working_microseconds_between(self, start: datetime, end: datetime) -> int:
        """Working time in [start, end) in microseconds; 0 when `end <= start`."""
        start_day, start_us = split_moment(start)
        end_day, end_us = split_moment(end)
        if (end_day, end_us) <= (start_day, start_us):
            return 0
        start_block = self._block(start_day >> _BLOCK_SHIFT)
        end_block = self._block(end_day >> _BLOCK_SHIFT)
        worked = end_block.index(end_day, end_us) - start_block.index(start_day, start_us)
        for key in range(start_block.key, end_block.key):
            worked += self._block(key).total
        return worked

    def add_working_microseconds(self, start: datetime, amount: int) -> datetime:
        """The earliest moment by which `amount` microseconds of working time have elapsed
        since `start`. For a positive amount that moment is inside a session or exactly at
        its end (07:30 + 8 h is 17:00 the same day, not 07:30 the next); for 0 it is `start`
        itself, in +07:00."""
        # The deadline hot path: `split_moment` and `_Block.index` are inlined on purpose.
        try:
            delta = start - _EPOCH
        except TypeError:
            raise _naive_error(start) from None
        if amount <= 0:
            if amount:
                raise ValueError(f"Cannot add a negative working time ({amount} µs).")
            return _EPOCH + delta
        day = delta.days
        block = self._blocks.get(day >> _BLOCK_SHIFT) or self._block(day >> _BLOCK_SHIFT)
        micros = delta.seconds * _US_PER_SECOND + delta.microseconds
        k = day - block.first
        index = block.before[k] + amount
        for session_start, session_end in block.spans[k]:
            if micros <= session_start:
                break
            if micros < session_end:
                index += micros - session_start
                break
            index += session_end - session_start
        while index > block.total:
            index -= block.total
            block = self._block(block.key + 1)
        # `_Block.moment(index, keep_end=True)` and `_clock_offset`, inlined.
        i = bisect_left(block.ends, index)
        k = block.days[i] - block.first
        index -= block.before[k]
        for session_start, session_end in block.spans[k]:
            if index <= session_end - session_start:
                micros = session_start + index
                break
            index -= session_end - session_start
        else:  # pragma: no cover
            raise AssertionError("working-time index outside its day")
        seconds, rest = divmod(micros, _US_PER_SECOND)
        offset = _SECOND_OFFSETS[seconds]
        if offset is None:
            offset = _SECOND_OFFSETS[seconds] = timedelta(seconds=seconds)
        if rest:
            offset += timedelta(microseconds=rest)
        return block.midnights[i] + offset

    def next_working_instant(self, moment: datetime) -> datetime:
        """`moment` itself when it lies inside a session (start included, end excluded),
        else the start of the next session: the moment counting of working time begins."""
        day, micros = split_moment(moment)
        block = self._block(day >> _BLOCK_SHIFT)
        index = block.index(day, micros)
        while index >= block.total:
            index -= block.total
            block = self._block(block.key + 1)
        return block.moment(index, keep_end=False)


@functools.cache
def national_calendar() -> WorkingCalendar:
    """The national calendar with default sessions and no overrides, shared because it is
    immutable and its precomputed blocks are worth keeping."""
    return WorkingCalendar()
