"""`motcua report`: the reports to files without the web interface."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motcua.dossiers.tests.factories import World, at

from .conftest import Driver


@pytest.fixture
def some(world: World, drive: Driver) -> None:
    a = drive.online(at(16, 9))
    drive.resolve(a, at(17, 10))
    drive.counter(at(16, 10))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_bieu06_to_excel_and_json(world: World, some: None, tmp_path: Path) -> None:
    target = tmp_path / "b06.xlsx"
    period = "2026-03-16..2026-03-20"
    _run("bieu06", "--agency", world.home.root.code, "--period", period, "-o", str(target))
    ws = load_workbook(target).active
    assert ws["A1"].value == "Biểu số 06/VPCP/KSTT"
    data = json.loads(
        _run("bieu06", "--agency", world.home.root.code, "--period", period, "--format", "json")
    )
    assert data["totals"]["received"] == 2 and data["totals"]["resolved"] == 1
    assert data["period"] == ["2026-03-16", "2026-03-20"]


def test_bieu07b_index766_and_evaluation(world: World, some: None, tmp_path: Path) -> None:
    code = world.home.root.code
    form = json.loads(_run("bieu07b", "--agency", code, "--period", "2026-Q1", "--format", "json"))
    assert form["totals"]["total"] == 1
    text = _run("index766", "--agency", code, "--period", "2026-03-16..2026-03-20")
    assert "2.1" in text and "total" in text
    assert "0/0 (N/A)" in text  # 5.2: no complaint, no rate
    rows = json.loads(
        _run(
            "evaluation", "--agency", code, "--period", "2026-03-16..2026-03-20", "--format", "json"
        )
    )
    assert [(r["dossiers"], r["criteria"]["1"]) for r in rows] == [(1, "2.00")]


def test_bad_input_is_a_clear_error(world: World) -> None:
    with pytest.raises(CommandError, match="no agency"):
        _run("bieu06", "--agency", "NOPE", "--period", "2026")
    with pytest.raises(CommandError, match="not a period"):
        _run("bieu06", "--agency", world.home.root.code, "--period", "soon")
    with pytest.raises(CommandError, match="needs -o"):
        _run("bieu06", "--agency", world.home.root.code, "--period", "2026")
    with pytest.raises(CommandError, match="--format"):
        _run("index766", "--agency", world.home.root.code, "--period", "2026", "--format", "xlsx")
