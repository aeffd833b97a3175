"""`motcua report KIND --agency CODE --period P [--format F] [-o FILE]`: the reports
without the web interface.

    motcua report bieu06 --agency H99 --period 2026-Q3 --format xlsx -o bieu06.xlsx
    motcua report bieu06 --agency H99 --period 2026 --rows-by agency --format pdf -o b06.pdf
    motcua report bieu07b --agency H99 --period 2026-Q3 --format xlsx -o bieu07b.xlsx
    motcua report index766 --agency H99 --period 2026-Q3            (text; or --format json)
    motcua report evaluation --agency H99 --period 2026-07 --format json

Periods: 2026 (year), 2026-Q3, 2026-07 (month), 2026-6M, 2026-9M, or FIRST..LAST days;
15th-to-14th cut-off unless --calendar."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.models import Agency
from motcua.reports.bieu06 import RowsBy, bieu06
from motcua.reports.bieu07b import bieu07b
from motcua.reports.evaluation import evaluation
from motcua.reports.exports import bieu06_xlsx, bieu07b_xlsx
from motcua.reports.index766 import index766
from motcua.reports.periods import Period, parse_period
from motcua.reports.printed import bieu06_pdf, bieu07b_pdf

FORMATS = {
    "bieu06": ("xlsx", "pdf", "json"),
    "bieu07b": ("xlsx", "pdf", "json"),
    "index766": ("text", "json"),
    "evaluation": ("text", "json"),
}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


class Command(BaseCommand):
    help = "Produce a report (Biểu 06, Biểu II.07b, the 766 index, the evaluation) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(FORMATS))
        parser.add_argument("--agency", required=True, help="agency code (its subtree counts)")
        parser.add_argument("--period", required=True, help="2026, 2026-Q3, 2026-07, 2026-6M, ...")
        parser.add_argument("--calendar", action="store_true", help="calendar periods (1st-last)")
        parser.add_argument("--format", dest="fmt", default="")
        parser.add_argument("--rows-by", choices=[r.value for r in RowsBy], default="field")
        parser.add_argument("--source", choices=["live", "facts"], default="live")
        parser.add_argument("-o", "--output", type=Path, help="file to write (stdout for text)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        fmt = options["fmt"] or FORMATS[kind][0]
        if fmt not in FORMATS[kind]:
            raise CommandError(f"{kind}: --format must be one of {', '.join(FORMATS[kind])}")
        try:
            period = parse_period(options["period"], cutoff_day=None if options["calendar"] else 15)
        except ValueError as error:
            raise CommandError(str(error)) from None
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"no agency with the code {options['agency']!r}")
        content = self._render(kind, fmt, agency, period, options)
        output: Path | None = options["output"]
        if output is None:
            if isinstance(content, bytes):
                raise CommandError(f"--format {fmt} needs -o FILE")
            self.stdout.write(content)
            return
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
        self.stderr.write(f"wrote {output}")

    def _render(
        self, kind: str, fmt: str, agency: Agency, period: Period, options: dict[str, Any]
    ) -> str | bytes:
        if kind == "bieu06":
            report = bieu06(
                agency=agency, period=period, rows_by=options["rows_by"], source=options["source"]
            )
            if fmt == "xlsx":
                return bieu06_xlsx(report)
            if fmt == "pdf":
                return bieu06_pdf(report)
            return json.dumps(
                {
                    "agency": agency.code,
                    "period": [period.first_day.isoformat(), period.last_day.isoformat()],
                    "rows": [
                        {"group": g.level.value, "label": r.label, **vars(r.counts)}
                        for g in report.groups
                        for r in g.rows
                    ],
                    "totals": vars(report.totals),
                },
                ensure_ascii=False,
                indent=2,
            )
        if kind == "bieu07b":
            form = bieu07b(agency=agency, period=period)
            if fmt == "xlsx":
                return bieu07b_xlsx(form)
            if fmt == "pdf":
                return bieu07b_pdf(form)
            return json.dumps(
                {
                    "agency": agency.code,
                    "rows": [
                        {"group": g.level.value, "label": r.label, **vars(r.counts)}
                        for g in form.groups
                        for r in g.rows
                    ],
                    "totals": vars(form.totals),
                },
                ensure_ascii=False,
                indent=2,
            )
        if kind == "index766":
            result = index766(agency=agency, period=period)
            items = [
                {k: _plain(v) for k, v in vars(item).items()}
                for group in result.groups
                for item in group.indicators
            ]
            if fmt == "json":
                return json.dumps(
                    {"agency": agency.code, "score": str(result.score), "indicators": items},
                    ensure_ascii=False,
                    indent=2,
                )
            lines = [f"{agency.name}: {period.first_day:%d/%m/%Y} - {period.last_day:%d/%m/%Y}"]
            for item in items:
                if not item["computed"]:
                    numbers = "N/A"
                elif item["rate"] is None:
                    numbers = f"{item['numerator']}/{item['denominator']} (N/A)"
                else:
                    numbers = f"{item['numerator']}/{item['denominator']} = {item['rate']} %"
                score = item["score"] if item["score"] is not None else "-"
                lines.append(
                    f"{item['code']:>5}  {score:>6} / {item['max_points']:<5} {numbers}  "
                    f"{item['name']}"
                )
            lines.append(f"total {result.score} / {result.scored_max_points} (scored)")
            return "\n".join(lines) + "\n"
        rows = evaluation(agency=agency, period=period)
        if fmt == "json":
            return json.dumps(
                [
                    {
                        "agency_id": r.agency_id,
                        "name": r.name,
                        "dossiers": r.dossiers,
                        "criteria": {str(k): _plain(v) for k, v in r.criteria.items()},
                        "total": str(r.total),
                        "scored_max": str(r.scored_max),
                        "scaled": str(r.scaled),
                        "grade": r.grade,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        lines = []
        for r in rows:
            criteria = " ".join(f"{k}:{v if v is not None else '-'}" for k, v in r.criteria.items())
            lines.append(f"{r.name} ({r.dossiers}): {criteria} -> {r.scaled}/18 {r.grade}")
        return "\n".join(lines) + "\n"
