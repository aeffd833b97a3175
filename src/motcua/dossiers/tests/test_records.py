"""The control slip (form 06) and the tracking book (form 07), derived from the events.
Working times are worked out by hand in the comments (sessions 07:30-11:30, 13:00-17:00);
the process of the test world budgets 1 h for reception, 12 h for the specialist's check,
4 h for the leader's signature and 1 h for the return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.domain.lifecycle import Status
from motcua.dossiers import services
from motcua.dossiers.models import ReturnChannel
from motcua.dossiers.records import control_slip, step_timeliness, tracking_book
from motcua.procedures.models import Field

from .factories import (
    APPLICANT,
    MONDAY,
    DossierFactory,
    World,
    at,
    drive,
    receive_walk_in,
    submit,
)

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def test_control_slip_of_a_whole_journey(world: World) -> None:
    dossier = submit(world, now=MONDAY)  # online, Mon 09:00
    code = services.dossier_receive(
        actor=world.receiver, code=str(dossier.pk), now=at(9, 9, 30)
    ).code
    services.dossier_assign(
        actor=world.division_head, code=code, assignee_id=world.colleague.pk, now=at(9, 10)
    )
    services.dossier_request_supplement(
        actor=world.colleague, code=code, items=["Bản sao"], reasons="Thiếu", now=at(9, 14)
    )
    services.dossier_supplement(actor=world.applicant, code=code, now=at(10, 10))
    services.dossier_forward(actor=world.colleague, code=code, note="Đủ", now=at(11, 10))
    services.dossier_resolve(
        actor=world.leader,
        code=code,
        result_number="7/2026",
        result_signer="L",
        result_date=dt.date(2026, 3, 12),
        now=at(12, 8, 30),
    )
    dossier = services.dossier_return_result(
        actor=world.receiver,
        code=code,
        channel=ReturnChannel.COUNTER,
        collected_by="Nguyễn Văn An",
        now=at(12, 9, 30),
    )
    steps = world.home.steps

    receive, forward, resolve, give_back = control_slip(dossier)

    # The desk checked the online dossier in 30 minutes of its 1-hour budget.
    assert (receive.action, receive.at) == ("receive", at(9, 9, 30))
    assert (receive.giver_agency, receive.giver_officer) == (world.home.center, world.receiver)
    assert (receive.receiver_agency, receive.receiver_step) == (world.home.office, steps[1])
    assert receive.receiver_officer == world.colleague  # the step was assigned to them
    assert (receive.finished_step, receive.budget_hours) == (steps[0], Decimal(1))
    assert (receive.spent, receive.timeliness) == (30 * M, "early")
    # Held Mon 09:30 -> Wed 10:00 = 16.5 working hours, less the 5.5 h awaiting the
    # supplement (Mon 14:00 -> Tue 10:00): 11 h of a 12-hour budget.
    assert (forward.action, forward.at) == ("forward", at(11, 10))
    assert (forward.giver_agency, forward.giver_officer) == (world.home.office, world.colleague)
    assert (forward.receiver_agency, forward.receiver_step) == (world.home.ward, steps[2])
    assert forward.receiver_officer == world.leader  # who acted next there
    assert (forward.finished_step, forward.spent, forward.timeliness) == (steps[1], 11 * H, "early")
    assert forward.note == "Đủ"
    # Wed 10:00 -> Thu 08:30 = 6.5 h of a 4-hour budget.
    assert (resolve.action, resolve.at) == ("resolve", at(12, 8, 30))
    assert (resolve.giver_agency, resolve.receiver_agency) == (world.home.ward, world.home.center)
    assert resolve.receiver_step == steps[3]
    assert resolve.receiver_officer == world.receiver
    assert (resolve.spent, resolve.timeliness) == (6.5 * H, "late")
    # Returned after exactly its 1-hour budget, to the person who collected it.
    assert (give_back.action, give_back.at) == ("return_result", at(12, 9, 30))
    assert (give_back.giver_agency, give_back.giver_officer) == (
        world.home.center,
        world.receiver,
    )
    assert (give_back.receiver_agency, give_back.receiver_officer) == (None, None)
    assert give_back.receiver_name == "Nguyễn Văn An"
    assert (give_back.spent, give_back.timeliness) == (H, "on_time")


def test_after_15_00_the_first_step_starts_the_next_morning(world: World) -> None:
    dossier = receive_walk_in(world, now=at(9, 16))
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(10, 15, 30))

    receive, forward = control_slip(dossier)

    # A walk-in is checked at the counter: no time spent before reception.
    assert (receive.at, receive.spent, receive.timeliness) == (
        at(10, 7, 30),
        dt.timedelta(0),
        "early",
    )
    assert receive.receiver_officer == world.specialist
    # Tue 07:30 -> 15:30 = 6.5 h, not counting Monday evening.
    assert (forward.spent, forward.timeliness) == (6.5 * H, "early")


def test_transfer_is_a_hand_over_to_the_other_agency(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_transfer(
        actor=world.specialist, code=dossier.code, agency_code=world.justice.code, now=at(9, 11)
    )
    services.dossier_forward(actor=world.justice_specialist, code=dossier.code, now=at(10, 9))

    _, transfer, forward = control_slip(dossier)

    # The office held the step Mon 09:00 -> 11:00, the department Mon 11:00 -> Tue 09:00.
    assert (transfer.giver_agency, transfer.receiver_agency) == (world.home.office, world.justice)
    assert transfer.receiver_step == transfer.finished_step == world.home.steps[1]
    assert transfer.receiver_officer == world.justice_specialist
    assert (transfer.spent, transfer.timeliness) == (2 * H, "early")
    assert (forward.giver_agency, forward.giver_officer) == (
        world.justice,
        world.justice_specialist,
    )
    assert forward.receiver_agency == world.home.ward
    assert forward.spent == 6 * H


def test_consultation_time_excluded_only_when_the_procedure_says(world: World) -> None:
    for counts, spent in ((True, 4.5 * H), (False, 3 * H)):
        version = world.home.version
        version.consultation_counts_toward_deadline = counts
        version.save()
        dossier = receive_walk_in(world, now=MONDAY)
        services.dossier_consult(
            actor=world.specialist,
            code=dossier.code,
            agency_codes=[world.justice.code],
            question="?",
            reply_within_days=Decimal(1),
            now=at(9, 10),
        )
        consultation = dossier.consultations.get()
        services.dossier_reply_consultation(
            actor=world.justice_specialist,
            consultation_id=consultation.pk,
            reply="Đồng ý",
            now=at(9, 13),
        )
        services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 15))

        forward = control_slip(dossier)[-1]

        # Mon 09:00 -> 15:00 is 4.5 working hours; the consultation 10:00 -> 13:00, 1.5.
        assert forward.spent == spent, counts


def test_a_dossier_not_received_has_no_hand_over(world: World) -> None:
    assert control_slip(drive(world, Status.AWAITING_RECEPTION)) == []
    assert control_slip(drive(world, Status.RECEPTION_REFUSED)) == []


@pytest.mark.parametrize(
    ("spent", "budget", "expected"),
    [
        (59 * M, Decimal(1), "early"),
        (59 * M + dt.timedelta(seconds=59), Decimal(1), "early"),  # whole minutes count
        (60 * M, Decimal(1), "on_time"),
        (60 * M + dt.timedelta(seconds=30), Decimal(1), "on_time"),
        (61 * M, Decimal(1), "late"),
        (30 * M, Decimal("0.5"), "on_time"),
        (dt.timedelta(0), Decimal("0.5"), "early"),
    ],
)
def test_step_timeliness(spent: dt.timedelta, budget: Decimal, expected: str) -> None:
    assert step_timeliness(spent, budget) == expected


# --- tracking book -----------------------------------------------------------------------------


def test_tracking_book_of_an_agency(world: World, django_assert_num_queries) -> None:
    first = receive_walk_in(world, now=MONDAY)
    second = DossierFactory(world=world, returned=True, start=at(10, 9))
    drive(world, Status.AWAITING_RECEPTION)  # not received: not in the book
    services.dossier_receive(  # another province
        actor=world.away_receiver,
        procedure_code=world.away.procedure.code,
        applicant=APPLICANT,
        now=at(9, 10),
    )
    receive_walk_in(world, now=at(11, 9))  # after the period
    # Monday 23:45 UTC is Tuesday 06:45 in Vietnam: Tuesday's.
    late_night = receive_walk_in(world, now=dt.datetime(2026, 3, 9, 23, 45, tzinfo=dt.UTC))

    with django_assert_num_queries(1):
        book = tracking_book(agency=world.home.ward, start=MONDAY.date(), end=at(10, 0).date())

    assert [row.number for row in book] == [1, 2, 3]
    assert [row.code for row in book] == [first.code, late_night.code, second.code]
    row = book[0]
    assert row.procedure == world.home.procedure.name
    assert (row.applicant, row.address, row.phone) == (
        "Nguyễn Văn An",
        "12 Lê Lợi, phường Một",
        "0912345678",
    )
    assert row.handling_agency == world.home.ward.name
    assert (row.received_at, row.due_at, row.returned_at) == (MONDAY, at(12, 9), None)
    assert (row.return_channel, row.collected_by) == (ReturnChannel.COUNTER, "")
    returned = book[2]
    second.refresh_from_db()
    assert (returned.received_at, returned.due_at) == (second.received_at, second.due_at)
    assert (returned.returned_at, returned.return_channel) == (
        second.returned_at,
        ReturnChannel.ONLINE,
    )
    # The province's book holds its units' dossiers too; the other province's is its own.
    assert (
        len(tracking_book(agency=world.home.root, start=MONDAY.date(), end=at(10, 0).date())) == 3
    )
    assert len(tracking_book(agency=world.away.root, start=MONDAY.date(), end=MONDAY.date())) == 1


def test_tracking_book_of_a_field(world: World) -> None:
    receive_walk_in(world, now=MONDAY)
    services.dossier_receive(
        actor=world.away_receiver,
        procedure_code=world.away.procedure.code,
        applicant=APPLICANT,
        now=at(9, 10),
    )
    civil_status = Field.objects.get(name="Hộ tịch")
    other = Field.objects.create(name="Chứng thực")

    assert len(tracking_book(field=civil_status, start=MONDAY.date(), end=MONDAY.date())) == 2
    assert tracking_book(field=other, start=MONDAY.date(), end=MONDAY.date()) == []
    both = tracking_book(
        field=civil_status, agency=world.home.ward, start=MONDAY.date(), end=MONDAY.date()
    )
    assert [row.handling_agency for row in both] == [world.home.ward.name]
    with pytest.raises(ValueError, match="per agency or per field"):
        tracking_book(start=MONDAY.date(), end=MONDAY.date())
