"""`motcua generate-history`: a synthetic history of the demo province (see demo/history.py)."""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.demo.history import DemoMissing, generate_history


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Not a date: %(value)s (expected YYYY-MM-DD).") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic synthetic history of the demo province (run "
        "`motcua demo` first): dossiers with every event, received over the given years up "
        "to --end. Deterministic with --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--years", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--end", type=str, default="", help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--chunk", type=int, default=10_000, help="dossiers per transaction (bounds memory)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes generating in parallel (PostgreSQL only; default: up to 4)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dossiers"] <= 0 or options["years"] <= 0:
            raise CommandError(_("The number of dossiers and of years must be positive."))
        end = _day(options["end"]) if options["end"] else timezone.localdate()
        workers = options["workers"] or min(4, os.cpu_count() or 1)
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            workers = 1  # SQLite has one writer; a caller's transaction must see every row
        bar = tqdm(
            total=options["dossiers"],
            unit=" dossiers",
            disable=options["no_progress"],
            file=self.stderr,
        )
        started = time.monotonic()
        try:
            result = generate_history(
                dossiers=options["dossiers"],
                years=options["years"],
                end=end,
                seed=options["seed"],
                chunk_size=options["chunk"],
                workers=workers,
                progress=bar.update,
            )
        except DemoMissing:
            raise CommandError(
                _("The demo province is not loaded: run `motcua demo` first.")
            ) from None
        finally:
            bar.close()
        seconds = time.monotonic() - started
        self.stdout.write(
            _(
                "%(dossiers)d dossiers, %(events)d events and %(consultations)d consultations "
                "from %(start)s to %(end)s in %(seconds).1f s."
            )
            % {
                "dossiers": result.dossiers,
                "events": result.events,
                "consultations": result.consultations,
                "start": result.start.strftime("%d/%m/%Y"),
                "end": result.end.strftime("%d/%m/%Y"),
                "seconds": seconds,
            }
        )
