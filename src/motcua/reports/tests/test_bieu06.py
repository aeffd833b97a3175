"""Biểu 06 on a hand-built week: every column, the identities, the counting rules of
DOMAIN.md section 3, and the state of past periods rebuilt after later events.

The procedure of the test world has a limit of 3 working days; a dossier received on a
working day at hh:mm is due 3 working days later at hh:mm (no holiday in March 2026).
March 2026: Mon 9, Tue 10, Wed 11, Thu 12, Fri 13 | Mon 16 ... Fri 20, Sat 21 | Mon 23."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import World, at
from motcua.procedures.models import Channel
from motcua.reports.bieu06 import Counts, LevelGroup, RowsBy, bieu06, bieu06_dossiers
from motcua.reports.periods import date_range

from .conftest import Driver

D = dt.date
WEEK = date_range(D(2026, 3, 16), D(2026, 3, 20))  # [16/3 00:00, 21/3 00:00)
WEEK_BEFORE = date_range(D(2026, 3, 9), D(2026, 3, 13))  # [9/3 00:00, 14/3 00:00)


@pytest.fixture
def week(world: World, drive: Driver) -> dict[str, Dossier]:
    """The scenario; the comments say where each dossier counts in WEEK."""
    d: dict[str, Dossier] = {}
    # A: online, received Tue 17/3 09:00 (due Fri 20/3 09:00), resolved Thu 19/3: new
    #    online (4), resolved early (8): a day before the due date.
    d["A"] = drive.online(at(17, 9))
    assert d["A"].due_at == at(20, 9)
    drive.resolve(d["A"], at(19, 10))
    # B: counter, received at the very start of the period (Mon 16/3 08:00, due Thu 19/3
    #    08:00), still open: new counter (5), in progress (11) and overdue (13).
    d["B"] = drive.counter(at(16, 8))
    # C: counter, Fri 20/3 16:00 (due Wed 25/3 16:00), open: (5), in progress in time (12).
    d["C"] = drive.counter(at(20, 16))
    # D: counter, Mon 9/3 09:00 (due Thu 12/3 09:00), resolved Mon 16/3: carried over (6),
    #    resolved late (10).
    d["D"] = drive.counter(at(9, 9))
    drive.resolve(d["D"], at(16, 10))
    # E: received 9/3, resolved and returned before the period: not in WEEK at all.
    d["E"] = drive.counter(at(9, 9, 10))
    drive.resolve(d["E"], at(11, 10))
    drive.give_back(d["E"], at(11, 15))
    # F: received 9/3, withdrawn Tue 17/3: only in the withdrawn column (14).
    d["F"] = drive.counter(at(9, 9, 20))
    drive.withdraw(d["F"], at(17, 9))
    # G: received Tue 10/3 (due Fri 13/3 09:00), rejected on the merits Wed 18/3, after its
    #    due moment, and the refusal letter returned: carried over (6), resolved ON TIME (9).
    d["G"] = drive.counter(at(10, 9))
    drive.reject(d["G"], at(18, 9))
    drive.give_back(d["G"], at(18, 15))
    # H: online, Thu 12/3 09:00 (due Tue 17/3 09:00); supplement asked Fri 13/3, never
    #    supplied: carried over (6), in progress IN TIME (12) though its due date passed.
    d["H"] = drive.online(at(12, 9))
    drive.ask_supplement(d["H"], at(13, 9))
    # I: online, Mon 16/3 09:00 (due Thu 19/3 09:00); supplement asked 16/3 10:00, supplied
    #    Thu 19/3 10:00: the clock stood 3 working days, so due Tue 24/3 09:00: (4), (12).
    d["I"] = drive.online(at(16, 9))
    drive.ask_supplement(d["I"], at(16, 10))
    d["I"] = drive.supplement(d["I"], at(19, 10))
    assert d["I"].due_at == at(24, 9)
    # J: counter, 9/3 09:30 (due Thu 12/3 09:30); apology on 12/3 with a new appointment on
    #    25/3; resolved Wed 18/3, before the new appointment: (6), still LATE (10).
    d["J"] = drive.counter(at(9, 9, 30))
    drive.apologise(d["J"], at(12, 8), at(25, 17))
    drive.resolve(d["J"], at(18, 10))
    # L: counter, Wed 18/3 09:00 (due Mon 23/3 09:00), resolved exactly at the period end
    #    (Sat 21/3 00:00): still in progress at the end (11), in time (12).
    d["L"] = drive.counter(at(18, 9))
    drive.resolve(d["L"], at(21, 0))
    # M: counter, 9/3 09:40 (due 12/3 09:40), open at the end: (6), overdue (13). A
    #    supplement asked AFTER the period (Mon 23/3) must not change this period's report.
    d["M"] = drive.counter(at(9, 9, 40))
    drive.ask_supplement(d["M"], at(23, 9))
    # K: received exactly at the period end: not in WEEK.
    d["K"] = drive.counter(at(21, 0))
    return d


def _only_row(report: object) -> Counts:
    groups = report.groups  # type: ignore[attr-defined]
    assert [g.level for g in groups] == [LevelGroup.COMMUNE]
    assert len(groups[0].rows) == 1
    counts: Counts = groups[0].rows[0].counts
    return counts


def test_every_column_of_the_week(world: World, week: dict[str, Dossier]) -> None:
    report = bieu06(agency=world.home.root, period=WEEK)
    row = _only_row(report)
    assert report.groups[0].rows[0].label == "Hộ tịch"
    expected = Counts(
        received=10,  # 2 online + 3 counter + 5 carried over
        online=2,  # A, I
        counter_postal=3,  # B, C, L
        carried_over=5,  # D, G, H, J, M (E finished before; F withdrawn; K after)
        resolved=4,  # A, D, G, J
        early=1,  # A
        on_time=1,  # G, rejected
        late=2,  # D; J despite its apology
        in_progress=6,  # B, C, H, I, L, M
        in_time=4,  # C; H awaiting supplement; I after its pause; L finished at the end
        overdue=2,  # B, M
        withdrawn=1,  # F
    )
    assert row == expected
    assert row.identities_hold
    assert report.totals == expected
    assert report.groups[0].counts == expected


def test_drill_down_lists_the_dossiers_behind_each_number(
    world: World, week: dict[str, Dossier]
) -> None:
    def codes(column: str) -> set[str]:
        qs = bieu06_dossiers(world.home.root, WEEK, column)
        return {name for name, d in week.items() if qs.filter(pk=d.pk).exists()}

    assert codes("carried_over") == {"D", "G", "H", "J", "M"}
    assert codes("on_time") == {"G"}
    assert codes("late") == {"D", "J"}
    assert codes("in_time") == {"C", "H", "I", "L"}
    assert codes("overdue") == {"B", "M"}
    assert codes("withdrawn") == {"F"}
    with pytest.raises(ValueError):
        bieu06_dossiers(world.home.root, WEEK, "nonsense")


def test_a_past_period_is_reported_as_it_stood_then(world: World, week: dict[str, Dossier]) -> None:
    """The week before, computed after everything above happened."""
    row = _only_row(bieu06(agency=world.home.root, period=WEEK_BEFORE))
    assert row == Counts(
        received=7,  # D, E, F, G, H, J, M
        online=1,  # H
        counter_postal=6,  # D, E, F, G, J, M
        carried_over=0,
        resolved=1,  # E, on 11/3
        early=1,  # E: a day before its due date 12/3
        in_progress=6,  # D, F (withdrawn only later), G, H, J, M
        in_time=1,  # H: awaiting supplement since 13/3
        overdue=5,  # D, F, G, J, M: due on 12-13/3, open at 14/3 00:00
    )
    assert row.identities_hold


def test_awaiting_supplement_at_a_later_period_end_counts_in_time(
    world: World, week: dict[str, Dossier]
) -> None:
    monday = date_range(D(2026, 3, 23), D(2026, 3, 23))
    assert bieu06_dossiers(world.home.root, monday, "in_time").filter(pk=week["M"].pk).exists()
    assert not bieu06_dossiers(world.home.root, WEEK, "in_time").filter(pk=week["M"].pk).exists()


def test_rows_by_agency_and_subtrees(world: World, week: dict[str, Dossier], drive: Driver) -> None:
    # A dossier of the other province, received in the period: never in this province's report.
    drive.counter(at(17, 9), procedure_code=world.away.procedure.code, actor=world.away_receiver)
    by_agency = bieu06(agency=world.home.root, period=WEEK, rows_by=RowsBy.AGENCY)
    row = by_agency.groups[0].rows[0]
    assert (row.key, row.label) == (world.home.ward.pk, world.home.ward.name)
    assert by_agency.totals == bieu06(agency=world.home.root, period=WEEK).totals
    assert bieu06(agency=world.home.ward, period=WEEK).totals == by_agency.totals
    # A department with no dossiers: no rows, zero totals.
    empty = bieu06(agency=world.justice, period=WEEK)
    assert empty.groups == [] and empty.totals == Counts()
    away = bieu06(agency=world.away.root, period=WEEK).totals
    assert (away.received, away.counter_postal, away.in_progress) == (1, 1, 1)


def test_status_of_the_scenario_is_what_the_comments_say(week: dict[str, Dossier]) -> None:
    """Guards the scenario itself: the rejected one was returned, the withdrawn stays so."""
    for name in week:
        week[name].refresh_from_db()
    assert week["G"].status == Status.RETURNED and week["G"].result_number == ""
    assert week["F"].status == Status.WITHDRAWN
    assert week["M"].status == Status.AWAITING_SUPPLEMENT


def test_excel_export_has_the_official_header_and_the_totals(
    world: World, week: dict[str, Dossier]
) -> None:
    import io

    from openpyxl import load_workbook

    from motcua.reports.exports import HEADER_FIRST_ROW, bieu06_xlsx

    report = bieu06(agency=world.home.root, period=WEEK)
    ws = load_workbook(io.BytesIO(bieu06_xlsx(report))).active
    text = [tuple(row) for row in ws.iter_rows(values_only=True)]
    assert text[0][0] == "Biểu số 06/VPCP/KSTT"
    assert "16/03/2026" in text[2][0] and "20/03/2026" in text[2][0]
    assert world.home.root.name in text[3][0]
    h1 = HEADER_FIRST_ROW - 1
    assert text[h1][2] == "Số hồ sơ nhận giải quyết"
    assert text[h1][6] == "Số lượng hồ sơ đã giải quyết"
    assert text[h1][10] == "Số lượng hồ sơ đang giải quyết"
    assert text[h1 + 2][3] == "Số mới tiếp nhận trực tuyến"
    assert text[h1 + 3] == tuple(f"({n})" for n in range(1, 15))
    group, field, totals = text[h1 + 4], text[h1 + 5], text[-1]
    assert group[:2] == ("I", "Cấp xã (xã, phường, đặc khu)")
    assert field[:2] == ("1", "Hộ tịch")
    assert totals[1] == "Tổng số"
    assert tuple(totals[2:]) == report.totals.as_tuple() == tuple(group[2:]) == tuple(field[2:])
    assert totals[2] == totals[3] + totals[4] + totals[5] == totals[6] + totals[10]


def test_postal_counts_with_the_counter(world: World) -> None:
    from motcua.dossiers import services
    from motcua.dossiers.tests.factories import APPLICANT

    # Received by post Tue 17/3 09:00 (due Fri 20/3 09:00), still open at the end.
    dossier = services.dossier_receive(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        channel=Channel.POSTAL,
        documents=[d.pk for d in world.home.documents],
        now=at(17, 9),
    )
    assert dossier.channel == Channel.POSTAL and dossier.due_at == at(20, 9)
    row = bieu06(agency=world.home.root, period=WEEK).totals
    assert row == Counts(received=1, counter_postal=1, in_progress=1, overdue=1)
