"""The printed Biểu 06: A4 landscape, the header rows of the Excel export, the totals row."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.utils.module_loading import import_string
from pypdf import PdfReader

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, at
from motcua.reports.bieu06 import bieu06
from motcua.reports.periods import date_range
from motcua.reports.printed import bieu06_html, bieu06_pdf
from motcua.reports.tables import Table

from .conftest import Driver

WEEK = date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 20))


@pytest.fixture
def three(world: World, drive: Driver) -> list[Dossier]:
    """Online early, counter late, counter open and overdue."""
    a = drive.online(at(16, 9))
    drive.resolve(a, at(17, 10))
    b = drive.counter(at(9, 9))
    drive.resolve(b, at(16, 10))
    c = drive.counter(at(16, 10))
    return [a, b, c]


def _text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_header_rows_keep_the_spans_of_the_form() -> None:
    spans = [(1, 1, 0, 1, "STT"), (2, 3, 0, 0, "A"), (2, 2, 1, 1, "B"), (3, 3, 1, 1, "C")]
    table = Table("F", "T", [], "", spans, ["(1)", "(2)", "(3)"], [])
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in table.header] == [
        [("STT", 1, 2), ("A", 2, 1)],
        [("B", 1, 1), ("C", 1, 1)],
    ]


def test_html_has_the_headers_and_the_totals(world: World, three: list[Dossier]) -> None:
    report = bieu06(agency=world.home.root, period=WEEK)
    html = bieu06_html(report)
    assert "size: A4 landscape" in html
    assert "Biểu số 06/VPCP/KSTT" in html
    assert 'colspan="4">Số hồ sơ nhận giải quyết' in html
    assert "".join(f"<th>({n})</th>" for n in range(1, 15)) in html
    totals = report.totals
    assert (totals.received, totals.resolved, totals.in_progress) == (3, 2, 1)
    row = "".join(f'<td class="n">{v}</td>' for v in totals.as_tuple())
    assert f'<tr class="bold"><td class="n"></td><td>Tổng số</td>{row}</tr>' in html


def test_pdf_text_has_the_agency_the_period_and_the_totals(
    world: World, three: list[Dossier]
) -> None:
    problem = import_string("motcua.printing.pdf.engine_problem")()
    if problem:
        pytest.skip(problem)
    report = bieu06(agency=world.home.root, period=WEEK)
    text = _text(bieu06_pdf(report))
    assert world.home.root.name in text
    assert any(ord(ch) > 127 for ch in world.home.root.name)  # diacritics survive
    assert "Từ ngày 16/03/2026 đến ngày 20/03/2026" in text
    assert "Tổng số" in text
    totals = " ".join(str(v) for v in report.totals.as_tuple())
    assert f"Tổng số {totals}" in text
    reader = PdfReader(io.BytesIO(bieu06_pdf(report)))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape


def test_bieu07b_pdf_has_the_form_and_the_units(world: World) -> None:
    problem = import_string("motcua.printing.pdf.engine_problem")()
    if problem:
        pytest.skip(problem)
    from motcua.reports.bieu07b import bieu07b
    from motcua.reports.printed import bieu07b_pdf

    report = bieu07b(agency=world.home.root, period=WEEK)
    text = _text(bieu07b_pdf(report))
    assert "Biểu số II.07b/VPCP/KSTT" in text
    assert world.home.ward.name in text
    assert "Tổng số " + " ".join(str(v) for v in report.totals.as_tuple()) in text
