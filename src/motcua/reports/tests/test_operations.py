"""Operational views on hand-built weeks: overdue and due-soon dossiers by agency, step and
officer; hand-overs per step and officer; online share; idle procedures; satisfaction;
complaints; the ranking with the previous period; the monthly trend.

The test world's procedure has a 3-working-day limit and the steps reception (1 h, desk),
appraisal "Thẩm định" (12 working hours, the ward's office), signature "Lãnh đạo ký" (4 h,
the ward) and return. March 2026 has no holiday: Mon 16 ... Fri 20."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, at, make_procedure, receive_walk_in
from motcua.feedback import services as feedback_services
from motcua.feedback.models import SatisfactionLevel
from motcua.reports import operations
from motcua.reports.operations import GroupBy, Urgency
from motcua.reports.periods import date_range

from .conftest import Driver

D = dt.date
WEEK = date_range(D(2026, 3, 16), D(2026, 3, 20))
NOW = at(20, 10)


def codes(qs: object) -> set[str]:
    return {d.code for d in qs}  # type: ignore[attr-defined]


@pytest.fixture
def open_week(world: World, drive: Driver) -> dict[str, Dossier]:
    d: dict[str, Dossier] = {}
    # A: received Mon 16 09:00, due Thu 19 09:00: overdue at NOW; its appraisal (12 h from
    #    16 09:00) was due Tue 17 13:30: past the step budget too. Assigned to the specialist.
    d["A"] = drive.counter(at(16, 9))
    assert d["A"].code
    services.dossier_assign(
        actor=world.division_head,
        code=d["A"].code,
        assignee_id=world.specialist.pk,
        now=at(16, 10),
    )
    # B: Tue 17 11:00, due Fri 20 11:00: due within two days of NOW; step past its budget.
    d["B"] = drive.counter(at(17, 11))
    # C: Thu 19 09:00, due Tue 24: in time; appraisal due Fri 20 14:30: in time at NOW.
    d["C"] = drive.counter(at(19, 9))
    # S: Mon 16 09:30, supplement asked Tue 17: open, but its clock stands still.
    d["S"] = drive.counter(at(16, 9, 30))
    drive.ask_supplement(d["S"], at(17, 9))
    # E: resolved on Wed 18: not open.
    d["E"] = drive.counter(at(16, 10))
    drive.resolve(d["E"], at(18, 10))
    # X: another province's overdue dossier: never counted here.
    d["X"] = receive_walk_in(
        world, now=at(9, 9), procedure_code=world.away.procedure.code, actor=world.away_receiver
    )
    return d


def test_overdue_summary_by_agency_counts_open_overdue_due_soon_and_step_overdue(
    world: World, open_week: dict[str, Dossier]
) -> None:
    assert open_week["A"].step_due_at is not None
    assert open_week["A"].step_due_at < NOW
    rows = operations.overdue_summary(agency=world.home.root, now=NOW)
    assert [(r.label, r.open, r.overdue, r.due_soon, r.step_overdue) for r in rows] == [
        (world.home.office.name, 4, 1, 1, 2)
    ]
    assert rows[0].overdue_share == Decimal("25.00")


def test_overdue_summary_by_officer_and_step(world: World, open_week: dict[str, Dossier]) -> None:
    by_officer = {
        r.key: (r.open, r.overdue, r.due_soon)
        for r in operations.overdue_summary(
            agency=world.home.root, now=NOW, group_by=GroupBy.OFFICER
        )
    }
    assert by_officer == {str(world.specialist.pk): (1, 1, 0), "": (3, 0, 1)}
    by_step = operations.overdue_summary(agency=world.home.ward, now=NOW, group_by=GroupBy.STEP)
    assert [(r.label, r.detail, r.open, r.overdue) for r in by_step] == [
        ("Thẩm định", world.home.office.name, 4, 1)
    ]


def test_urgent_dossiers_are_the_dossiers_behind_each_number(
    world: World, open_week: dict[str, Dossier]
) -> None:
    root = world.home.root
    assert codes(operations.urgent_dossiers(agency=root, now=NOW, urgency="overdue")) == {
        open_week["A"].code
    }
    assert codes(operations.urgent_dossiers(agency=root, now=NOW, urgency="due_soon")) == {
        open_week["B"].code
    }
    assert codes(operations.urgent_dossiers(agency=root, now=NOW, urgency="step_overdue")) == {
        open_week["A"].code,
        open_week["B"].code,
    }
    unassigned = operations.urgent_dossiers(
        agency=root, now=NOW, urgency=Urgency.OPEN, group_by="officer", key=""
    )
    assert codes(unassigned) == {open_week[k].code for k in "BCS"}
    step = operations.urgent_dossiers(
        agency=root,
        now=NOW,
        urgency="open",
        group_by="step",
        key=f"{world.home.office.pk}:Thẩm định",
    )
    assert step.count() == 4
    with pytest.raises(ValueError):
        operations.urgent_dossiers(agency=root, now=NOW, urgency="open", group_by="agency", key="x")
    with pytest.raises(ValueError):
        operations.urgent_dossiers(agency=root, now=NOW, urgency="whenever")


def test_another_agency_subtree_sees_none_of_them(
    world: World, open_week: dict[str, Dossier]
) -> None:
    assert operations.overdue_summary(agency=world.justice, now=NOW) == []
    away = operations.overdue_summary(agency=world.away.root, now=NOW)
    assert [(r.open, r.overdue) for r in away] == [(1, 1)]


@pytest.fixture
def hand_over_week(world: World, drive: Driver) -> dict[str, Dossier]:
    d: dict[str, Dossier] = {}
    # E: received Mon 16, forwarded and resolved Wed 18: two hand-overs in time.
    d["E"] = drive.counter(at(16, 10))
    drive.resolve(d["E"], at(18, 10))
    # F: received Mon 9 (due Thu 12 09:00), forwarded and resolved Tue 17: both late.
    d["F"] = drive.counter(at(9, 9))
    drive.resolve(d["F"], at(17, 10))
    # G: received Wed 18, rejected by the specialist Thu 19: one hand-over, in time.
    d["G"] = drive.counter(at(18, 9))
    drive.reject(d["G"], at(19, 9))
    # H: forwarded the week before: not in WEEK.
    d["H"] = drive.counter(at(9, 10))
    drive.resolve(d["H"], at(11, 10))
    return d


def test_step_timeliness_counts_hand_overs_after_the_due_moment(
    world: World, hand_over_week: dict[str, Dossier]
) -> None:
    rows = {
        r.label: (r.detail, r.hand_overs, r.after_due, r.dossiers)
        for r in operations.step_timeliness(agency=world.home.root, period=WEEK)
    }
    assert rows == {
        "Thẩm định": (world.home.office.name, 3, 1, 3),
        "Lãnh đạo ký": (world.home.ward.name, 2, 1, 2),
    }


def test_officer_timeliness_and_its_drill_down(
    world: World, hand_over_week: dict[str, Dossier]
) -> None:
    rows = {
        r.key: (r.hand_overs, r.after_due, r.in_time_share)
        for r in operations.officer_timeliness(agency=world.home.root, period=WEEK)
    }
    assert rows == {
        str(world.specialist.pk): (3, 1, Decimal("66.67")),
        str(world.leader.pk): (2, 1, Decimal("50.00")),
    }
    late = operations.hand_over_dossiers(
        agency=world.home.root,
        period=WEEK,
        by="officer",
        key=str(world.specialist.pk),
        late_only=True,
    )
    assert codes(late) == {hand_over_week["F"].code}
    step = operations.hand_over_dossiers(
        agency=world.home.root, period=WEEK, by="step", key=f"{world.home.ward.pk}:Lãnh đạo ký"
    )
    assert codes(step) == {hand_over_week["E"].code, hand_over_week["F"].code}
    assert operations.step_timeliness(agency=world.justice, period=WEEK) == []


def test_online_share_by_procedure(world: World, drive: Driver) -> None:
    drive.online(at(16, 9))
    drive.online(at(17, 9))
    drive.counter(at(18, 9))
    drive.counter(at(13, 9))  # before WEEK
    (row,) = operations.online_share_by_procedure(agency=world.home.root, period=WEEK)
    assert (row.code, row.received, row.online, row.online_share) == (
        world.procedure_code,
        3,
        2,
        Decimal("66.67"),
    )
    assert (
        operations.online_dossiers(
            agency=world.home.root, period=WEEK, procedure_id=row.procedure_id
        ).count()
        == 2
    )


def test_idle_procedures_are_those_without_a_dossier_in_the_last_months(
    world: World, drive: Driver
) -> None:
    unused, *_ = make_procedure(
        handling=world.home.ward, center=world.home.center, office=world.home.office
    )
    last = drive.counter(at(16, 9))
    later = dt.datetime(2026, 6, 1, 9, tzinfo=at(1, 0).tzinfo)
    idle = operations.idle_procedures(agency=world.home.root, now=later, months=1)
    assert [(p.code, p.last_received_at) for p in idle] == [
        (unused.code, None),
        (world.procedure_code, last.received_at),
    ]
    recent = operations.idle_procedures(agency=world.home.root, now=later, months=12)
    assert [p.code for p in recent] == [unused.code]
    # The other province's procedures are not this province's to abolish.
    assert world.away.procedure.code not in {p.code for p in recent}
    with pytest.raises(ValueError):
        operations.idle_procedures(agency=world.home.root, now=later, months=0)


def test_satisfaction_counts_ratings_of_the_period(world: World, drive: Driver) -> None:
    dossier = drive.online(at(16, 9))
    drive.resolve(dossier, at(17, 10))
    drive.give_back(dossier, at(17, 15))
    assert dossier.code
    feedback_services.rating_submit(
        dossier_code=dossier.code,
        level=SatisfactionLevel.SATISFIED,
        actor=world.applicant,
        now=at(18, 9),
    )
    result = operations.satisfaction(agency=world.home.root, period=WEEK)
    assert (result.total, result.satisfied, result.satisfied_share) == (1, 1, Decimal("100.00"))
    assert codes(
        operations.rated_dossiers(agency=world.home.root, period=WEEK, level="satisfied")
    ) == {dossier.code}
    assert operations.satisfaction(agency=world.justice, period=WEEK).total == 0
    assert operations.satisfaction(agency=world.justice, period=WEEK).satisfied_share is None


@pytest.fixture
def two_agencies(world: World, drive: Driver) -> dict[str, Dossier]:
    """The ward resolves one dossier late and one early in WEEK, one on time the week
    before; the justice department resolves one early in WEEK."""
    procedure, *_ = make_procedure(
        handling=world.justice, center=world.province_center, office=world.justice
    )
    d: dict[str, Dossier] = {}
    d["late"] = drive.counter(at(9, 9))
    drive.resolve(d["late"], at(17, 10))
    d["early"] = drive.counter(at(16, 9))
    drive.resolve(d["early"], at(17, 11))
    d["before"] = drive.counter(at(10, 9))
    drive.resolve(d["before"], at(12, 9))
    d["justice"] = receive_walk_in(
        world, now=at(16, 9), procedure_code=procedure.code, actor=world.province_receiver
    )
    assert d["justice"].code
    services.dossier_forward(actor=world.justice_specialist, code=d["justice"].code, now=at(17, 9))
    services.dossier_resolve(
        actor=world.justice_leader,
        code=d["justice"].code,
        result_number="1/KQ",
        result_signer="Lãnh Đạo",
        result_date=D(2026, 3, 17),
        now=at(17, 10),
    )
    return d


def test_ranking_by_on_time_rate_with_the_previous_period(
    world: World, two_agencies: dict[str, Dossier]
) -> None:
    rows = operations.agency_ranking(agency=world.home.root, period=WEEK)
    assert [(r.rank, r.name, r.resolved, r.on_time, r.rate) for r in rows] == [
        (1, world.justice.name, 1, 1, Decimal("100.00")),
        (2, world.home.ward.name, 2, 1, Decimal("50.00")),
    ]
    justice, ward = rows
    # The week before only the ward resolved, all on time: first then, second now.
    assert (ward.previous_rate, ward.previous_rank, ward.rank_change) == (
        Decimal("100.00"),
        1,
        -1,
    )
    assert ward.change == Decimal("-50.00")
    assert (justice.previous_rate, justice.rank_change, justice.change) == (None, None, None)


def test_an_agency_that_resolved_nothing_is_listed_last_without_a_rank(
    world: World, two_agencies: dict[str, Dossier]
) -> None:
    # Only the week before: the ward resolved one dossier; the justice one was open.
    before = date_range(D(2026, 3, 9), D(2026, 3, 13))
    rows = operations.agency_ranking(agency=world.home.root, period=before)
    assert [(r.rank, r.name, r.rate) for r in rows] == [
        (1, world.home.ward.name, Decimal("100.00")),
    ]
    rows = operations.agency_ranking(
        agency=world.home.root, period=date_range(D(2026, 3, 16), D(2026, 3, 16))
    )
    # On Monday 16 nobody resolved anything; the justice dossier was received, the
    # ward's late one was in progress: both listed, neither ranked.
    assert {r.name for r in rows} == {world.justice.name, world.home.ward.name}
    assert all(r.rank is None and r.rate is None and r.rank_change is None for r in rows)


def test_monthly_trend_buckets_receptions_and_finishes(
    world: World, two_agencies: dict[str, Dossier]
) -> None:
    weeks = [date_range(D(2026, 3, 9), D(2026, 3, 15)), WEEK]
    before, now = operations.monthly_trend(agency=world.home.root, periods=weeks)
    assert (before.received, before.resolved, before.on_time, before.late) == (2, 1, 1, 0)
    assert (now.received, now.resolved, now.on_time, now.late) == (2, 3, 2, 1)
    assert now.on_time_rate == Decimal("66.67")
    assert operations.monthly_trend(agency=world.home.root, periods=[]) == []
