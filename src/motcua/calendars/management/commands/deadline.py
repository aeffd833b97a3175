"""`motcua deadline`: the due moment of a time limit under the working calendar.

One computation from the options, or many from JSON lines on stdin (`--jsonl`) for
integrators. A received moment without a UTC offset is local time (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.calendars.exceptions import UnknownAgency
from motcua.calendars.selectors import calendar_for_code
from motcua.domain import calendar as domain_calendar
from motcua.domain import deadlines

UNITS = [u.value for u in deadlines.Unit]


class InputError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_moment(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise InputError("invalid_received_at", "received_at must be an ISO 8601 string")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError("invalid_received_at", f"not an ISO 8601 moment: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=deadlines.VN_TZ)
    return moment


def parse_amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError("invalid_amount", "amount must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise InputError("invalid_amount", f"not a number: {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise InputError("invalid_amount", f"amount must be a non-negative number: {value!r}")
    return amount


def parse_unit(value: object) -> deadlines.Unit:
    if value not in UNITS:
        raise InputError("invalid_unit", f"unit must be one of {', '.join(UNITS)}: {value!r}")
    return deadlines.Unit(str(value))


def compute(
    received: object, amount: object, unit: object, calendar: domain_calendar.WorkingCalendar
) -> str:
    try:
        due = deadlines.due_at(
            parse_moment(received), parse_amount(amount), parse_unit(unit), calendar
        )
    except InputError:
        raise
    except ValueError as exc:
        raise InputError("invalid_time_limit", str(exc)) from exc
    return due.astimezone(deadlines.VN_TZ).isoformat()


class Command(BaseCommand):
    help = "Print the due moment of a time limit under the working calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", help="received moment, ISO 8601")
        parser.add_argument("--amount", help="amount of time (fractions allowed)")
        parser.add_argument("--unit", choices=UNITS)
        parser.add_argument("--agency", help="agency electronic code (default: national)")
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help='read JSON lines {"received_at", "amount", "unit"[, "agency"]} on stdin and '
            'write each back with "due_at" (or "error") added',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            calendar = calendar_for_code(options["agency"])
        except UnknownAgency as exc:
            raise CommandError(str(exc)) from exc
        if options["jsonl"]:
            failed = self.handle_jsonl(sys.stdin, calendar, options["agency"])
            if failed:
                raise CommandError(f'{failed} line(s) had errors; see their "error" field.')
            return
        missing = [f"--{k}" for k in ("received", "amount", "unit") if options[k] is None]
        if missing:
            raise CommandError(f"missing {', '.join(missing)} (or use --jsonl)")
        try:
            due = compute(options["received"], options["amount"], options["unit"], calendar)
        except InputError as exc:
            raise CommandError(f"{exc.code}: {exc}") from exc
        self.stdout.write(due)

    def handle_jsonl(
        self, stream: TextIO, default: domain_calendar.WorkingCalendar, default_code: str | None
    ) -> int:
        calendars: dict[str | None, domain_calendar.WorkingCalendar] = {default_code: default}
        failed = 0
        write = self.stdout.write
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    record = {"line": number, "input": record}
                    raise InputError("invalid_line", "each line must be a JSON object")
                code = record.get("agency", default_code)
                if code not in calendars:
                    try:
                        calendars[code] = calendar_for_code(code)
                    except UnknownAgency as exc:
                        raise InputError(exc.code, str(exc)) from exc
                record["due_at"] = compute(
                    record.get("received_at"),
                    record.get("amount"),
                    record.get("unit"),
                    calendars[code],
                )
            except json.JSONDecodeError as exc:
                failed += 1
                record = {"line": number, "error": {"code": "invalid_json", "message": str(exc)}}
            except InputError as exc:
                failed += 1
                record["error"] = {"code": exc.code, "message": str(exc)}
            write(json.dumps(record, ensure_ascii=False))
        return failed
