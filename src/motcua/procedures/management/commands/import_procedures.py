"""`motcua import-procedures PATH...`: load the national public service portal's exports
(the Excel listings and the detail records) into the procedure catalogue.

Parsing lives in `procedures.importing`, writing in `procedures.services.procedure_upsert`
(one transaction per procedure); this command reads the arguments, runs the two and prints
what happened, including everything it could not read.

Exit status: 0 when every procedure was imported, 1 when some failed, 2 on bad arguments
(a missing or unreadable file, a bad date)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from motcua.procedures.importing import (
    InputError,
    ParseStats,
    Problem,
    Reason,
    SourceRecord,
    Sources,
    build_spec,
    merge_sources,
    read_sources,
)
from motcua.procedures.services import UpsertOutcome, procedure_upsert

BAD_ARGUMENTS = 2
SOME_FAILED = 1
OUTCOME_LABELS = {
    UpsertOutcome.CREATED: "created",
    UpsertOutcome.NEW_VERSION: "new version",
    UpsertOutcome.UPDATED: "updated",
    UpsertOutcome.UNCHANGED: "unchanged",
}


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Import administrative procedures from the national public service portal: the Excel "
        "listings (.xlsx) and the detail records (.jsonl, .json, optionally gzipped), merged "
        "by procedure code. Safe to run again: unchanged procedures are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="input files")
        parser.add_argument(
            "--effective-from",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="date a changed procedure's new version takes effect (default: today)",
        )
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="write every problem to FILE: CSV if it ends in .csv, else JSON lines",
        )
        parser.add_argument(
            "--show",
            type=int,
            default=5,
            metavar="N",
            help="problems shown per reason on the console (default 5)",
        )
        parser.add_argument("--dry-run", action="store_true", help="parse and report only")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        effective_from: dt.date = options["effective_from"] or timezone.localdate()
        try:
            sources = read_sources(options["paths"])
        except InputError as exc:
            raise CommandError(str(exc), returncode=BAD_ARGUMENTS) from exc
        report_path: Path | None = options["report"]
        try:
            report = report_path.open("w", encoding="utf-8", newline="") if report_path else None
        except OSError as exc:
            raise CommandError(
                f"{report_path}: cannot write the report ({exc.strerror})",
                returncode=BAD_ARGUMENTS,
            ) from exc

        records = merge_sources(sources)
        outcomes: Counter[str] = Counter()
        problems: list[Problem] = []
        stats = ParseStats()
        progress = tqdm(
            records,
            desc="Importing",
            unit=" procedures",
            file=sys.stderr,
            disable=options["quiet"] or not sys.stderr.isatty(),
        )
        for record in progress:
            # One record must never stop the others: whatever goes wrong is reported.
            try:
                spec, found = build_spec(record)
            except Exception as exc:
                problems.append(Problem(record.code, Reason.IMPORT_FAILED, f"parse: {exc!r}"))
                outcomes["failed"] += 1
                continue
            stats.add(spec)
            problems.extend(found)
            if options["dry_run"]:
                outcomes["parsed"] += 1
                continue
            try:
                outcome = procedure_upsert(spec=spec, effective_from=effective_from)
            except Exception as exc:
                problems.append(Problem(record.code, Reason.IMPORT_FAILED, _describe(exc)))
                outcomes["failed"] += 1
            else:
                outcomes[OUTCOME_LABELS[outcome]] += 1

        self._print_summary(sources, records, outcomes, stats, problems, options, effective_from)
        if report is not None:
            with report:
                _write_report(report, report_path, problems)
            self.stdout.write(f"Full list of problems written to {report_path}.")
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")
        if outcomes["failed"]:
            raise CommandError(
                f"{outcomes['failed']} procedure(s) could not be imported "
                f"(reason {Reason.IMPORT_FAILED.value!r} above).",
                returncode=SOME_FAILED,
            )

    def _print_summary(
        self,
        sources: Sources,
        records: list[SourceRecord],
        outcomes: Counter[str],
        stats: ParseStats,
        problems: list[Problem],
        options: dict[str, Any],
        effective_from: dt.date,
    ) -> None:
        write = self.stdout.write
        write(f"Files read: {len(sources.files)}")
        for path in sources.files:
            write(f"  {path}")
        write(
            f"Records read: {len(sources.listing):,} listing rows, {len(sources.details):,} "
            f"detail records -> {len(records):,} procedures"
        )
        if options["dry_run"]:
            write(f"Dry run: {outcomes['parsed']:,} parsed, nothing written.")
        else:
            counts = ", ".join(
                f"{outcomes[label]:,} {label}" for label in [*OUTCOME_LABELS.values(), "failed"]
            )
            write(f"Procedures (effective from {effective_from:%Y-%m-%d}): {counts}")
        rows = stats.channel_rows
        write(f"Channel rows: {rows:,}")
        write(f"  time limit parsed  {stats.share(stats.time_parsed, rows)}")
        write(f"  fee parsed         {stats.share(stats.fee_parsed, rows)}")
        write(f"  both parsed        {stats.share(stats.both_parsed, rows)}")
        write(f"  time units: {_counts(stats.time_units)}")
        write(f"  fee kinds:  {_counts(stats.fee_kinds)}")

        by_reason: dict[Reason, list[Problem]] = defaultdict(list)
        for problem in problems:
            by_reason[problem.reason].append(problem)
        if not by_reason:
            write("Nothing left unparsed.")
            return
        codes = len({p.code for p in problems})
        write(f"Not parsed or not imported: {len(problems):,} problems in {codes:,} procedures")
        shown = max(options["show"], 0)
        for reason, items in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
            in_codes = len({p.code for p in items})
            write(f"- {reason.value}: {len(items):,} in {in_codes:,} procedures: {reason.message}")
            for problem in items[:shown]:
                detail = problem.detail.replace("\n", " ")
                write(f"    {problem.code}  {_shorten(detail, 110)}")
            if len(items) > shown:
                write(f"    ... and {len(items) - shown:,} more" + _see_report(options))


def _describe(exc: Exception) -> str:
    code = getattr(exc, "code", "")
    return f"{type(exc).__name__}{f' [{code}]' if code else ''}: {exc}"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {value:,}" for key, value in counter.most_common())


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _see_report(options: dict[str, Any]) -> str:
    return f" (all in {options['report']})" if options["report"] else " (use --report FILE)"


def _write_report(stream: TextIO, path: Path | None, problems: list[Problem]) -> None:
    if path is not None and path.suffix.lower() == ".csv":
        writer = csv.DictWriter(stream, fieldnames=["code", "reason", "message", "detail"])
        writer.writeheader()
        writer.writerows(problem.as_dict() for problem in problems)
        return
    for problem in problems:
        stream.write(json.dumps(problem.as_dict(), ensure_ascii=False) + "\n")
