"""Biểu II.07b on a hand-built catalogue: which procedures count, by unit and level."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from motcua.dossiers.tests.factories import (
    ChannelOptionFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    World,
    make_procedure,
)
from motcua.reports.bieu06 import LevelGroup
from motcua.reports.bieu07b import Counts07b, bieu07b, bieu07b_versions
from motcua.reports.exports import HEADER_FIRST_ROW, bieu07b_xlsx
from motcua.reports.periods import reporting_period

Q1 = reporting_period("quarter", 2026, 1)  # 15/12/2025 - 14/3/2026


@pytest.fixture
def catalogue(world: World) -> dict[str, int]:
    """The ward's procedure of the test world (commune level, channels, 4 steps), plus, at
    the Department of Justice:
    P2 province level, with channels and steps; P3 province and commune level, channels but
    no steps; P4 province level, no channel (not under the one-stop mechanism); P5 not in
    use; P6 its version ended before the period's last day; P7 its first version starts
    after it."""
    justice = world.justice
    p2, *_rest = make_procedure(handling=justice, center=world.province_center, office=justice)
    p2.level_province, p2.level_commune = True, False
    p2.save()
    p3 = ProcedureVersionFactory(
        procedure=ProcedureFactory(level_province=True, level_commune=True),
        competent_agency=justice,
    )
    ChannelOptionFactory(version=p3)
    p4 = ProcedureVersionFactory(
        procedure=ProcedureFactory(level_province=True, level_commune=False),
        competent_agency=justice,
    )
    p5 = ProcedureVersionFactory(
        procedure=ProcedureFactory(level_province=True, is_active=False),
        competent_agency=justice,
    )
    ChannelOptionFactory(version=p5)
    p6 = ProcedureVersionFactory(
        procedure=ProcedureFactory(level_province=True),
        competent_agency=justice,
        effective_to=dt.date(2026, 3, 1),
    )
    p7 = ProcedureVersionFactory(
        procedure=ProcedureFactory(level_province=True),
        competent_agency=justice,
        effective_from=dt.date(2026, 3, 15),
    )
    return {
        "p2": p2.pk,
        "p3": p3.procedure_id,
        "p4": p4.procedure_id,
        "p5": p5.procedure_id,
        "p6": p6.procedure_id,
        "p7": p7.procedure_id,
    }


def test_counts_by_unit_and_level(world: World, catalogue: dict[str, int]) -> None:
    report = bieu07b(agency=world.home.root, period=Q1)
    assert [g.level for g in report.groups] == [LevelGroup.PROVINCE, LevelGroup.COMMUNE]
    (justice,) = report.groups[0].rows
    assert (justice.agency_id, justice.label) == (world.justice.pk, "Sở Tư pháp")
    assert justice.counts == Counts07b(
        total=3,  # P2, P3, P4 (P5 not in use, P6 ended, P7 not yet)
        province=3,
        commune=1,  # P3
        one_stop=2,  # P2, P3 (P4 has no channel)
        one_stop_province=2,  # a department's desk is a province-level desk
        one_stop_commune=0,
        process=1,  # P2 (P3 has no steps)
        process_province=1,
        process_commune=0,
    )
    (ward,) = report.groups[1].rows
    assert ward.counts == Counts07b(
        total=1,
        commune=1,
        one_stop=1,
        one_stop_commune=1,
        process=1,
        process_commune=1,
    )
    assert report.totals == justice.counts + ward.counts
    # The other province's procedure is not in this province's form.
    assert bieu07b(agency=world.away.root, period=Q1).totals.total == 1
    assert bieu07b(agency=world.home.ward, period=Q1).totals == ward.counts


def test_drill_down(world: World, catalogue: dict[str, int]) -> None:
    def procedures(column: str) -> set[int]:
        return set(
            bieu07b_versions(world.justice, Q1, column).values_list("procedure_id", flat=True)
        )

    assert procedures("total") == {catalogue[k] for k in ("p2", "p3", "p4")}
    assert procedures("one_stop") == {catalogue["p2"], catalogue["p3"]}
    assert procedures("process") == {catalogue["p2"]}
    with pytest.raises(ValueError):
        bieu07b_versions(world.justice, Q1, "nonsense")


def test_excel_export(world: World, catalogue: dict[str, int]) -> None:
    report = bieu07b(agency=world.home.root, period=Q1)
    ws = load_workbook(io.BytesIO(bieu07b_xlsx(report))).active
    text = [tuple(row) for row in ws.iter_rows(values_only=True)]
    assert text[0][0] == "Biểu số II.07b/VPCP/KSTT"
    assert "15/12/2025" in text[2][0] and "14/03/2026" in text[2][0]
    h1 = HEADER_FIRST_ROW - 1
    assert text[h1][2] == "Tổng số TTHC thuộc thẩm quyền giải quyết của địa phương"
    assert text[h1 + 1][6] == "Tại Bộ phận Một cửa cấp tỉnh"
    assert text[h1 + 2] == tuple(f"({n})" for n in range(1, 12))
    totals = text[-1]
    assert totals[1] == "Tổng số"
    assert tuple(totals[2:]) == report.totals.as_tuple()
    assert totals[2:5] == (4, 3, 2)
