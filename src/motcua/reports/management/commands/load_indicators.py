from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from motcua.reports.definitions import DEFINITION_FILE, load_definitions
from motcua.reports.models import IndicatorDefinition


class Command(BaseCommand):
    help = "Load the Decision 766 indicator definitions (points, thresholds, formulas, dates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFINITION_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created, updated = load_definitions(IndicatorDefinition, options["file"])
        self.stdout.write(f"indicators: {created} created, {updated} updated")
