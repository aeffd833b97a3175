"""Biểu 06 read from the state at the period end, on a second hand-built scenario: dossiers
paused across a period end, resumed before it and paused again after it, extended by an
apology, finished on the due date after the due hour, rejected early, withdrawn in the
period, not accepted at reception, and moments exactly on the boundaries. Each case is
checked live, on the facts (rebuilt and refreshed) and in the drill-down.

The procedure of the test world has a limit of 3 working days (no holiday in March 2026).
March 2026: Mon 9 ... Fri 13, Sat 14 | Mon 16 ... Fri 20, Sat 21 | Mon 23 ... Fri 27."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Timeliness
from motcua.dossiers.tests.factories import World, at, submit
from motcua.reports.bieu06 import Counts, bieu06, bieu06_dossiers
from motcua.reports.facts import facts_rebuild, facts_refresh
from motcua.reports.periods import date_range

from .conftest import Driver

D = dt.date
BEFORE = date_range(D(2026, 3, 9), D(2026, 3, 13))  # ends Sat 14/3 00:00
WEEK = date_range(D(2026, 3, 16), D(2026, 3, 20))  # ends Sat 21/3 00:00


@pytest.fixture
def story(world: World, drive: Driver) -> dict[str, Dossier]:
    d: dict[str, Dossier] = {}
    # N: online, received Mon 9/3 09:00 (due Thu 12/3 09:00); supplement asked Tue 10/3 09:00 and
    #    given Wed 11/3 09:00: due Fri 13/3 09:00, overdue at the end of BEFORE. A second
    #    request after BEFORE (Mon 16/3 09:00, given Fri 20/3 09:00) pushes the due moment
    #    to Thu 19/3 09:00: that must not make it "in time" at the end of BEFORE. At the end
    #    of WEEK it is overdue again (due 19/3, open).
    d["N"] = drive.online(at(9, 9))
    drive.ask_supplement(d["N"], at(10, 9))
    d["N"] = drive.supplement(d["N"], at(11, 9))
    assert d["N"].due_at == at(13, 9)
    drive.ask_supplement(d["N"], at(16, 9), second=True)
    d["N"] = drive.supplement(d["N"], at(20, 9))
    assert d["N"].due_at == at(19, 9)
    # P: online, received Mon 9/3 09:30 (due Thu 12/3 09:30); supplement asked Fri 13/3 09:00,
    #    after its due moment: waiting across the end of BEFORE, so in time there; given
    #    Tue 17/3 09:00 (2 working days paused): due Mon 16/3 09:30, overdue at WEEK's end.
    d["P"] = drive.online(at(9, 9, 30))
    drive.ask_supplement(d["P"], at(13, 9))
    d["P"] = drive.supplement(d["P"], at(17, 9))
    assert d["P"].due_at == at(16, 9, 30)
    # Q: received Mon 16/3 09:00 (due Thu 19/3 09:00); apology on Wed 18/3 with a new
    #    appointment on Wed 25/3: the legal due moment stays, so overdue at WEEK's end.
    d["Q"] = drive.counter(at(16, 9))
    drive.apologise(d["Q"], at(18, 9), at(25, 17))
    # R: received Mon 16/3 09:10 (due Thu 19/3 09:10), resolved on the due date at 15:00:
    #    late by the moment (its own timeliness), ON TIME in the form (date precision).
    d["R"] = drive.counter(at(16, 9, 10))
    d["R"] = drive.resolve(d["R"], at(19, 15))
    assert d["R"].timeliness == Timeliness.LATE
    # S: received Mon 16/3 09:20, rejected on the merits the next day, well before its due
    #    date: resolved ON TIME, not early.
    d["S"] = drive.counter(at(16, 9, 20))
    drive.reject(d["S"], at(17, 9))
    # T: received Mon 16/3 09:30 and withdrawn Wed 18/3 in the same period: only (14).
    d["T"] = drive.counter(at(16, 9, 30))
    drive.withdraw(d["T"], at(18, 9))
    # U: an online submission asked for a supplement at reception (never accepted), and
    #    V: one refused at reception: neither is a dossier taken for handling.
    u = submit(world, now=at(16, 8))
    services.dossier_request_supplement_at_reception(
        actor=world.receiver,
        reference=str(u.pk),
        reasons="Thiếu giấy tờ",
        items=["Tờ khai"],
        now=at(16, 10),
    )
    v = submit(world, now=at(16, 8, 5))
    services.dossier_refuse_reception(
        actor=world.receiver,
        reference=str(v.pk),
        reasons="Không thuộc thẩm quyền",
        now=at(16, 10, 5),
    )
    # W: received Tue 10/3 09:00 (due Fri 13/3 09:00), resolved exactly at WEEK's start
    #    (Mon 16/3 00:00): in progress and overdue at the end of BEFORE, carried over and
    #    resolved late in WEEK.
    d["W"] = drive.counter(at(10, 9))
    drive.resolve(d["W"], at(16, 0))
    # X: received Mon 16/3 09:40 (due Thu 19/3 09:40); supplement asked exactly at WEEK's
    #    end (Sat 21/3 00:00): the request is after the end, so overdue there.
    d["X"] = drive.counter(at(16, 9, 40))
    drive.ask_supplement(d["X"], at(21, 0))
    # Y: received exactly at WEEK's start (Mon 16/3 00:00): new in WEEK, not in BEFORE;
    #    due Thu 19/3 00:00 -> open and overdue at the end.
    d["Y"] = drive.counter(at(16, 0))
    return d


EXPECTED_BEFORE = Counts(
    received=3,  # N, P, W
    online=2,  # N, P
    counter_postal=1,  # W
    in_progress=3,
    in_time=1,  # P, waiting for its supplement
    overdue=2,  # N (due 13/3 at the end, though later moved to 19/3), W
)
EXPECTED_WEEK = Counts(
    received=8,  # 3 carried over + 5 new (T withdrawn is outside; U, V never accepted)
    counter_postal=5,  # Q, R, S, X, Y
    carried_over=3,  # N, P, W
    resolved=3,  # R, S, W
    on_time=2,  # R (on its due date), S (rejected)
    late=1,  # W
    in_progress=5,  # N, P, Q, X, Y
    overdue=5,
    withdrawn=1,  # T
)


def _totals(world: World, period: object, source: str = "live") -> Counts:
    return bieu06(agency=world.home.root, period=period, source=source).totals  # type: ignore[arg-type]


def test_every_column_from_the_state_at_each_period_end(
    world: World, story: dict[str, Dossier]
) -> None:
    for period, expected in ((BEFORE, EXPECTED_BEFORE), (WEEK, EXPECTED_WEEK)):
        totals = _totals(world, period)
        assert totals == expected, period
        assert totals.identities_hold


def test_the_facts_agree_rebuilt_and_refreshed(world: World, story: dict[str, Dossier]) -> None:
    facts_rebuild()
    rebuilt = [_totals(world, p, "facts") for p in (BEFORE, WEEK)]
    assert rebuilt == [EXPECTED_BEFORE, EXPECTED_WEEK]
    # One more event after the rebuild: N resolved on Mon 23/3 (late, after WEEK).
    services.dossier_forward(actor=world.specialist, code=story["N"].code or "", now=at(23, 8))
    services.dossier_resolve(
        actor=world.leader,
        code=story["N"].code or "",
        result_number="02/KQ",
        result_signer="Lãnh Đạo",
        result_date=D(2026, 3, 23),
        now=at(23, 9),
    )
    assert facts_refresh() == 1
    assert [_totals(world, p, "facts") for p in (BEFORE, WEEK)] == rebuilt
    later = date_range(D(2026, 3, 23), D(2026, 3, 27))
    assert _totals(world, later, "facts") == _totals(world, later)


def test_drill_down_follows_the_same_rules(world: World, story: dict[str, Dossier]) -> None:
    def names(period: object, column: str) -> set[str]:
        qs = bieu06_dossiers(world.home.root, period, column)  # type: ignore[arg-type]
        ids = set(qs.values_list("pk", flat=True))
        return {name for name, d in story.items() if d.pk in ids}

    assert names(BEFORE, "in_time") == {"P"}
    assert names(BEFORE, "overdue") == {"N", "W"}
    assert names(WEEK, "overdue") == {"N", "P", "Q", "X", "Y"}
    assert names(WEEK, "on_time") == {"R", "S"}
    assert names(WEEK, "early") == set()
    assert names(WEEK, "late") == {"W"}
    assert names(WEEK, "withdrawn") == {"T"}
    assert names(WEEK, "online") == set()
    assert names(WEEK, "carried_over") == {"N", "P", "W"}


def test_the_state_at_the_end_is_read_from_the_events_not_the_dossier_row(
    world: World, story: dict[str, Dossier]
) -> None:
    """N's row now says due 19/3, after the end of BEFORE; at that end it was due 13/3."""
    n = story["N"]
    n.refresh_from_db()
    assert n.due_at is not None and n.due_at > BEFORE.end
    assert n.events.filter(at__lt=BEFORE.end).order_by("-at").first().to_due_at == at(13, 9)  # type: ignore[union-attr]
    assert bieu06_dossiers(world.home.root, BEFORE, "overdue").filter(pk=n.pk).exists()


def test_a_dossier_without_a_due_moment_is_on_time_and_in_time(db: None) -> None:
    from motcua.dossiers.tests.factories import make_world

    world = make_world(amount=None)  # a procedure with no time limit
    drive = Driver(world)
    done = drive.counter(at(16, 9))
    assert done.due_at is None
    drive.resolve(done, at(27, 10))
    drive.counter(at(16, 10))  # still open
    totals = _totals(world, date_range(D(2026, 3, 16), D(2026, 3, 31)))
    assert totals == Counts(
        received=2, counter_postal=2, resolved=1, on_time=1, in_progress=1, in_time=1
    )
    facts_rebuild()
    assert _totals(world, date_range(D(2026, 3, 16), D(2026, 3, 31)), "facts") == totals


def test_dates_are_vietnam_dates(world: World, drive: Driver) -> None:
    """Resolved at 06:00 on the day after the due date (23:00 UTC on the due date): late by
    Vietnam's date, though the UTC dates are the same."""
    dossier = drive.counter(at(16, 9, 10))  # due Thu 19/3 09:10
    drive.resolve(dossier, at(20, 6))
    on_due_date_evening = drive.counter(at(16, 9, 20))  # due 19/3 09:20
    drive.resolve(on_due_date_evening, at(19, 23, 30))  # 16:30 UTC on 19/3: on time
    totals = _totals(world, WEEK)
    assert (totals.resolved, totals.late, totals.on_time) == (2, 1, 1)
    facts_rebuild()
    assert _totals(world, WEEK, "facts") == totals
