"""`motcua purge-idempotency-records`: forget the answers kept for POST retries once no
client will retry any more (default: after 24 hours). Run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.api import idempotency


class Command(BaseCommand):
    help = "Delete the idempotency records of finished POSTs older than --hours (default 24)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours must be at least 1.")
        deleted = idempotency.purge(
            older_than=timezone.now() - dt.timedelta(hours=options["hours"])
        )
        self.stdout.write(f"{deleted} idempotency record(s) deleted.")
