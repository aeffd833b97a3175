from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from motcua.reports.definitions import (
    DEFINITION_FILE,
    GRADE_FILE,
    load_definitions,
    load_grade_bands,
)
from motcua.reports.models import GradeBand, IndicatorDefinition


class Command(BaseCommand):
    help = (
        "Load the Decision 766 indicator definitions (points, thresholds, formulas, dates) "
        "and the grade bands of the evaluation of dossier handling."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFINITION_FILE)
        parser.add_argument("--grades", type=Path, default=GRADE_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created, updated = load_definitions(IndicatorDefinition, options["file"])
            bands_created, bands_updated = load_grade_bands(GradeBand, options["grades"])
        self.stdout.write(f"indicators: {created} created, {updated} updated")
        self.stdout.write(f"grade bands: {bands_created} created, {bands_updated} updated")
