"""The inbox tabs: who sees what, order, colours, counts, pages and their query budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.domain.deadlines import VN_TZ
from motcua.domain.lifecycle import Status
from motcua.dossiers import services
from motcua.dossiers.tests.factories import MONDAY, World, drive

pytestmark = pytest.mark.django_db


def _codes(html: str) -> list[str]:
    return re.findall(r'href="/office/dossiers/([^/"]+)/"', html)


def test_the_receiver_sees_submissions_in_the_reception_queue(client: Client, world: World) -> None:
    submitted = drive(world, Status.AWAITING_RECEPTION)
    client.force_login(world.receiver)
    html = client.get("/office/?tab=reception").content.decode()
    assert _codes(html) == [str(submitted.pk)]


def test_a_specialist_has_no_reception_queue(client: Client, world: World) -> None:
    drive(world, Status.AWAITING_RECEPTION)
    client.force_login(world.specialist)
    html = client.get("/office/?tab=reception").content.decode()
    assert "Hồ sơ chờ tiếp nhận" not in html
    assert _codes(html) == []


def test_my_steps_dossiers_are_sorted_by_due_moment(client: Client, world: World) -> None:
    later = drive(world, Status.PROCESSING, start=MONDAY + dt.timedelta(days=1))
    earlier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    html = client.get("/office/?tab=step").content.decode()
    assert _codes(html) == [earlier.code, later.code]


def test_the_leader_does_not_see_the_specialists_step_in_their_step_tab(
    client: Client, world: World
) -> None:
    drive(world, Status.PROCESSING)
    client.force_login(world.leader)
    assert _codes(client.get("/office/?tab=step").content.decode()) == []


def test_assigned_dossiers_are_in_my_dossiers(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    services.dossier_assign(
        actor=world.division_head, code=dossier.code, assignee_id=world.colleague.pk
    )
    client.force_login(world.colleague)
    assert _codes(client.get("/office/?tab=mine").content.decode()) == [dossier.code]
    client.force_login(world.specialist)
    assert _codes(client.get("/office/?tab=mine").content.decode()) == []


def test_the_return_desk_lists_resolved_dossiers(client: Client, world: World) -> None:
    resolved = drive(world, Status.RESOLVED)
    drive(world, Status.PROCESSING)
    client.force_login(world.receiver)
    assert _codes(client.get("/office/?tab=return").content.decode()) == [resolved.code]


def test_an_overdue_dossier_is_marked_overdue(client: Client, world: World) -> None:
    drive(world, Status.PROCESSING)  # March 2026 with a 3-working-day limit: long overdue
    client.force_login(world.specialist)
    html = client.get("/office/?tab=step").content.decode()
    assert 'class="overdue"' in html
    assert "Quá hạn" in html


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        pytest.param(dt.datetime(2026, 3, 9, 8, 0, tzinfo=VN_TZ), "overdue", id="passed"),
        pytest.param(dt.datetime(2026, 3, 9, 16, 0, tzinfo=VN_TZ), "today", id="later-today"),
        pytest.param(dt.datetime(2026, 3, 11, 16, 0, tzinfo=VN_TZ), "soon", id="2-working-days"),
        pytest.param(dt.datetime(2026, 3, 12, 9, 0, tzinfo=VN_TZ), "", id="3-working-days"),
        pytest.param(None, "", id="no-due-moment"),
    ],
)
def test_urgency_follows_the_working_calendar(
    world: World, due: dt.datetime | None, expected: str
) -> None:
    now = MONDAY  # Monday 9 March 2026, 09:00
    soon = selectors.soon_limit(world.home.office, now=now)
    assert selectors.urgency_of(due, now=now, soon_until=soon) == expected


def test_two_working_days_skip_the_weekend(world: World) -> None:
    friday = dt.datetime(2026, 3, 13, 9, 0, tzinfo=VN_TZ)
    soon = selectors.soon_limit(world.home.office, now=friday)
    assert timezone.localtime(soon).date() == dt.date(2026, 3, 17)  # Tuesday


def test_pages_follow_each_other_without_gaps_or_repeats(world: World) -> None:
    made = [
        drive(world, Status.PROCESSING, start=MONDAY + dt.timedelta(minutes=30 * i))
        for i in range(5)
    ]
    acting = selectors.acting_from(
        selectors.memberships_of(world.specialist, on=MONDAY.date()), None
    )
    assert acting is not None
    seen: list[str] = []
    after = None
    for _ in range(4):
        page = selectors.inbox_page(
            world.specialist,
            acting=acting,
            tab=selectors.Tab.STEP,
            after=after,
            now=MONDAY,
            limit=2,
        )
        seen += [row.dossier.code or "" for row in page.rows]
        if not page.next_cursor:
            break
        after = selectors.parse_cursor(page.next_cursor)
    assert seen == [d.code for d in sorted(made, key=lambda d: (d.due_at, d.pk))]
    assert page.counts["step"] == "5"


def test_a_bad_cursor_shows_the_first_page(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    response = client.get("/office/?tab=step&after=garbage_x")
    assert response.status_code == 200
    assert _codes(response.content.decode()) == [dossier.code]


def test_counts_are_capped(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for i in range(3):
        drive(world, Status.PROCESSING, start=MONDAY + dt.timedelta(minutes=30 * i))
    acting = selectors.acting_from(
        selectors.memberships_of(world.specialist, on=MONDAY.date()), None
    )
    assert acting is not None
    page = selectors.inbox_page(
        world.specialist, acting=acting, tab=selectors.Tab.STEP, after=None, now=MONDAY
    )
    assert page.counts["step"] == "2+"


@pytest.mark.parametrize("how_many", [1, 8])
def test_the_inbox_costs_the_same_queries_whatever_its_length(
    client: Client, world: World, django_assert_max_num_queries: object, how_many: int
) -> None:
    for i in range(how_many):
        drive(world, Status.PROCESSING, start=MONDAY + dt.timedelta(minutes=30 * i))
    drive(world, Status.RESOLVED)
    drive(world, Status.AWAITING_RECEPTION)
    client.force_login(world.receiver)
    client.get("/office/")  # build the calendar of the agency, cached per process
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get("/office/?tab=return")
    assert response.status_code == 200
    client.force_login(world.specialist)
    client.get("/office/")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get("/office/?tab=step")
    assert len(_codes(response.content.decode())) == how_many
