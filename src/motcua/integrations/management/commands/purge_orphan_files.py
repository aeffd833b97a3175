"""`motcua purge-orphan-files`: delete the uploads that no row references, left behind by
transactions that rolled back after storing them (see `integrations.orphan_files`), once
older than --hours (default 24) so that no transaction still running can claim them. Run it
daily; --dry-run only counts them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.integrations.orphan_files import orphan_files_purge


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no row references and that are older than --hours "
        "(default 24); --dry-run deletes nothing. -v 2 lists the files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours must be at least 1.")
        report = orphan_files_purge(
            older_than=timezone.now() - dt.timedelta(hours=options["hours"]),
            dry_run=options["dry_run"],
        )
        if options["verbosity"] >= 2:
            for purged in report:
                for name in purged.names:
                    self.stdout.write(name)
        files = sum(purged.files for purged in report)
        size = sum(purged.bytes for purged in report)
        where = ", ".join(f"{purged.directory}: {purged.files}" for purged in report)
        folders = sum(purged.folders for purged in report)
        verb = "would be deleted" if options["dry_run"] else "deleted"
        self.stdout.write(
            f"{files} orphan file(s), {size} bytes, and {folders} empty folder(s) {verb} ({where})."
        )
