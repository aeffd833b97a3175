"""Who sees and who acts, as personas (issue 3, Permissions): an officer of another agency
or province sees nothing of this agency's dossiers and can do nothing to them through any
service or selector; receivers of the province receive every procedure of the province;
step officers act on their step only; monitors read and never act; applicants see their
own dossiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies.models import AgencyLevel, Role
from motcua.domain.lifecycle import TRANSITIONS, Action, Status, allowed_actions
from motcua.dossiers import permissions, services
from motcua.dossiers.exceptions import DossierNotFound, IllegalAction, NotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    DossierFilter,
    dossier_events_for,
    dossier_get_for,
    dossier_list_for,
    dossier_public_status,
    visible_to,
)

from .factories import (
    MONDAY,
    AgencyFactory,
    DossierFactory,
    World,
    at,
    drive,
    officer,
    receive_walk_in,
    reference,
    submit,
)
from .test_transitions import ACTIONS_ON_A_DOSSIER, CALLS, snapshot, with_open_consultation

pytestmark = pytest.mark.django_db

STRANGERS = [
    "construction_specialist",  # another agency of the same province
    "construction_leader",
    "away_specialist",  # another province
    "away_receiver",
    "away_leader",
    "away_monitor",
    "other_applicant",
]
# Those who try every action (each role's rules once: every action is tried by a leader, a
# specialist and a receiver of elsewhere, an applicant and an anonymous visitor).
ACTING_STRANGERS = [
    "construction_leader",
    "away_specialist",
    "away_receiver",
    "other_applicant",
    "anonymous",
]


def persona(world: World, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


def sees(user: Any, dossier: Dossier) -> bool:
    return visible_to(user).filter(pk=dossier.pk).exists()


def everything(user: Any) -> list[Dossier]:
    return dossier_list_for(user, filters=DossierFilter(), after=None, limit=100)


# --- strangers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_strangers_neither_see_nor_act_on_the_dossier(world: World, status: Status) -> None:
    dossier = with_open_consultation(world, drive(world, status))
    before = snapshot(dossier)

    for name in [*STRANGERS, "anonymous"]:
        user = persona(world, name)
        assert not sees(user, dossier), name
        assert everything(user) == [], name
        with pytest.raises(DossierNotFound):
            dossier_get_for(user, code=reference(dossier))
        with pytest.raises(DossierNotFound):
            dossier_events_for(user, code=reference(dossier))
    for name in ACTING_STRANGERS:
        user = persona(world, name)
        # Not even an illegal action tells them the dossier exists or what state it is in.
        for action in ACTIONS_ON_A_DOSSIER:
            with pytest.raises(DossierNotFound):
                CALLS[action](world, dossier, user)
    assert snapshot(dossier) == before


def test_a_receiver_of_another_province_cannot_receive_this_provinces_procedures(
    world: World,
) -> None:
    with pytest.raises(NotAllowed):
        receive_walk_in(world, actor=world.away_receiver)
    submitted = submit(world)
    with pytest.raises(DossierNotFound):
        services.dossier_receive(actor=world.away_receiver, code=str(submitted.pk), now=MONDAY)
    assert Dossier.objects.filter(code__isnull=False).count() == 0


def test_only_receivers_receive(world: World) -> None:
    for name in ("specialist", "leader", "monitor", "division_head", "applicant", "anonymous"):
        with pytest.raises(NotAllowed):
            receive_walk_in(world, actor=persona(world, name))


@pytest.mark.parametrize("walk_in", [True, False], ids=["walk-in", "submitted"])
def test_an_anonymous_visitor_is_nobody(world: World, walk_in: bool) -> None:
    """An unassigned dossier and a walk-in's missing applicant account are None, like an
    anonymous visitor's id: that must not make the visitor its assignee or applicant."""
    dossier = drive(world, Status.AWAITING_SUPPLEMENT, walk_in=walk_in)
    scope = permissions.scope_of(AnonymousUser(), on=MONDAY.date())
    for action in (Action.SUPPLEMENT, Action.WITHDRAW, Action.APOLOGISE_AND_EXTEND):
        with pytest.raises(NotAllowed):
            permissions.acting_agency(scope, dossier, action)
    services.dossier_supplement(actor=world.receiver, code=dossier.code, now=at(9, 11))
    dossier.refresh_from_db()
    assert dossier.assignee is None
    for action in (Action.FORWARD, Action.RESOLVE, Action.REJECT, Action.TRANSFER):
        with pytest.raises(NotAllowed):
            permissions.acting_agency(scope, dossier, action)


# --- receivers ---------------------------------------------------------------------------------


def test_every_service_center_of_the_province_receives_every_procedure_of_it(
    world: World,
) -> None:
    submitted = submit(world)
    assert sees(world.province_receiver, submitted)
    assert sees(world.receiver, submitted)

    received = services.dossier_receive(
        actor=world.province_receiver, code=str(submitted.pk), now=at(9, 10)
    )
    walk_in = receive_walk_in(world, actor=world.province_receiver, now=at(9, 11))

    assert received.receiving_unit == walk_in.receiving_unit == world.province_center
    assert received.handling_agency == walk_in.handling_agency == world.home.ward
    # The receiving unit keeps reading what it received; the ward's own center no longer
    # sees dossiers it did not receive once they are in processing.
    assert sees(world.province_receiver, received)
    assert not sees(world.receiver, received)


def test_a_receiver_of_two_provinces_receives_for_the_unit_of_the_dossiers_province(
    world: World,
) -> None:
    """A province whose id starts with the digits of this province's id ('/1/' and '/17/'):
    the receiving unit must be chosen by the whole path segment, not by a prefix."""
    pk = int(f"{world.home.root.pk}7")
    other_root = AgencyFactory(pk=pk, code="H10", level=AgencyLevel.PROVINCE)
    other_center = AgencyFactory(code="H10.01", level=AgencyLevel.SERVICE_CENTER, parent=other_root)
    assert other_center.path.startswith(f"/{world.home.root.pk}")
    both = officer(
        "tiepnhan.haitinh", (other_center, Role.RECEIVER), (world.home.center, Role.RECEIVER)
    )

    dossier = receive_walk_in(world, actor=both)

    assert dossier.receiving_unit == world.home.center


def test_the_desk_of_another_unit_returns_results_but_does_not_act_in_processing(
    world: World,
) -> None:
    processing = drive(world, Status.AWAITING_SUPPLEMENT)  # received at the ward's center
    with pytest.raises(DossierNotFound):
        services.dossier_supplement(actor=world.province_receiver, code=processing.code)
    with pytest.raises(DossierNotFound):
        services.dossier_withdraw(actor=world.province_receiver, code=processing.code)

    resolved = drive(world, Status.RESOLVED, start=at(10, 9))
    assert sees(world.province_receiver, resolved)
    services.dossier_return_result(
        actor=world.province_receiver, code=resolved.code, channel="postal", now=at(11, 9)
    )


# --- step officers -----------------------------------------------------------------------------


def test_specialists_act_only_on_dossiers_at_their_step(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)  # at the specialist's step of the office
    assert sees(world.specialist, dossier)
    assert sees(world.colleague, dossier)
    # The clerk of the same office holds another role: the step is not theirs.
    assert not sees(world.clerk, dossier)
    with pytest.raises(DossierNotFound):
        services.dossier_forward(actor=world.clerk, code=dossier.code, now=at(9, 10))

    services.dossier_forward(actor=world.colleague, code=dossier.code, now=at(9, 10))

    # Now at the leader's step: the specialist who never touched it loses it...
    assert not sees(world.specialist, dossier)
    with pytest.raises(DossierNotFound):
        services.dossier_send_back(
            actor=world.specialist, code=dossier.code, to_position=2, reason="x", now=at(9, 11)
        )
    # ...the one who forwarded it reads it, and acts no more.
    assert sees(world.colleague, dossier)
    with pytest.raises(NotAllowed):
        services.dossier_send_back(
            actor=world.colleague, code=dossier.code, to_position=2, reason="x", now=at(9, 11)
        )
    services.dossier_send_back(
        actor=world.leader, code=dossier.code, to_position=2, reason="Bổ sung ý kiến"
    )


def test_an_assigned_officer_acts_on_the_step(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_assign(
        actor=world.division_head, code=dossier.code, assignee_id=world.colleague.pk, now=at(9, 9)
    )

    assert dossier_get_for(world.colleague, code=dossier.code).assignee == world.colleague
    services.dossier_forward(actor=world.colleague, code=dossier.code, now=at(9, 10))


def test_the_division_head_sees_the_steps_of_the_division(world: World) -> None:
    """The division head assigns dossiers at the specialists' step, so sees them."""
    dossier = receive_walk_in(world, now=MONDAY)

    assert sees(world.division_head, dossier)
    assert dossier in everything(world.division_head)


def test_only_the_leader_of_the_handling_agency_apologises(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    for name in ("specialist", "division_head", "receiver", "monitor"):
        with pytest.raises(NotAllowed):
            services.dossier_apologise_and_extend(
                actor=persona(world, name),
                code=dossier.code,
                reason="Chậm",
                new_due_at=at(20, 9),
                now=at(11, 9),
            )
    with pytest.raises(DossierNotFound):
        services.dossier_apologise_and_extend(
            actor=world.away_leader,
            code=dossier.code,
            reason="Chậm",
            new_due_at=at(20, 9),
            now=at(11, 9),
        )


# --- monitors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["monitor", "province_monitor"])
def test_monitors_read_their_subtree_and_act_on_nothing(world: World, name: str) -> None:
    user = persona(world, name)
    dossiers = [drive(world, s, start=MONDAY + dt.timedelta(hours=i)) for i, s in enumerate(Status)]
    away = drive_away(world)

    assert {d.pk for d in everything(user)} == {d.pk for d in dossiers}
    assert not sees(user, away)
    for dossier in dossiers:
        assert dossier_get_for(user, code=reference(dossier)) == dossier
        dossier = with_open_consultation(world, dossier)
        before = snapshot(dossier)
        for action in allowed_actions(Status(dossier.status)):
            with pytest.raises(NotAllowed):
                CALLS[action](world, dossier, user)
        assert snapshot(dossier) == before


def drive_away(world: World) -> Dossier:
    return services.dossier_receive(
        actor=world.away_receiver,
        procedure_code=world.away.procedure.code,
        applicant=services.Applicant(name="Trần Thị Bình"),
        now=MONDAY,
    )


# --- applicants --------------------------------------------------------------------------------


def test_an_applicant_sees_only_their_own_dossiers(world: World) -> None:
    own = [drive(world, Status.AWAITING_RECEPTION), drive(world, Status.PROCESSING)]
    walk_in = receive_walk_in(world)  # same person at the counter, no account linked
    other = services.dossier_submit(
        actor=world.other_applicant,
        procedure_code=world.procedure_code,
        applicant=services.Applicant(name="Lê Văn Cường"),
        now=MONDAY,
    )

    assert {d.pk for d in everything(world.applicant)} == {d.pk for d in own}
    assert {d.pk for d in everything(world.other_applicant)} == {other.pk}
    assert not sees(world.applicant, walk_in)
    with pytest.raises(DossierNotFound):
        services.dossier_withdraw(actor=world.applicant, code=str(other.pk))
    with pytest.raises(DossierNotFound):
        services.dossier_withdraw(actor=world.other_applicant, code=own[1].code)
    # On their own dossier an officer's action is refused, not hidden.
    with pytest.raises(NotAllowed):
        services.dossier_forward(actor=world.applicant, code=own[1].code, now=at(9, 10))
    with pytest.raises(IllegalAction):
        services.dossier_supplement(actor=world.applicant, code=own[1].code, now=at(9, 10))
    services.dossier_withdraw(actor=world.applicant, code=own[1].code, now=at(9, 10))


def test_the_public_lookup_needs_the_second_factor(world: World) -> None:
    dossier = receive_walk_in(world)

    assert dossier_public_status(code=dossier.code, second_factor="5678") == dossier  # phone
    assert dossier_public_status(code=dossier.code, second_factor="4567") == dossier  # ID
    assert dossier_public_status(code=dossier.code, second_factor=dossier.lookup_token) == dossier
    for wrong in ("", "1234", "567", dossier.lookup_token[:-1]):
        assert dossier_public_status(code=dossier.code, second_factor=wrong) is None
    assert dossier_public_status(code="H98.50.01-260309-9999", second_factor="5678") is None


# --- consistency of the rules ------------------------------------------------------------------


PEOPLE = [
    "receiver",
    "province_receiver",
    "specialist",
    "colleague",
    "division_head",
    "clerk",
    "leader",
    "monitor",
    "province_monitor",
    "justice_specialist",
    "justice_leader",
    "construction_specialist",
    "away_receiver",
    "away_specialist",
    "away_leader",
    "applicant",
    "other_applicant",
]


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_whoever_may_act_may_see(world: World, status: Status) -> None:
    """`acting_agency` grants nothing `visible_q` hides: services can answer "not found"
    to everyone who may not see a dossier."""
    dossier = drive(world, status)
    dossier = Dossier.objects.select_related("handling_agency", "current_step").get(pk=dossier.pk)
    for name in PEOPLE:
        scope = permissions.scope_of(persona(world, name), on=MONDAY.date())
        for action in ACTIONS_ON_A_DOSSIER:
            if (status, action) not in TRANSITIONS:
                continue
            try:
                permissions.acting_agency(scope, dossier, action)
            except NotAllowed:
                continue
            assert permissions.can_see(scope, dossier), (name, action)


# --- lists -------------------------------------------------------------------------------------


def test_list_queries_do_not_grow_with_rows(world: World, django_assert_max_num_queries) -> None:
    drive(world, Status.PROCESSING)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = everything(world.leader)
            for row in rows:  # what a list page shows
                _ = (row.procedure.name, row.handling_agency.code, row.current_agency)
                _ = row.current_step
        return len(captured)

    few = count_queries()
    for hour in range(1, 8):
        drive(world, Status.RESOLVED, start=MONDAY + dt.timedelta(hours=hour))
        drive(world, Status.AWAITING_RECEPTION, start=MONDAY + dt.timedelta(hours=hour))

    with django_assert_max_num_queries(few):
        rows = everything(world.leader)
        for row in rows:
            _ = (row.procedure.name, row.handling_agency.code, row.current_agency)
            _ = row.current_step
    assert len(rows) == 15


def test_lists_include_dossiers_without_due_moment_last_and_page_by_keyset(
    world: World,
) -> None:
    received = [
        drive(world, Status.PROCESSING, start=MONDAY + dt.timedelta(hours=h)) for h in (2, 0, 1)
    ]
    waiting = [drive(world, Status.AWAITING_RECEPTION) for _ in range(3)]

    pages, after = [], None
    while True:
        page = dossier_list_for(world.leader, filters=DossierFilter(), after=after, limit=2)
        if not page:
            break
        pages.append(page)
        after = (page[-1].due_at, page[-1].pk)

    listed = [d.pk for page in pages for d in page]
    by_due = sorted(received, key=lambda d: (d.due_at, d.pk))
    assert listed == [d.pk for d in by_due] + sorted(d.pk for d in waiting)
    assert [len(p) for p in pages] == [2, 2, 2]


def test_list_filters(world: World) -> None:
    overdue = DossierFactory(world=world, overdue=True)
    fresh = DossierFactory(world=world)
    waiting = DossierFactory(world=world, submitted=True)
    assert overdue.due_at < MONDAY < fresh.due_at

    def pks(**filters: Any) -> set[int]:
        return {
            d.pk
            for d in dossier_list_for(
                world.leader, filters=DossierFilter(**filters), after=None, limit=50
            )
        }

    assert pks(overdue_at=MONDAY) == {overdue.pk}
    assert pks(status=Status.AWAITING_RECEPTION) == {waiting.pk}
    assert pks(due_after=MONDAY) == {fresh.pk}
    assert pks(due_before=MONDAY) == {overdue.pk}
    assert pks(agency_code=world.home.office.code) == {overdue.pk, fresh.pk}
    assert pks(procedure_code=world.procedure_code) == {overdue.pk, fresh.pk, waiting.pk}
    assert pks(channel="online") == {overdue.pk, fresh.pk, waiting.pk}
    assert pks(channel="counter") == set()
