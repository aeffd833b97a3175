"""Every action of the lifecycle: the state it leaves, the event it writes and the outbox
message it sends. Moments are explicit; expected moments are worked out by hand in the
comments from the default sessions (07:30-11:30, 13:00-17:00, Monday to Friday) and the
2026 holidays (Tết: Saturday 14/02 to Sunday 22/02)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from motcua.agencies.models import AgencyLevel, Role
from motcua.domain.lifecycle import Action, Status
from motcua.dossiers import services
from motcua.dossiers.exceptions import DossierNotFound, IllegalAction, InvalidInput, NotAllowed
from motcua.dossiers.models import (
    Consultation,
    Dossier,
    DossierCodeSequence,
    DossierEvent,
    ReturnChannel,
    Timeliness,
)
from motcua.dossiers.selectors import dossier_get_for, visible_to
from motcua.integrations.models import OutboxMessage
from motcua.procedures.models import Channel, TimeUnit

from .factories import (
    APPLICANT,
    MONDAY,
    AgencyFactory,
    World,
    at,
    drive,
    make_procedure,
    make_world,
    receive_walk_in,
    submit,
)

pytestmark = pytest.mark.django_db

HOUR = 3600


def hours(n: float) -> int:
    return int(n * HOUR)


def events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk"))


def assert_event(
    dossier: Dossier,
    action: Action,
    *,
    actor: Any,
    agency: Any,
    from_status: str,
    note: str | None = None,
    payload: dict[str, Any] | None = None,
    topic: str = "dossier.changed",
) -> DossierEvent:
    """The last event is `action` with these facts, it agrees with the dossier's state, and
    one outbox message announces it."""
    dossier.refresh_from_db()
    event = events(dossier)[-1]
    assert event.action == action
    assert event.actor == actor
    assert event.actor_agency == agency
    assert event.from_status == from_status
    assert event.to_status == dossier.status
    assert event.to_step_id == dossier.current_step_id
    assert event.to_agency_id == dossier.current_agency_id
    assert event.to_assignee_id == dossier.assignee_id
    assert event.to_due_at == dossier.due_at
    if note is not None:
        assert event.note == note
    for key, value in (payload or {}).items():
        assert event.payload[key] == value, key
    message = OutboxMessage.objects.get(key=f"{topic}:{event.pk}")
    assert message.topic == topic
    assert message.payload["action"] == action
    assert message.payload["status"] == dossier.status
    assert message.payload["dossier"] == (dossier.code or dossier.pk)
    return event


def step(world: World, position: int) -> Any:
    return world.home.steps[position - 1]


# --- submit and receive ----------------------------------------------------------------------


def test_submit_awaits_reception_without_code_or_clock(world: World) -> None:
    dossier = submit(world, now=MONDAY)

    assert dossier.status == Status.AWAITING_RECEPTION
    assert dossier.code is None
    assert dossier.submitted_at == MONDAY
    assert dossier.applicant_user == world.applicant
    assert dossier.handling_agency == world.home.ward  # the version's competent agency
    assert (dossier.received_at, dossier.due_at, dossier.current_step) == (None, None, None)
    assert_event(dossier, Action.SUBMIT, actor=world.applicant, agency=None, from_status="")


def test_a_postal_dossier_recorded_by_a_clerk_is_not_the_clerks_own(world: World) -> None:
    clerk = User.objects.create_user("buudien.hongchau")  # the postal service's account
    dossier = services.dossier_submit(
        actor=clerk,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        channel=Channel.POSTAL,
        return_channel=ReturnChannel.POSTAL,
        now=MONDAY,
    )

    assert dossier.channel == Channel.POSTAL
    assert dossier.applicant_user is None
    assert_event(dossier, Action.SUBMIT, actor=clerk, agency=None, from_status="")
    # The clerk may not withdraw it as if they were the applicant.
    with pytest.raises(NotAllowed):
        services.dossier_withdraw(actor=clerk, code=str(dossier.pk), now=MONDAY)


def test_receive_walk_in_issues_code_due_moment_and_first_processing_step(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)

    assert dossier.status == Status.PROCESSING
    assert dossier.code == "H98.50.01-260309-0001"
    assert dossier.receiving_unit == world.home.center
    assert dossier.handling_agency == world.home.ward
    assert dossier.received_at == dossier.handed_over_at == MONDAY
    # 3 working days = 24 h from Mon 09:00: Mon 6.5 h, Tue 8, Wed 8, Thu 07:30 + 1.5 h.
    assert dossier.due_at == dossier.initial_due_at == at(12, 9)
    assert (dossier.time_limit_amount, dossier.time_limit_unit) == (3, TimeUnit.WORKING_DAY)
    # The reception step is done by the reception; the specialist's step starts now.
    assert dossier.current_step == step(world, 2)
    assert dossier.current_agency == world.home.office
    assert dossier.step_started_at == MONDAY
    # Its 12 h budget: Mon 6.5 h, Tue 07:30-11:30 and 13:00-14:30.
    assert dossier.step_due_at == at(10, 14, 30)
    assert (dossier.paused_since, dossier.paused_seconds, dossier.supplement_count) == (None, 0, 0)
    assert dossier.timeliness == ""
    assert_event(
        dossier,
        Action.RECEIVE,
        actor=world.receiver,
        agency=world.home.center,
        from_status="",
        payload={"handed_over_at": MONDAY.isoformat()},
        topic="dossier.received",
    )


def test_receive_a_submitted_dossier_at_another_service_center_of_the_province(
    world: World,
) -> None:
    submitted = submit(world, now=MONDAY)

    dossier = services.dossier_receive(
        actor=world.province_receiver, code=str(submitted.pk), now=at(9, 10)
    )

    assert dossier.pk == submitted.pk
    assert dossier.status == Status.PROCESSING
    # The code is the handling agency's; the receiving unit is stored apart.
    assert dossier.code == "H98.50.01-260309-0001"
    assert dossier.receiving_unit == world.province_center
    assert dossier.submitted_at == MONDAY
    assert dossier.received_at == at(9, 10)
    assert dossier.applicant_user == world.applicant
    assert_event(
        dossier,
        Action.RECEIVE,
        actor=world.province_receiver,
        agency=world.province_center,
        from_status=Status.AWAITING_RECEPTION,
        topic="dossier.received",
    )


def test_codes_run_per_handling_agency_and_reception_day(world: World) -> None:
    monday = [receive_walk_in(world, now=at(9, 9, m)).code for m in range(3)]
    away = services.dossier_receive(
        actor=world.away_receiver,
        procedure_code=world.away.procedure.code,
        applicant=APPLICANT,
        now=at(9, 10),
    )
    tuesday = receive_walk_in(world, now=at(10, 9)).code
    # Received at the province center, still numbered by the handling ward.
    via_province = receive_walk_in(world, now=at(10, 10), actor=world.province_receiver).code

    assert monday == [f"H98.50.01-260309-000{n}" for n in (1, 2, 3)]
    assert away.code == "H97.50.01-260309-0001"
    assert tuesday == "H98.50.01-260310-0001"
    assert via_province == "H98.50.01-260310-0002"


def receive_for(world: World, agency_code: str, *, now: dt.datetime = MONDAY) -> Dossier:
    return services.dossier_receive(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        handling_agency_code=agency_code,
        now=now,
    )


def test_a_named_handling_agency_handles_and_numbers_the_dossier(world: World) -> None:
    """A commune-level procedure: each commune of the province handles its residents'."""
    neighbour = AgencyFactory(code="H98.50.02", level=AgencyLevel.COMMUNE, parent=world.home.root)

    dossier = receive_for(world, "H98.50.02")

    assert dossier.handling_agency == neighbour
    assert dossier.code == "H98.50.02-260309-0001"
    assert receive_walk_in(world, now=at(9, 9, 5)).code == "H98.50.01-260309-0001"


def test_an_unknown_handling_agency_is_refused_and_nothing_is_written(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        receive_for(world, "H98.50.77")

    assert refused.value.details["field"] == "handling_agency"
    assert "H98.50.77" in refused.value.message
    assert not Dossier.objects.exists()


def test_an_agency_merged_away_no_longer_handles_dossiers(world: World) -> None:
    """Since 7/2025 merged communes end (`valid_to`); their successor receives instead."""
    AgencyFactory(
        code="H98.50.03",
        level=AgencyLevel.COMMUNE,
        parent=world.home.root,
        valid_to=dt.date(2025, 6, 30),
    )

    with pytest.raises(InvalidInput) as refused:
        receive_for(world, "H98.50.03")

    assert refused.value.details["field"] == "handling_agency"
    assert "09/03/2026" in refused.value.message
    assert not Dossier.objects.exists()
    assert not DossierCodeSequence.objects.exists()


def test_the_day_of_the_code_is_the_local_reception_day(world: World) -> None:
    # Still Monday in UTC, already Tuesday 10/03 06:45 in Vietnam.
    early = dt.datetime(2026, 3, 9, 23, 45, tzinfo=dt.UTC)

    dossier = receive_walk_in(world, now=early)

    assert dossier.code == "H98.50.01-260310-0001"


def test_the_number_grows_past_four_digits(world: World) -> None:
    DossierCodeSequence.objects.create(agency=world.home.ward, day=MONDAY.date(), last_number=9999)

    assert receive_walk_in(world, now=MONDAY).code == "H98.50.01-260309-10000"
    assert receive_walk_in(world, now=at(9, 9, 5)).code == "H98.50.01-260309-10001"


def test_received_after_15_00_is_handed_over_the_next_working_day_but_due_from_reception(
    world: World,
) -> None:
    """DOMAIN.md 1.3 and 6.1: received Friday 13/02/2026 at 16:00 with a limit of one
    working day; Tết closes the offices from Saturday 14/02 to Sunday 22/02."""
    procedure, *_ = make_procedure(
        handling=world.home.ward,
        center=world.home.center,
        office=world.home.office,
        amount=Decimal(1),
        unit=TimeUnit.WORKING_DAY,
    )
    friday = dt.datetime(2026, 2, 13, 16, 0, tzinfo=MONDAY.tzinfo)

    dossier = receive_walk_in(world, now=friday, procedure_code=procedure.code)

    assert dossier.received_at == friday
    assert dossier.handed_over_at == dt.datetime(2026, 2, 23, 7, 30, tzinfo=MONDAY.tzinfo)
    # One working day = 8 h from the reception: Fri 16:00-17:00, then Mon 23/02 7 h.
    assert dossier.due_at == dt.datetime(2026, 2, 23, 16, 0, tzinfo=MONDAY.tzinfo)
    assert dossier.code == "H98.50.01-260213-0001"
    # The processing step starts, and its budget runs, from the hand-over.
    assert dossier.step_started_at == dossier.handed_over_at
    event = events(dossier)[-1]
    assert event.payload["handed_over_at"] == dossier.handed_over_at.isoformat()


@pytest.mark.parametrize(
    ("received", "handed_over"),
    [
        pytest.param(at(12, 15, 0), at(12, 15, 0), id="at-15:00-same-day"),
        pytest.param(at(12, 15, 1), at(13, 7, 30), id="at-15:01-next-morning"),
        pytest.param(at(13, 16, 0), at(16, 7, 30), id="friday-16:00-monday"),
        pytest.param(at(12, 12, 0), at(12, 13, 0), id="lunch-break-afternoon"),
        pytest.param(at(14, 9, 0), at(16, 7, 30), id="saturday-monday"),
    ],
)
def test_hand_over_moment(world: World, received: dt.datetime, handed_over: dt.datetime) -> None:
    assert receive_walk_in(world, now=received).handed_over_at == handed_over


def test_request_supplement_at_reception_is_terminal_without_code_or_clock(world: World) -> None:
    dossier = submit(world, now=MONDAY)

    dossier = services.dossier_request_supplement_at_reception(
        actor=world.receiver,
        reference=str(dossier.pk),
        reasons="Thiếu giấy chứng sinh",
        items=["Giấy chứng sinh"],
        now=at(9, 9, 30),
    )

    assert dossier.status == Status.RECEPTION_SUPPLEMENT_REQUESTED
    assert (dossier.code, dossier.due_at, dossier.received_at) == (None, None, None)
    assert dossier.receiving_unit == world.home.center
    assert dossier.finished_at == at(9, 9, 30)
    assert_event(
        dossier,
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        actor=world.receiver,
        agency=world.home.center,
        from_status=Status.AWAITING_RECEPTION,
        note="Thiếu giấy chứng sinh",
        payload={"items": ["Giấy chứng sinh"]},
    )


def test_refuse_reception_needs_reasons(world: World) -> None:
    dossier = submit(world, now=MONDAY)
    with pytest.raises(InvalidInput) as error:
        services.dossier_refuse_reception(
            actor=world.receiver, reference=str(dossier.pk), reasons=" ", now=at(9, 10)
        )
    assert error.value.details["field"] == "reasons"

    dossier = services.dossier_refuse_reception(
        actor=world.receiver,
        reference=str(dossier.pk),
        reasons="Không thuộc thẩm quyền",
        now=at(9, 10),
    )

    assert dossier.status == Status.RECEPTION_REFUSED
    assert dossier.code is None
    assert_event(
        dossier,
        Action.REFUSE_RECEPTION,
        actor=world.receiver,
        agency=world.home.center,
        from_status=Status.AWAITING_RECEPTION,
        note="Không thuộc thẩm quyền",
    )


# --- moving through the process ----------------------------------------------------------------


def test_forward_hands_the_dossier_to_the_next_step(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)

    dossier = services.dossier_forward(
        actor=world.specialist, code=dossier.code, note="Đủ điều kiện", now=at(9, 14)
    )

    assert dossier.status == Status.PROCESSING
    assert dossier.current_step == step(world, 3)
    assert dossier.current_agency == world.home.ward
    assert dossier.assignee is None
    assert dossier.step_started_at == at(9, 14)
    # Budget 4 h: Mon 14:00-17:00, Tue 07:30-08:30.
    assert dossier.step_due_at == at(10, 8, 30)
    assert dossier.due_at == at(12, 9)  # the dossier's own due moment does not move
    event = assert_event(
        dossier,
        Action.FORWARD,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Đủ điều kiện",
    )
    assert (event.from_step, event.to_step) == (step(world, 2), step(world, 3))
    assert (event.from_agency, event.to_agency) == (world.home.office, world.home.ward)


def test_forward_does_not_enter_the_return_step(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 14))

    with pytest.raises(InvalidInput) as error:
        services.dossier_forward(actor=world.leader, code=dossier.code, now=at(9, 15))

    assert error.value.details["field"] == "step"
    dossier.refresh_from_db()
    assert dossier.current_step == step(world, 3)


def test_send_back_to_an_earlier_step_with_the_reason(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 14))
    for position in (3, 5):
        with pytest.raises(InvalidInput):
            services.dossier_send_back(
                actor=world.leader,
                code=dossier.code,
                to_position=position,
                reason="Xem lại",
                now=at(9, 15),
            )

    dossier = services.dossier_send_back(
        actor=world.leader, code=dossier.code, to_position=2, reason="Xem lại", now=at(9, 15)
    )

    assert dossier.status == Status.PROCESSING
    assert dossier.current_step == step(world, 2)
    assert dossier.current_agency == world.home.office
    assert dossier.step_started_at == at(9, 15)
    event = assert_event(
        dossier,
        Action.SEND_BACK,
        actor=world.leader,
        agency=world.home.ward,
        from_status=Status.PROCESSING,
        note="Xem lại",
    )
    assert event.from_step == step(world, 3)


def test_assign_the_step_to_an_officer_holding_its_role(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    with pytest.raises(InvalidInput) as error:
        services.dossier_assign(
            actor=world.division_head,
            code=dossier.code,
            assignee_id=world.leader.pk,  # not a specialist of the office
            now=at(9, 9, 30),
        )
    assert error.value.details["field"] == "assignee"
    with pytest.raises(NotAllowed):
        services.dossier_assign(
            actor=world.specialist,
            code=dossier.code,
            assignee_id=world.colleague.pk,
            now=at(9, 9, 30),
        )

    dossier = services.dossier_assign(
        actor=world.division_head,
        code=dossier.code,
        assignee_id=world.colleague.pk,
        note="Đồng chí An xử lý",
        now=at(9, 9, 30),
    )

    assert dossier.assignee == world.colleague
    assert dossier.current_step == step(world, 2)
    event = assert_event(
        dossier,
        Action.ASSIGN,
        actor=world.division_head,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Đồng chí An xử lý",
    )
    assert event.to_assignee == world.colleague


def test_the_leader_of_the_agency_assigns_in_its_divisions(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)

    dossier = services.dossier_assign(
        actor=world.leader, code=dossier.code, assignee_id=world.colleague.pk, now=at(9, 10)
    )

    assert dossier.assignee == world.colleague
    assert_event(
        dossier,
        Action.ASSIGN,
        actor=world.leader,
        agency=world.home.office,
        from_status=Status.PROCESSING,
    )


def test_transfer_gives_the_other_agency_that_step_only(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    assert not visible_to(world.justice_colleague).filter(pk=dossier.pk).exists()
    with pytest.raises(InvalidInput):
        services.dossier_transfer(
            actor=world.specialist, code=dossier.code, agency_code="H98.50.01.02", now=at(9, 10)
        )
    with pytest.raises(InvalidInput):
        services.dossier_transfer(
            actor=world.specialist, code=dossier.code, agency_code="X00", now=at(9, 10)
        )

    dossier = services.dossier_transfer(
        actor=world.specialist,
        code=dossier.code,
        agency_code=world.justice.code,
        note="Liên thông Sở Tư pháp",
        now=at(9, 10),
    )

    assert dossier.current_agency == world.justice
    assert dossier.current_step == step(world, 2)  # the same step, at another agency
    event = assert_event(
        dossier,
        Action.TRANSFER,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Liên thông Sở Tư pháp",
    )
    assert (event.from_agency, event.to_agency) == (world.home.office, world.justice)
    # The other agency's officers of the step's role see it and act on it now...
    assert dossier_get_for(world.justice_colleague, code=dossier.code) == dossier
    # ...and the transferring office no longer does: the officer who transferred still
    # reads what they did; their colleague does not even find it.
    with pytest.raises(NotAllowed):
        services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 11))
    with pytest.raises(DossierNotFound):
        services.dossier_forward(actor=world.colleague, code=dossier.code, now=at(9, 11))

    services.dossier_forward(actor=world.justice_specialist, code=dossier.code, now=at(9, 14))

    dossier.refresh_from_db()
    assert dossier.current_agency == world.home.ward
    assert not visible_to(world.justice_colleague).filter(pk=dossier.pk).exists()
    # The officer who forwarded still reads what they did, but acts no more.
    with pytest.raises(NotAllowed):
        services.dossier_send_back(
            actor=world.justice_specialist,
            code=dossier.code,
            to_position=2,
            reason="Xem lại",
            now=at(9, 15),
        )


# --- clock-stopping actions ---------------------------------------------------------------------


def test_supplement_during_processing_pauses_and_the_supplement_resumes(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)  # due Thu 12/03 09:00

    dossier = services.dossier_request_supplement(
        actor=world.specialist,
        code=dossier.code,
        items=["Bản sao CCCD"],
        reasons="Thiếu giấy tờ",
        now=at(9, 10),
    )

    assert dossier.status == Status.AWAITING_SUPPLEMENT
    assert dossier.paused_since == at(9, 10)
    assert dossier.supplement_count == 1
    assert dossier.due_at == at(12, 9)
    assert_event(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Thiếu giấy tờ",
        payload={"items": ["Bản sao CCCD"], "repeated": False},
    )

    dossier = services.dossier_supplement(
        actor=world.receiver, code=dossier.code, note="Đã nộp bản sao", now=at(11, 10)
    )

    # Paused Mon 10:00 -> Wed 10:00: Mon 1.5 + 4, Tue 8, Wed 2.5 = 16 working hours.
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_since is None
    assert dossier.paused_seconds == hours(16)
    # Thu 12/03 09:00 + 16 h: Thu 6.5, Fri 8, Mon 16/03 07:30 + 1.5 h.
    assert dossier.due_at == at(16, 9)
    assert dossier.initial_due_at == at(12, 9)
    # The step's own due moment moves alike: Tue 10/03 14:30 + 16 h = Thu 12/03 14:30.
    assert dossier.step_due_at == at(12, 14, 30)
    assert_event(
        dossier,
        Action.SUPPLEMENT,
        actor=world.receiver,
        agency=world.home.center,
        from_status=Status.AWAITING_SUPPLEMENT,
        note="Đã nộp bản sao",
    )


def test_a_pause_with_fractions_of_a_second_keeps_due_moment_and_paused_seconds_agreeing(
    world: World,
) -> None:
    """Real clocks have microseconds: the due moment moves by the whole seconds counted in
    `paused_seconds`, so the two never disagree."""
    dossier = receive_walk_in(world, now=MONDAY)
    requested = at(9, 10) + dt.timedelta(microseconds=300_000)
    services.dossier_request_supplement(
        actor=world.specialist, code=dossier.code, items=["A"], reasons="Thiếu", now=requested
    )

    dossier = services.dossier_supplement(
        actor=world.receiver,
        code=dossier.code,
        now=at(9, 10, 30) + dt.timedelta(microseconds=900_000),
    )

    assert dossier.paused_seconds == 30 * 60  # 30 min 0.6 s, in whole seconds
    assert dossier.due_at == at(12, 9, 30)


def test_the_applicant_supplements_online(world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)
    away_document = world.away.documents[0].pk
    with pytest.raises(InvalidInput) as error:
        services.dossier_supplement(
            actor=world.applicant, code=dossier.code, documents=[away_document], now=at(10, 9)
        )
    assert error.value.details["field"] == "documents"
    birth_certificate = world.home.documents[1].pk

    dossier = services.dossier_supplement(
        actor=world.applicant, code=dossier.code, documents=[birth_certificate], now=at(10, 9)
    )

    assert dossier.status == Status.PROCESSING
    assert birth_certificate in dossier.documents
    assert_event(
        dossier,
        Action.SUPPLEMENT,
        actor=world.applicant,
        agency=None,
        from_status=Status.AWAITING_SUPPLEMENT,
    )


def test_a_second_supplement_request_needs_its_reason_and_is_flagged(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_request_supplement(
        actor=world.specialist, code=dossier.code, items=["A"], reasons="Thiếu", now=at(9, 10)
    )
    services.dossier_supplement(actor=world.receiver, code=dossier.code, now=at(9, 14))
    before = len(events(dossier))

    with pytest.raises(InvalidInput) as error:
        services.dossier_request_supplement(
            actor=world.specialist, code=dossier.code, items=["B"], reasons="Thiếu", now=at(9, 15)
        )

    assert error.value.details["field"] == "second_reason"
    dossier.refresh_from_db()
    assert (dossier.status, dossier.supplement_count) == (Status.PROCESSING, 1)
    assert len(events(dossier)) == before

    dossier = services.dossier_request_supplement(
        actor=world.specialist,
        code=dossier.code,
        items=["B"],
        reasons="Thiếu",
        second_reason="Giấy tờ mới phát sinh do thay đổi quy định",
        now=at(9, 15),
    )

    assert dossier.supplement_count == 2
    assert dossier.paused_since == at(9, 15)
    assert_event(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        payload={"repeated": True, "second_reason": "Giấy tờ mới phát sinh do thay đổi quy định"},
    )


def test_consultation_outside_the_time_limit_pauses_until_the_last_reply(db: None) -> None:
    world = make_world(consultation_counts=False)
    dossier = receive_walk_in(world, now=MONDAY)  # due Thu 12/03 09:00

    dossier = services.dossier_consult(
        actor=world.specialist,
        code=dossier.code,
        agency_codes=[world.justice.code, world.away.ward.code],
        question="Xác minh nơi cư trú",
        reply_within_days=Decimal(2),
        now=at(9, 10),
    )

    assert dossier.status == Status.CONSULTING
    assert dossier.paused_since == at(9, 10)
    # Two working days from Mon 10:00: Wed 11/03 10:00.
    consultations = list(dossier.consultations.order_by("agency__code"))
    assert [c.agency for c in consultations] == [world.away.ward, world.justice]
    assert {c.due_at for c in consultations} == {at(11, 10)}
    assert_event(
        dossier,
        Action.CONSULT,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Xác minh nơi cư trú",
        payload={"agencies": sorted([world.justice.code, world.away.ward.code])},
    )
    away_consultation, justice_consultation = consultations

    dossier = services.dossier_reply_consultation(
        actor=world.justice_specialist,
        consultation_id=justice_consultation.pk,
        reply="Đồng ý",
        agreed=True,
        now=at(10, 10),
    )

    assert dossier.status == Status.CONSULTING  # one reply still awaited
    assert dossier.paused_since == at(9, 10)
    assert_event(
        dossier,
        Action.REPLY_CONSULTATION,
        actor=world.justice_specialist,
        agency=world.justice,
        from_status=Status.CONSULTING,
        note="Đồng ý",
        payload={"agreed": True, "deemed": False, "late": False, "agency": world.justice.code},
    )

    dossier = services.dossier_reply_consultation(
        actor=world.away_leader,
        consultation_id=away_consultation.pk,
        reply="Không có ý kiến khác",
        agreed=True,
        now=at(10, 14),
    )

    # Paused Mon 10:00 -> Tue 14:00: 5.5 + 5 = 10.5 h; Thu 09:00 + 10.5 h = Fri 11:30.
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_since is None
    assert dossier.paused_seconds == hours(10.5)
    assert dossier.due_at == at(13, 11, 30)
    assert_event(
        dossier,
        Action.REPLY_CONSULTATION,
        actor=world.away_leader,
        agency=world.away.ward,
        from_status=Status.CONSULTING,
    )
    away_consultation.refresh_from_db()
    assert (away_consultation.replied_at, away_consultation.replied_by) == (
        at(10, 14),
        world.away_leader,
    )


def test_consultation_inside_the_time_limit_does_not_pause(world: World) -> None:
    dossier = drive(world, Status.CONSULTING)
    assert dossier.paused_since is None
    consultation = dossier.consultations.get()

    dossier = services.dossier_reply_consultation(
        actor=world.justice_specialist,
        consultation_id=consultation.pk,
        reply="Đồng ý",
        agreed=True,
        now=at(10, 9),
    )

    assert dossier.status == Status.PROCESSING
    assert (dossier.paused_seconds, dossier.due_at) == (0, dossier.initial_due_at)


def test_silence_is_deemed_agreement_only_after_the_deadline(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_consult(
        actor=world.specialist,
        code=dossier.code,
        agency_codes=[world.justice.code],
        question="Xác minh",
        reply_within_days=Decimal(2),
        now=at(9, 10),
    )
    consultation = Consultation.objects.get(dossier=dossier)
    assert consultation.due_at == at(11, 10)

    with pytest.raises(InvalidInput) as error:
        services.dossier_reply_consultation(
            actor=world.specialist, consultation_id=consultation.pk, deemed=True, now=at(11, 10)
        )
    assert error.value.details["field"] == "deemed"
    # Only the consulted agency answers for itself.
    with pytest.raises(NotAllowed):
        services.dossier_reply_consultation(
            actor=world.colleague, consultation_id=consultation.pk, reply="Đồng ý", now=at(11, 9)
        )

    dossier = services.dossier_reply_consultation(
        actor=world.specialist, consultation_id=consultation.pk, deemed=True, now=at(11, 10, 1)
    )

    assert dossier.status == Status.PROCESSING
    consultation.refresh_from_db()
    assert (consultation.agreed, consultation.deemed_agreed) == (True, True)
    assert consultation.replied_at == at(11, 10, 1)
    assert_event(
        dossier,
        Action.REPLY_CONSULTATION,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.CONSULTING,
        payload={"deemed": True, "late": True, "agreed": True},
    )
    with pytest.raises(IllegalAction):  # the dossier is no longer consulting
        services.dossier_reply_consultation(
            actor=world.justice_specialist,
            consultation_id=consultation.pk,
            reply="Muộn",
            now=at(11, 11),
        )


def test_awaiting_payment_pauses_when_the_procedure_says_so(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)  # due Thu 12/03 09:00
    with pytest.raises(InvalidInput):
        services.dossier_request_payment(
            actor=world.specialist,
            code=dossier.code,
            amount=Decimal(0),
            description="Lệ phí",
            now=at(9, 10),
        )

    dossier = services.dossier_request_payment(
        actor=world.specialist,
        code=dossier.code,
        amount=Decimal(8000),
        description="Lệ phí cấp bản sao",
        now=at(9, 10),
    )

    assert dossier.status == Status.AWAITING_PAYMENT
    assert dossier.paused_since == at(9, 10)
    assert_event(
        dossier,
        Action.REQUEST_PAYMENT,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Lệ phí cấp bản sao",
        payload={"amount": "8000"},
    )

    dossier = services.dossier_confirm_payment(
        actor=world.receiver, code=dossier.code, reference="BL-0042", now=at(9, 14)
    )

    # Paused 10:00-14:00: 1.5 + 1 = 2.5 h; Thu 09:00 + 2.5 h = Thu 11:30.
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_seconds == hours(2.5)
    assert dossier.due_at == at(12, 11, 30)
    assert_event(
        dossier,
        Action.CONFIRM_PAYMENT,
        actor=world.receiver,
        agency=world.home.center,
        from_status=Status.AWAITING_PAYMENT,
        payload={"reference": "BL-0042"},
    )


def test_awaiting_payment_counted_in_the_time_limit_does_not_pause(db: None) -> None:
    world = make_world(payment_counts=True)
    dossier = drive(world, Status.AWAITING_PAYMENT)
    assert dossier.paused_since is None

    dossier = services.dossier_confirm_payment(
        actor=world.specialist, code=dossier.code, reference="CK-1", now=at(10, 9)
    )

    assert (dossier.status, dossier.due_at, dossier.paused_seconds) == (
        Status.PROCESSING,
        dossier.initial_due_at,
        0,
    )


def test_apologise_and_extend_by_the_leader_keeps_the_legal_due_moment(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)  # due Thu 12/03 09:00
    new_due = at(17, 16)
    with pytest.raises(NotAllowed):
        services.dossier_apologise_and_extend(
            actor=world.specialist,
            code=dossier.code,
            reason="Chờ xác minh",
            new_due_at=new_due,
            now=at(11, 9),
        )
    with pytest.raises(InvalidInput):
        services.dossier_apologise_and_extend(
            actor=world.leader,
            code=dossier.code,
            reason="Chờ xác minh",
            new_due_at=at(12, 9),  # not later than the due moment
            now=at(11, 9),
        )

    dossier = services.dossier_apologise_and_extend(
        actor=world.leader,
        code=dossier.code,
        reason="Chờ xác minh",
        new_due_at=new_due,
        now=at(11, 9),
    )

    assert dossier.status == Status.PROCESSING
    assert dossier.extended_due_at == new_due
    assert dossier.due_at == at(12, 9)
    assert_event(
        dossier,
        Action.APOLOGISE_AND_EXTEND,
        actor=world.leader,
        agency=world.home.ward,
        from_status=Status.PROCESSING,
        note="Chờ xác minh",
        payload={"original_due_at": at(12, 9).isoformat(), "new_due_at": new_due.isoformat()},
    )
    with pytest.raises(InvalidInput):  # a second extension must go further
        services.dossier_apologise_and_extend(
            actor=world.leader,
            code=dossier.code,
            reason="Lần hai",
            new_due_at=new_due,
            now=at(11, 10),
        )

    # Resolved before the new appointment but after the legal due moment: still late.
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(13, 9))
    dossier = services.dossier_resolve(
        actor=world.leader,
        code=dossier.code,
        result_number="1/2026",
        result_signer="Lãnh Đạo",
        result_date=dt.date(2026, 3, 16),
        now=at(16, 9),
    )
    assert dossier.timeliness == Timeliness.LATE


# --- ending -----------------------------------------------------------------------------------


def test_resolve_ends_handling_and_goes_to_the_return_step(world: World) -> None:
    dossier = receive_walk_in(world, now=MONDAY)  # due Thu 12/03 09:00
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 14))

    dossier = services.dossier_resolve(
        actor=world.leader,
        code=dossier.code,
        result_number="15/2026/TP-KS",
        result_signer="Nguyễn Văn Hùng",
        result_date=dt.date(2026, 3, 10),
        electronic=True,
        summary="Giấy khai sinh",
        now=at(10, 10),
    )

    assert dossier.status == Status.RESOLVED
    assert dossier.finished_at == at(10, 10)
    assert dossier.timeliness == Timeliness.EARLY  # Tuesday, due Thursday
    assert (dossier.result_number, dossier.result_signer) == ("15/2026/TP-KS", "Nguyễn Văn Hùng")
    assert (dossier.result_date, dossier.result_electronic) == (dt.date(2026, 3, 10), True)
    assert dossier.current_step == step(world, 4)
    assert dossier.current_agency == world.home.center
    assert (dossier.step_started_at, dossier.step_due_at) == (at(10, 10), at(10, 11))
    event = assert_event(
        dossier,
        Action.RESOLVE,
        actor=world.leader,
        agency=world.home.ward,
        from_status=Status.PROCESSING,
        payload={"number": "15/2026/TP-KS", "electronic": True},
    )
    assert event.from_step == step(world, 3)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        pytest.param(at(11, 16), Timeliness.EARLY, id="the-day-before"),
        pytest.param(at(12, 9), Timeliness.ON_TIME, id="at-the-due-moment"),
        pytest.param(at(12, 8), Timeliness.ON_TIME, id="on-the-due-day"),
        pytest.param(at(12, 9, 1), Timeliness.LATE, id="a-minute-late"),
    ],
)
def test_resolve_judges_timeliness_on_the_due_moment(
    world: World, finished: dt.datetime, expected: str
) -> None:
    dossier = receive_walk_in(world, now=MONDAY)
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 14))

    dossier = services.dossier_resolve(
        actor=world.leader,
        code=dossier.code,
        result_number="1",
        result_signer="L",
        result_date=finished.date(),
        now=finished,
    )

    assert dossier.timeliness == expected


def test_reject_counts_as_finished_with_timeliness(world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)  # paused since Mon 09:20
    with pytest.raises(InvalidInput):
        services.dossier_reject(actor=world.specialist, code=dossier.code, reasons="", now=MONDAY)
    dossier = services.dossier_supplement(actor=world.applicant, code=dossier.code, now=at(9, 10))

    dossier = services.dossier_reject(
        actor=world.specialist,
        code=dossier.code,
        reasons="Không đủ điều kiện theo Điều 16",
        now=at(13, 16, 30),
    )

    assert dossier.status == Status.REJECTED
    assert dossier.finished_at == at(13, 16, 30)
    # Received Mon 09:10 (the drive's second moment): due Thu 12/03 09:10, plus the 40
    # minutes paused (09:20-10:00) = Thu 09:50; Friday afternoon is late.
    assert dossier.timeliness == Timeliness.LATE
    # The refusal letter goes to the desk like a result.
    assert dossier.current_step == step(world, 4)
    assert dossier.current_agency == world.home.center
    assert_event(
        dossier,
        Action.REJECT,
        actor=world.specialist,
        agency=world.home.office,
        from_status=Status.PROCESSING,
        note="Không đủ điều kiện theo Điều 16",
    )

    dossier = services.dossier_return_result(
        actor=world.receiver, code=dossier.code, channel=ReturnChannel.POSTAL, now=at(16, 9)
    )
    assert dossier.status == Status.RETURNED


def test_withdraw_before_reception(world: World) -> None:
    dossier = submit(world, now=MONDAY)

    dossier = services.dossier_withdraw(
        actor=world.applicant, code=str(dossier.pk), reason="Nộp nhầm", now=at(9, 10)
    )

    assert dossier.status == Status.WITHDRAWN
    assert dossier.finished_at == at(9, 10)
    assert (dossier.code, dossier.due_at, dossier.timeliness) == (None, None, "")
    assert_event(
        dossier,
        Action.WITHDRAW,
        actor=world.applicant,
        agency=None,
        from_status=Status.AWAITING_RECEPTION,
        note="Nộp nhầm",
    )


def test_withdraw_while_awaiting_supplement_closes_the_pause(world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)  # received 09:10, paused 09:20

    dossier = services.dossier_withdraw(
        actor=world.receiver, code=dossier.code, reason="Đơn xin dừng", now=at(9, 10, 20)
    )

    assert dossier.status == Status.WITHDRAWN
    assert dossier.paused_since is None
    assert dossier.paused_seconds == hours(1)
    assert dossier.timeliness == Timeliness.EARLY
    assert_event(
        dossier,
        Action.WITHDRAW,
        actor=world.receiver,
        agency=world.home.center,
        from_status=Status.AWAITING_SUPPLEMENT,
        note="Đơn xin dừng",
    )


def test_withdraw_from_processing_by_the_applicant(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)

    dossier = services.dossier_withdraw(actor=world.applicant, code=dossier.code, now=at(10, 9))

    assert dossier.status == Status.WITHDRAWN
    assert dossier.finished_at == at(10, 9)
    assert dossier.timeliness == Timeliness.EARLY
    assert_event(
        dossier,
        Action.WITHDRAW,
        actor=world.applicant,
        agency=None,
        from_status=Status.PROCESSING,
    )


def test_return_at_the_counter_records_who_collected(world: World) -> None:
    dossier = drive(world, Status.RESOLVED)
    with pytest.raises(InvalidInput) as error:
        services.dossier_return_result(
            actor=world.receiver, code=dossier.code, channel=ReturnChannel.COUNTER, now=at(10, 9)
        )
    assert error.value.details["field"] == "collected_by"
    with pytest.raises(InvalidInput):
        services.dossier_return_result(
            actor=world.receiver, code=dossier.code, channel="pigeon", now=at(10, 9)
        )

    dossier = services.dossier_return_result(
        actor=world.receiver,
        code=dossier.code,
        channel=ReturnChannel.COUNTER,
        collected_by="Nguyễn Văn An (CCCD 001203004567)",
        now=at(10, 9),
    )

    assert dossier.status == Status.RETURNED
    assert dossier.returned_at == at(10, 9)
    assert dossier.return_channel == ReturnChannel.COUNTER
    assert dossier.collected_by == "Nguyễn Văn An (CCCD 001203004567)"
    assert dossier.timeliness == Timeliness.EARLY  # fixed at resolution, not at return
    assert_event(
        dossier,
        Action.RETURN_RESULT,
        actor=world.receiver,
        agency=world.home.center,
        from_status=Status.RESOLVED,
        payload={"channel": ReturnChannel.COUNTER},
    )


def test_any_service_center_of_the_province_returns_the_result(world: World) -> None:
    dossier = drive(world, Status.RESOLVED)

    dossier = services.dossier_return_result(
        actor=world.province_receiver, code=dossier.code, channel=ReturnChannel.POSTAL
    )

    assert dossier.status == Status.RETURNED
    assert_event(
        dossier,
        Action.RETURN_RESULT,
        actor=world.province_receiver,
        agency=world.province_center,
        from_status=Status.RESOLVED,
    )


def test_a_received_dossier_is_found_by_its_code_not_its_number(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)

    with pytest.raises(DossierNotFound):
        services.dossier_forward(actor=world.specialist, code=str(dossier.pk), now=at(9, 11))


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.CLERK, Role.DIVISION_HEAD, Role.LEADER])
def test_a_step_naming_no_role_is_for_every_officer_of_its_agency(world: World, role: str) -> None:
    check = step(world, 2)
    check.role = ""
    check.save()
    people = {
        Role.SPECIALIST: world.specialist,
        Role.CLERK: world.clerk,
        Role.DIVISION_HEAD: world.division_head,
        Role.LEADER: None,
    }
    dossier = receive_walk_in(world, now=MONDAY)
    officer = people[role]
    if officer is None:  # the leader is not an officer of the office
        with pytest.raises(NotAllowed):
            services.dossier_forward(actor=world.leader, code=dossier.code, now=at(9, 10))
        return

    assert visible_to(officer).filter(pk=dossier.pk).exists()
    dossier = services.dossier_forward(actor=officer, code=dossier.code, now=at(9, 10))
    assert dossier.current_step == step(world, 3)


@pytest.mark.parametrize("ending", ["reject", "withdraw"])
def test_consultations_close_unanswered_when_handling_ends(world: World, ending: str) -> None:
    dossier = drive(world, Status.CONSULTING)
    if ending == "reject":
        dossier = services.dossier_reject(
            actor=world.specialist, code=dossier.code, reasons="Không đủ điều kiện", now=at(10, 9)
        )
    else:
        dossier = services.dossier_withdraw(
            actor=world.receiver, code=dossier.code, reason="Người nộp rút", now=at(10, 9)
        )

    consultation = dossier.consultations.get()
    assert consultation.closed_at == at(10, 9)
    assert consultation.replied_at is None
    assert not consultation.is_open
    # The consulted agency can no longer reply: the dossier is not consulting any more.
    with pytest.raises(IllegalAction):
        services.dossier_reply_consultation(
            actor=world.justice_specialist,
            consultation_id=consultation.pk,
            reply="Đồng ý",
            agreed=True,
            now=at(10, 10),
        )
