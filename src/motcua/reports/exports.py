"""Excel exports laid out like the official forms (openpyxl)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .bieu06 import COLUMN_NUMBERS, COLUMNS, Bieu06, Counts
from .bieu07b import COLUMNS_07B, Bieu07b, header_spans_07b
from .tables import Table, TableRow

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
HEADER_FIRST_ROW = 7


@dataclass(frozen=True)
class TitleLines:
    form: str
    title: str
    period: str
    unit: str
    count: str


def title_lines(report: Bieu06) -> TitleLines:
    """The lines above the table: form number, title, period, reporting unit, unit."""
    return TitleLines(
        form=_("Form No. 06/VPCP/KSTT"),
        title=_(
            "SITUATION AND RESULTS OF HANDLING ADMINISTRATIVE PROCEDURES AT THE AGENCIES "
            "AND UNITS THAT DIRECTLY HANDLE THEM"
        ),
        period=_("(From %(first)s to %(last)s)")
        % {
            "first": report.period.first_day.strftime("%d/%m/%Y"),
            "last": report.period.last_day.strftime("%d/%m/%Y"),
        },
        unit=_("Reporting unit: %(name)s") % {"name": report.agency_name},
        count=_("Unit: number of dossiers"),
    )


def numbered_lines(report: Bieu06) -> list[tuple[str, str, Counts, bool]]:
    """The body of the form: (number, label, counts, bold) for each level group (Roman
    numbers, with its subtotal), each field or agency under it, then the totals row."""
    lines: list[tuple[str, str, Counts, bool]] = []
    for g, group in enumerate(report.groups):
        number = _ROMAN[g] if g < len(_ROMAN) else str(g + 1)
        lines.append((number, group.label, group.counts, True))
        lines.extend(
            (str(i), line.label, line.counts, False) for i, line in enumerate(group.rows, start=1)
        )
    lines.append(("", pgettext("report row", "Total"), report.totals, True))
    return lines


def header_spans(report: Bieu06) -> list[tuple[int, int, int, int, str]]:
    """The three header rows of the form as cells (first and last column from 1, first and
    last header row from 0, text): shared by the Excel and the printed layouts."""
    label = (
        _("Field, work handled by level")
        if report.rows_by == "field"
        else pgettext("report row label", "Unit")
    )
    return [
        # (first column, last column, first row, last row, text), rows counted from 0
        (1, 1, 0, 2, pgettext("report row number", "No.")),
        (2, 2, 0, 2, label),
        (3, 6, 0, 0, _("Dossiers taken for handling")),
        (3, 3, 1, 2, pgettext("report column", "Total")),
        (4, 6, 1, 1, pgettext("report column", "Of which")),
        (4, 4, 2, 2, _("Newly received online")),
        (5, 5, 2, 2, _("Newly received in person or by post")),
        (6, 6, 2, 2, _("Carried over from the previous period")),
        (7, 10, 0, 0, _("Dossiers resolved")),
        (7, 7, 1, 2, pgettext("report column", "Total")),
        (8, 8, 1, 2, pgettext("report column", "Before the deadline")),
        (9, 9, 1, 2, pgettext("report column", "On time")),
        (10, 10, 1, 2, pgettext("report column", "Late")),
        (11, 13, 0, 0, _("Dossiers being handled")),
        (11, 11, 1, 2, pgettext("report column", "Total")),
        (12, 12, 1, 2, pgettext("report column", "Within the time limit")),
        (13, 13, 1, 2, pgettext("report column", "Overdue")),
        (14, 14, 0, 2, _("Stopped at the applicant's request (withdrawn)")),
    ]


def bieu06_table(report: Bieu06) -> Table:
    """Biểu 06 as plain table data, for the Excel and the printed layouts."""
    titles = title_lines(report)
    return Table(
        form=titles.form,
        title=titles.title,
        lines=[titles.period, titles.unit],
        count=titles.count,
        spans=header_spans(report),
        numbers=["(1)", "(2)", *(f"({COLUMN_NUMBERS[name]})" for name in COLUMNS)],
        rows=[
            TableRow([number, label, *counts.as_tuple()], bold=bold)
            for number, label, counts, bold in numbered_lines(report)
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def table_xlsx(table: Table, *, sheet: str) -> bytes:
    """The workbook of a form: the form number, the title and its lines, the header rows
    from `HEADER_FIRST_ROW` with their merged cells, the row of column numbers, the body
    (bold rows for groups and totals)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    width = len(table.numbers)
    last = get_column_letter(width)
    ws["A1"] = table.form
    ws["A1"].font = _BOLD
    lines = [table.title, *table.lines, table.count]
    for row, text in enumerate(lines, start=2):
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.cell(row=row, column=1, value=text).alignment = _CENTER
    ws["A2"].font = _BOLD
    h1 = HEADER_FIRST_ROW
    numbers = h1 + max(s[3] for s in table.spans) + 1
    for c1, c2, r1, r2, text in table.spans:
        if (c1, r1) != (c2, r2):
            ws.merge_cells(start_row=h1 + r1, start_column=c1, end_row=h1 + r2, end_column=c2)
        ws.cell(row=h1 + r1, column=c1, value=text)
    for column, number in enumerate(table.numbers, start=1):
        ws.cell(row=numbers, column=column, value=number)
    for row in range(h1, numbers + 1):
        for column in range(1, width + 1):
            head = ws.cell(row=row, column=column)
            head.alignment = _CENTER
            head.border = _BOX
            head.font = _BOLD
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for column in range(3, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 13
    ws.freeze_panes = f"C{numbers + 1}"
    for row, line in enumerate(table.rows, start=numbers + 1):
        for column, value in enumerate(line.cells, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            cell.border = _BOX
            if line.bold:
                cell.font = _BOLD
            if column != 2:
                cell.alignment = Alignment(horizontal="center")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bieu06_xlsx(report: Bieu06) -> bytes:
    """The workbook of the form: title, period, unit, the three header rows with the column
    numbers (1)..(14), a row per level group (with its subtotal), a row per field or agency,
    and the totals row."""
    return table_xlsx(bieu06_table(report), sheet="Bieu06")


def bieu07b_table(report: Bieu07b) -> Table:
    """Biểu II.07b as plain table data: a row per level group (its subtotal), a row per
    unit, the totals row."""
    numbers = [f"({n})" for n in range(1, 3 + len(COLUMNS_07B))]
    rows: list[TableRow] = []
    for g, group in enumerate(report.groups):
        number = _ROMAN[g] if g < len(_ROMAN) else str(g + 1)
        rows.append(TableRow([number, group.label, *group.counts.as_tuple()], bold=True))
        rows.extend(
            TableRow([str(i), line.label, *line.counts.as_tuple()])
            for i, line in enumerate(group.rows, start=1)
        )
    rows.append(
        TableRow(["", pgettext("report row", "Total"), *report.totals.as_tuple()], bold=True)
    )
    return Table(
        form=_("Form No. II.07b/VPCP/KSTT"),
        title=_("SUMMARY OF THE NUMBER OF ADMINISTRATIVE PROCEDURES"),
        lines=[
            _("(From %(first)s to %(last)s)")
            % {
                "first": report.period.first_day.strftime("%d/%m/%Y"),
                "last": report.period.last_day.strftime("%d/%m/%Y"),
            },
            _("Reporting unit: %(name)s") % {"name": report.agency_name},
        ],
        count=_("Unit: number of procedures"),
        spans=header_spans_07b(),
        numbers=numbers,
        rows=rows,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def bieu07b_xlsx(report: Bieu07b) -> bytes:
    return table_xlsx(bieu07b_table(report), sheet="Bieu07b")
