from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.reports.facts import facts_rebuild, facts_refresh


class Command(BaseCommand):
    help = (
        "Bring the pre-aggregated report facts up to date with the dossier events "
        "(--rebuild: recompute them all from the dossier rows)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            self.stdout.write(f"facts rebuilt: {facts_rebuild()} dossiers")
        else:
            self.stdout.write(f"facts refreshed: {facts_refresh()} dossiers changed")
