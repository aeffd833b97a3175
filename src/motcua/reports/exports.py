"""Excel exports laid out like the official forms (openpyxl)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .bieu06 import COLUMN_NUMBERS, COLUMNS, Bieu06, Counts

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
LAST_COLUMN = 2 + len(COLUMNS)  # (1) STT, (2) label, then (3)..(14)
HEADER_FIRST_ROW = 7


def _header(ws: Worksheet, report: Bieu06) -> int:
    """Title lines and the three header rows, then the row of column numbers. Returns the
    first data row."""
    last = get_column_letter(LAST_COLUMN)
    ws["A1"] = _("Form No. 06/VPCP/KSTT")
    ws["A1"].font = _BOLD
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = _(
        "SITUATION AND RESULTS OF HANDLING ADMINISTRATIVE PROCEDURES AT THE AGENCIES "
        "AND UNITS THAT DIRECTLY HANDLE THEM"
    )
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = _("(From %(first)s to %(last)s)") % {
        "first": report.period.first_day.strftime("%d/%m/%Y"),
        "last": report.period.last_day.strftime("%d/%m/%Y"),
    }
    ws.merge_cells(f"A4:{last}4")
    ws["A4"] = _("Reporting unit: %(name)s") % {"name": report.agency_name}
    ws.merge_cells(f"A5:{last}5")
    ws["A5"] = _("Unit: number of dossiers")
    for row in range(2, 6):
        ws.cell(row=row, column=1).alignment = _CENTER
    ws["A2"].font = _BOLD

    h1, h2, h3, numbers = (
        HEADER_FIRST_ROW,
        HEADER_FIRST_ROW + 1,
        HEADER_FIRST_ROW + 2,
        HEADER_FIRST_ROW + 3,
    )
    label = (
        _("Field, work handled by level")
        if report.rows_by == "field"
        else pgettext("report row label", "Unit")
    )
    spans = [
        # (first column, last column, first row, last row, text)
        (1, 1, h1, h3, pgettext("report row number", "No.")),
        (2, 2, h1, h3, label),
        (3, 6, h1, h1, _("Dossiers taken for handling")),
        (3, 3, h2, h3, pgettext("report column", "Total")),
        (4, 6, h2, h2, pgettext("report column", "Of which")),
        (4, 4, h3, h3, _("Newly received online")),
        (5, 5, h3, h3, _("Newly received in person or by post")),
        (6, 6, h3, h3, _("Carried over from the previous period")),
        (7, 10, h1, h1, _("Dossiers resolved")),
        (7, 7, h2, h3, pgettext("report column", "Total")),
        (8, 8, h2, h3, pgettext("report column", "Before the deadline")),
        (9, 9, h2, h3, pgettext("report column", "On time")),
        (10, 10, h2, h3, pgettext("report column", "Late")),
        (11, 13, h1, h1, _("Dossiers being handled")),
        (11, 11, h2, h3, pgettext("report column", "Total")),
        (12, 12, h2, h3, pgettext("report column", "Within the time limit")),
        (13, 13, h2, h3, pgettext("report column", "Overdue")),
        (14, 14, h1, h3, _("Stopped at the applicant's request (withdrawn)")),
    ]
    for c1, c2, r1, r2, text in spans:
        if (c1, r1) != (c2, r2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.cell(row=r1, column=c1, value=text)
    for row in range(h1, numbers + 1):
        for column in range(1, LAST_COLUMN + 1):
            head = ws.cell(row=row, column=column)
            head.alignment = _CENTER
            head.border = _BOX
            head.font = _BOLD
    ws.cell(row=numbers, column=1, value="(1)")
    ws.cell(row=numbers, column=2, value="(2)")
    for name in COLUMNS:
        ws.cell(row=numbers, column=COLUMN_NUMBERS[name], value=f"({COLUMN_NUMBERS[name]})")
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for column in range(3, LAST_COLUMN + 1):
        ws.column_dimensions[get_column_letter(column)].width = 13
    ws.freeze_panes = f"C{numbers + 1}"
    return numbers + 1


def _line(ws: Worksheet, row: int, number: str, label: str, counts: Counts, bold: bool) -> None:
    values: list[str | int] = [number, label, *counts.as_tuple()]
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.border = _BOX
        if bold:
            cell.font = _BOLD
        if column != 2:
            cell.alignment = Alignment(horizontal="center")


def bieu06_xlsx(report: Bieu06) -> bytes:
    """The workbook of the form: title, period, unit, the three header rows with the column
    numbers (1)..(14), a row per level group (with its subtotal), a row per field or agency,
    and the totals row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Bieu06"
    row = _header(ws, report)
    for g, group in enumerate(report.groups):
        number = _ROMAN[g] if g < len(_ROMAN) else str(g + 1)
        _line(ws, row, number, group.label, group.counts, bold=True)
        row += 1
        for i, line in enumerate(group.rows, start=1):
            _line(ws, row, str(i), line.label, line.counts, bold=False)
            row += 1
    _line(ws, row, "", pgettext("report row", "Total"), report.totals, bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
