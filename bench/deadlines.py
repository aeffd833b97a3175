"""Benchmark: due-moment computations per second on one core, beside numpy.busday_offset.

Run as `python bench/deadlines.py [--n 200000] [--repeat 5] [--seed 20261123]`. Writes
bench/results/deadlines.json and prints a short summary. The goal is >= 200,000 `due_at`
calls per second for working-day and working-hour limits.

The mix is what the back office computes on reception: received moments spread uniformly over
2024-2027 (any hour, weekends and holidays included), 80 % limits of 1-30 working days and
20 % of 1-40 working hours, amounts as the database returns them (Decimal with two places)
and units as stored strings.

numpy.busday_offset is the reference for the day-level part of the same work (same start
dates, same day offsets, weekmask Mon-Fri, the same national days off as holidays). It does
less: no sessions, no hours, no timezone, and it cannot express make-up working Saturdays
(a weekmask is weekly, `holidays` can only remove days), so its answer is wrong whenever a
make-up Saturday falls inside the period. The ratio compares throughput only.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from motcua.domain.calendar import VN_TZ, WorkingCalendar, national_calendar  # noqa: E402
from motcua.domain.deadlines import due_at  # noqa: E402

FIRST = datetime(2024, 1, 1, tzinfo=VN_TZ)
LAST = datetime(2028, 1, 1, tzinfo=VN_TZ)

Case = tuple[datetime, Decimal, str]


def make_cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    span = int((LAST - FIRST).total_seconds())
    cases: list[Case] = []
    for _ in range(n):
        received = FIRST + timedelta(seconds=rng.randrange(span))
        if rng.random() < 0.8:
            cases.append(
                (received, Decimal(rng.randint(1, 30)).quantize(Decimal("0.01")), "working_day")
            )
        else:
            cases.append(
                (received, Decimal(rng.randint(1, 40)).quantize(Decimal("0.01")), "working_hour")
            )
    return cases


def time_due_at(cases: list[Case], calendar: WorkingCalendar, repeat: int) -> list[float]:
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        for received, amount, unit in cases:
            due_at(received, amount, unit, calendar)
        rates.append(len(cases) / (time.perf_counter() - started))
    return rates


def national_days_off(calendar: WorkingCalendar, first: date, last: date) -> np.ndarray:
    """Weekdays the calendar does not work, as numpy holidays."""
    days = [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if (first + timedelta(days=i)).weekday() < 5
        and not calendar.is_working_day(first + timedelta(days=i))
    ]
    return np.array(days, dtype="datetime64[D]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    calendar = national_calendar()
    cases = make_cases(args.n, args.seed)

    # First use builds the holiday table and the precomputed blocks: timed apart.
    started = time.perf_counter()
    for received, amount, unit in cases[:1000]:
        due_at(received, amount, unit, calendar)
    first_use_seconds = time.perf_counter() - started

    due_rates = time_due_at(cases, calendar, args.repeat)

    # The day-level part: local start date, offset in whole working days (hours rounded up).
    start_dates = np.array([r.astimezone(VN_TZ).date() for r, _, _ in cases], dtype="datetime64[D]")
    offsets = np.array(
        [int(a) if u == "working_day" else -(-int(a) // 8) for _, a, u in cases], dtype=np.int64
    )
    days_off = national_days_off(calendar, date(2023, 12, 1), date(2030, 12, 31))
    busdays = np.busdaycalendar(weekmask="1111100", holidays=days_off)
    np_rates = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        np_dates = np.busday_offset(start_dates, offsets, roll="forward", busdaycal=busdays)
        np_rates.append(len(cases) / (time.perf_counter() - started))
    scalar_sample = 20_000
    started = time.perf_counter()
    for d, k in zip(start_dates[:scalar_sample], offsets[:scalar_sample], strict=True):
        np.busday_offset(d, k, roll="forward", busdaycal=busdays)
    np_scalar_rate = scalar_sample / (time.perf_counter() - started)

    # Cross-check the day level where it is comparable: a working-day limit received inside a
    # session, after its day's opening, ends at the same clock time N working days later (at
    # the opening itself it ends at 17:00 of day N-1). Disagreements must all come from
    # make-up Saturdays, which numpy cannot know about.
    makeup = {
        d
        for d in (date(2023, 12, 1) + timedelta(days=i) for i in range(3000))
        if d.weekday() >= 5 and calendar.is_working_day(d)
    }
    checked = mismatches = unexplained = 0
    for (received, amount, unit), np_date in zip(cases, np_dates.tolist(), strict=True):
        local = received.astimezone(VN_TZ)
        if (
            unit != "working_day"
            or calendar.next_working_instant(local) != local
            or local.time() == calendar.sessions_on(local.date())[0].start
        ):
            continue
        checked += 1
        due_date = due_at(received, amount, unit, calendar).date()
        if due_date != np_date:
            mismatches += 1
            span = {
                local.date() + timedelta(days=i) for i in range((due_date - local.date()).days + 1)
            }
            unexplained += not (span & makeup)

    due_rate = max(due_rates)
    np_rate = max(np_rates)
    result = {
        "name": "deadlines.due_at",
        "due_at_per_second": round(due_rate),
        "due_at_per_second_median": round(statistics.median(due_rates)),
        "numpy_busday_offset_per_second": round(np_rate),
        "numpy_busday_offset_scalar_per_second": round(np_scalar_rate),
        "ratio": round(due_rate / np_rate, 4),
        "ratio_vs_numpy_scalar_calls": round(due_rate / np_scalar_rate, 2),
        "goal_per_second": 200_000,
        "goal_met": due_rate >= 200_000,
        "n": len(cases),
        "repeat": args.repeat,
        "seed": args.seed,
        "mix": "80% 1-30 working days, 20% 1-40 working hours; Decimal amounts; 2024-2027",
        "first_use_seconds": round(first_use_seconds, 4),
        "day_level_checked": checked,
        "day_level_mismatches": mismatches,
        "day_level_mismatches_unexplained": unexplained,
        "numpy_note": (
            "numpy.busday_offset cannot express make-up working Saturdays (weekmask is weekly, "
            "holidays only remove days); it computes dates only, no sessions or hours."
        ),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": f"{platform.machine()} {platform.processor() or platform.platform()}",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    out = ROOT / "bench" / "results" / "deadlines.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(
        f"due_at: {due_rate:,.0f}/s best of {args.repeat} (median "
        f"{statistics.median(due_rates):,.0f}/s), n={len(cases):,}; goal 200,000/s "
        f"{'met' if result['goal_met'] else 'NOT met'}"
    )
    print(
        f"numpy.busday_offset, day level only: {np_rate:,.0f}/s vectorised, "
        f"{np_scalar_rate:,.0f}/s one call per date"
    )
    print(
        f"ratio due_at / numpy vectorised: {result['ratio']}; "
        f"vs numpy per call: {result['ratio_vs_numpy_scalar_calls']}"
    )
    print(
        f"day-level cross-check: {checked:,} cases, {mismatches} differ, all from make-up "
        f"Saturdays numpy cannot express"
        if not unexplained
        else f"day-level cross-check: {unexplained} UNEXPLAINED differences"
    )
    print("note: numpy.busday_offset has no make-up working Saturdays and no hours.")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
