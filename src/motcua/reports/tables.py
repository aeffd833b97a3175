"""A statistical form as plain data (title lines, header cells with their spans, column
numbers, body rows), already translated and formatted: what the Excel and the printed
layouts both draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableRow:
    cells: Sequence[str | int]
    bold: bool = False


@dataclass(frozen=True)
class Table:
    form: str
    title: str
    lines: Sequence[str]  # under the title: period, reporting unit
    count: str  # "Unit: ..."
    spans: Sequence[tuple[int, int, int, int, str]]  # (col1, col2, row1, row2, text), rows from 0
    numbers: Sequence[str]  # (1), (2), ...
    rows: Sequence[TableRow]
    label_width: int = 22  # per cent of the printed width for column (2)
    language: str = "vi"

    @property
    def header(self) -> list[list[HeaderCell]]:
        """HTML header rows from the spans."""
        rows: list[list[HeaderCell]] = [[] for _ in range(max(s[3] for s in self.spans) + 1)]
        for c1, c2, r1, r2, text in sorted(self.spans, key=lambda s: (s[2], s[0])):
            rows[r1].append(HeaderCell(text, colspan=c2 - c1 + 1, rowspan=r2 - r1 + 1))
        return rows
