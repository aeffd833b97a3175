"""Printed (PDF) layouts of the statistical forms: A4 landscape, the header rows of the
Excel export, the totals row.

Layering: reports and printing are the same layer and may not import each other. Reports
owns the forms' layout (`tables.Table`) and renders it as HTML (`*_html`); turning HTML
into PDF is the printing app's engine (`printing.pdf.html_to_pdf`), which reports reaches
only through the `MOTCUA_PDF_ENGINE` setting (a dotted path to a `callable(html: str) ->
bytes`, like Django's EMAIL_BACKEND), so that `*_pdf` returns PDF bytes to any interface
without reports importing printing."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from .bieu06 import Bieu06
from .bieu07b import Bieu07b
from .exports import bieu06_table, bieu07b_table
from .tables import Table

DEFAULT_PDF_ENGINE = "motcua.printing.pdf.html_to_pdf"


def table_html(table: Table) -> str:
    """A form on A4 landscape, as HTML."""
    return render_to_string("reports/print_table.html", {"table": table})


def pdf_engine() -> Callable[[str], bytes]:
    engine: Callable[[str], bytes] = import_string(
        getattr(settings, "MOTCUA_PDF_ENGINE", DEFAULT_PDF_ENGINE)
    )
    return engine


def table_pdf(table: Table) -> bytes:
    """A form as PDF bytes. Raises printing's PdfEngineUnavailable when the PDF engine
    cannot load (no Pango on the machine)."""
    return pdf_engine()(table_html(table))


def bieu06_html(report: Bieu06) -> str:
    """The printed Biểu 06 as HTML (A4 landscape)."""
    return table_html(bieu06_table(report))


def bieu06_pdf(report: Bieu06) -> bytes:
    """The printed Biểu 06 as PDF bytes."""
    return table_pdf(bieu06_table(report))


def bieu07b_pdf(report: Bieu07b) -> bytes:
    """The printed Biểu II.07b as PDF bytes."""
    return table_pdf(bieu07b_table(report))
