"""`motcua purge-outbox-messages`: forget the outbox messages delivered more than --days
(default 30) ago. Given-up and pending messages stay. Run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.integrations.delivery import purge_delivered


class Command(BaseCommand):
    help = "Delete the outbox messages delivered more than --days (default 30) ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        deleted = purge_delivered(older_than=timezone.now() - dt.timedelta(days=options["days"]))
        self.stdout.write(f"{deleted} delivered outbox message(s) deleted.")
