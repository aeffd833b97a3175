"""Printed (PDF) layouts of the statistical forms: A4 landscape, the header rows of the
Excel export, the totals row.

Layering: reports and printing are the same layer and may not import each other. Reports
owns the forms' layout and renders it as HTML (`*_html`); turning HTML into PDF is the
printing app's engine (`printing.pdf.html_to_pdf`), which reports reaches only through the
`MOTCUA_PDF_ENGINE` setting (a dotted path to a `callable(html: str) -> bytes`, like
Django's EMAIL_BACKEND), so that `*_pdf` can return PDF bytes to any interface without
reports depending on printing's code."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from .bieu06 import COLUMN_NUMBERS, COLUMNS, Bieu06
from .exports import header_spans, numbered_lines, title_lines

DEFAULT_PDF_ENGINE = "motcua.printing.pdf.html_to_pdf"


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class PrintedRow:
    cells: Sequence[object]
    bold: bool = False


@dataclass(frozen=True)
class PrintedTable:
    """Everything a printed form shows, already translated and formatted."""

    form: str
    title: str
    lines: Sequence[str]
    count: str
    header: Sequence[Sequence[HeaderCell]]
    numbers: Sequence[str]
    rows: Sequence[PrintedRow]
    label_width: int = 22
    language: str = field(default="vi")


def header_rows(spans: Sequence[tuple[int, int, int, int, str]]) -> list[list[HeaderCell]]:
    """HTML header rows from cells given as (first column, last column, first row, last
    row, text), rows from 0."""
    rows: list[list[HeaderCell]] = [[] for _ in range(max(r2 for *_c, _r1, r2, _t in spans) + 1)]
    for c1, c2, r1, r2, text in sorted(spans, key=lambda s: (s[2], s[0])):
        rows[r1].append(HeaderCell(text, colspan=c2 - c1 + 1, rowspan=r2 - r1 + 1))
    return rows


def table_html(table: PrintedTable) -> str:
    return render_to_string(
        "reports/print_table.html", {"table": table, "language": table.language}
    )


def bieu06_table(report: Bieu06) -> PrintedTable:
    titles = title_lines(report)
    numbers = ["(1)", "(2)", *(f"({COLUMN_NUMBERS[name]})" for name in COLUMNS)]
    return PrintedTable(
        form=titles.form,
        title=titles.title,
        lines=[titles.period, titles.unit],
        count=titles.count,
        header=header_rows(header_spans(report)),
        numbers=numbers,
        rows=[
            PrintedRow([number, label, *counts.as_tuple()], bold=bold)
            for number, label, counts, bold in numbered_lines(report)
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def bieu06_html(report: Bieu06) -> str:
    """The printed Biểu 06 as HTML (A4 landscape)."""
    return table_html(bieu06_table(report))


def pdf_engine() -> Callable[[str], bytes]:
    engine: Callable[[str], bytes] = import_string(
        getattr(settings, "MOTCUA_PDF_ENGINE", DEFAULT_PDF_ENGINE)
    )
    return engine


def bieu06_pdf(report: Bieu06) -> bytes:
    """The printed Biểu 06 as PDF bytes. Raises printing's PdfEngineUnavailable when the
    PDF engine cannot load (no Pango on the machine)."""
    return pdf_engine()(bieu06_html(report))
