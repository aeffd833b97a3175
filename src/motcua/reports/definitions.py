"""Load the 766 indicator definitions from the definition file of the repository."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFINITION_FILE = Path(__file__).parent / "data" / "index766.json"
GRADE_FILE = Path(__file__).parent / "data" / "evaluation.json"


def read_definitions(path: Path = DEFINITION_FILE) -> list[dict[str, Any]]:
    """The indicator versions of the file, as field values of `IndicatorDefinition`."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for position, item in enumerate(raw["indicators"]):
        threshold = item.get("threshold")
        effective_to = item.get("effective_to")
        rows.append(
            {
                "code": item["code"],
                "group": item["group"],
                "group_name": item["group_name"],
                "name": item["name"],
                "formula": item.get("formula", ""),
                "max_points": Decimal(item["max_points"]),
                "threshold": Decimal(threshold) if threshold is not None else None,
                "position": position,
                "effective_from": dt.date.fromisoformat(item["effective_from"]),
                "effective_to": dt.date.fromisoformat(effective_to) if effective_to else None,
            }
        )
    return rows


def load_definitions(model: Any, path: Path = DEFINITION_FILE) -> tuple[int, int]:
    """Upsert every version of the file into `model` (the real model, or the historical one
    of a migration), keyed by (code, effective_from). Returns (created, updated)."""
    created = updated = 0
    for row in read_definitions(path):
        key = {"code": row.pop("code"), "effective_from": row.pop("effective_from")}
        _obj, new = model.objects.update_or_create(**key, defaults=row)
        created += new
        updated += not new
    return created, updated


def read_grade_bands(path: Path = GRADE_FILE) -> list[dict[str, Any]]:
    """The grade band versions of the evaluation file, as field values of `GradeBand`."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for position, item in enumerate(raw["bands"]):
        effective_to = item.get("effective_to")
        rows.append(
            {
                "code": item["code"],
                "label": item["label"],
                "min_points": Decimal(item["min_points"]),
                "position": position,
                "effective_from": dt.date.fromisoformat(item["effective_from"]),
                "effective_to": dt.date.fromisoformat(effective_to) if effective_to else None,
            }
        )
    return rows


def load_grade_bands(model: Any, path: Path = GRADE_FILE) -> tuple[int, int]:
    """Upsert every band version of the file, keyed by (code, effective_from)."""
    created = updated = 0
    for row in read_grade_bands(path):
        key = {"code": row.pop("code"), "effective_from": row.pop("effective_from")}
        _obj, new = model.objects.update_or_create(**key, defaults=row)
        created += new
        updated += not new
    return created, updated
