"""The process table of the dossier page: the step in progress shows the working time
its holder has used so far (the calendar's working hours, the clock's pauses excluded)
and whether that is still within the step's budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.backoffice import selectors
from motcua.domain.lifecycle import Status
from motcua.dossiers.records import control_slip_and_holding
from motcua.dossiers.tests.factories import World, at, drive

pytestmark = pytest.mark.django_db


def _current(world: World, dossier_code: str, now: dt.datetime) -> selectors.StepRow:
    page = selectors.dossier_page_for(world.specialist, code=dossier_code, now=now)
    (row,) = [r for r in page.steps if r.is_current]
    return row


def test_the_step_in_progress_counts_working_time_so_far(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)  # received Monday 09:10, at "Thẩm định" (12 h)
    row = _current(world, dossier.code, at(9, 11, 10))
    assert row.step.name == "Thẩm định"
    assert row.spent == dt.timedelta(hours=2)
    assert row.timeliness == selectors.IN_TIME
    # Only working hours count: to 11:30, then 13:00-17:00, then Tuesday from 07:30.
    tuesday = _current(world, dossier.code, at(10, 8, 30))
    assert tuesday.spent == dt.timedelta(hours=2, minutes=20) + dt.timedelta(hours=4 + 1)


def test_a_step_past_its_budget_is_late(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    row = _current(world, dossier.code, at(11, 9, 10))  # two working days: 16 h > 12 h
    assert row.spent == dt.timedelta(hours=16)
    assert row.timeliness == "late"


def test_the_time_awaiting_a_supplement_is_not_counted(world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)  # supplement asked Monday 09:20
    _slip, holding = control_slip_and_holding(dossier, now=at(12, 10))
    assert holding == dt.timedelta(minutes=10)


def test_a_finished_dossier_has_no_step_in_progress(world: World) -> None:
    dossier = drive(world, Status.RETURNED)
    _slip, holding = control_slip_and_holding(dossier, now=at(12, 10))
    assert holding is None


def test_the_page_shows_the_time_used_so_far(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    html = client.get(f"/office/dossiers/{dossier.code}/").content.decode()
    current = html[html.index('class="current-step"') :]
    current = current[: current.index("</tr>")]
    assert "(đến nay)" in current
