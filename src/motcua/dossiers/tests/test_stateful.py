"""Random sequences of actions at random, increasing moments (hypothesis stateful testing),
checking after every step what must always hold:

- the due moment never precedes the reception;
- paused time is excluded exactly: with no pause open, the due moment is the initial one
  shifted by `paused_seconds` of working time; a pause is open exactly while the status
  stops the clock;
- terminal statuses accept no action; a failed action changes nothing;
- exactly one event (and one outbox message) per successful action, none for a failed one;
- the current-state columns equal what the events imply.

Each example runs inside a savepoint rolled back at its end, so examples do not see each
other's dossiers while sharing one world."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from motcua.calendars.selectors import calendar_for
from motcua.domain import deadlines
from motcua.domain.lifecycle import (
    ALTERNATIVE_TARGETS,
    FINISHED,
    TERMINAL,
    TRANSITIONS,
    Action,
    Status,
    allowed_actions,
    is_clock_paused,
    transition,
)
from motcua.dossiers import services
from motcua.dossiers.exceptions import IllegalAction, InvalidInput
from motcua.dossiers.models import Dossier, DossierEvent, ReturnChannel
from motcua.integrations.models import OutboxMessage
from motcua.procedures.models import ProcedureVersion

from .factories import MONDAY, World, receive_walk_in, reference, submit

pytestmark = pytest.mark.django_db

ACTIONS = [a for a in Action if a is not Action.SUBMIT]
EARLY_ENDINGS = frozenset(
    {Action.REQUEST_SUPPLEMENT_AT_RECEPTION, Action.REFUSE_RECEPTION, Action.WITHDRAW}
)
# Up to three working days between two actions, in whole minutes.
MINUTES = st.integers(min_value=0, max_value=3 * 24 * 60)
CODE = re.compile(r"^H98\.50\.01-\d{6}-\d{4,}$")


class DossierMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.pk = 0
        self.now = MONDAY
        self.successes = 0
        self.consultation_counts = True
        self.payment_counts = False
        self.calendar = calendar_for(self.world.home.ward)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers -----------------------------------------------------------------------------

    def dossier(self) -> Dossier:
        return Dossier.objects.get(pk=self.pk)

    def state(self) -> dict[str, Any]:
        return {
            "dossier": Dossier.objects.filter(pk=self.pk).values().get(),
            "events": DossierEvent.objects.filter(dossier_id=self.pk).count(),
            "outbox": OutboxMessage.objects.count(),
        }

    def call(self, action: Action, dossier: Dossier, data: st.DataObject) -> Any:
        w, ref, now, admin = self.world, reference(dossier), self.now, self.world.admin
        match action:
            case Action.RECEIVE:
                return services.dossier_receive(actor=admin, code=ref, now=now)
            case Action.REQUEST_SUPPLEMENT_AT_RECEPTION:
                return services.dossier_request_supplement_at_reception(
                    actor=admin, reference=ref, reasons="Thiếu", items=["Tờ khai"], now=now
                )
            case Action.REFUSE_RECEPTION:
                return services.dossier_refuse_reception(
                    actor=admin, reference=ref, reasons="Không thuộc thẩm quyền", now=now
                )
            case Action.FORWARD:
                return services.dossier_forward(actor=admin, code=ref, now=now)
            case Action.SEND_BACK:
                return services.dossier_send_back(
                    actor=admin,
                    code=ref,
                    to_position=data.draw(st.integers(1, 4), label="to_position"),
                    reason="Xem lại",
                    now=now,
                )
            case Action.ASSIGN:
                assignee = data.draw(
                    st.sampled_from(["specialist", "colleague", "leader", "division_head"]),
                    label="assignee",
                )
                return services.dossier_assign(
                    actor=admin, code=ref, assignee_id=getattr(w, assignee).pk, now=now
                )
            case Action.TRANSFER:
                agency = data.draw(
                    st.sampled_from([w.justice, w.home.office, w.home.ward]), label="agency"
                )
                return services.dossier_transfer(
                    actor=admin, code=ref, agency_code=agency.code, now=now
                )
            case Action.REQUEST_SUPPLEMENT:
                return services.dossier_request_supplement(
                    actor=admin,
                    code=ref,
                    items=["Bản sao"],
                    reasons="Thiếu",
                    second_reason=data.draw(st.sampled_from(["", "Lý do"]), label="second"),
                    now=now,
                )
            case Action.SUPPLEMENT:
                return services.dossier_supplement(actor=admin, code=ref, now=now)
            case Action.CONSULT:
                agencies = data.draw(
                    st.lists(
                        st.sampled_from([w.justice.code, w.construction.code]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    ),
                    label="consulted",
                )
                return services.dossier_consult(
                    actor=admin,
                    code=ref,
                    agency_codes=agencies,
                    question="Ý kiến?",
                    reply_within_days=Decimal(data.draw(st.integers(1, 3), label="days")),
                    now=now,
                )
            case Action.REPLY_CONSULTATION:
                consultations = list(dossier.consultations.order_by("pk"))
                if not consultations:
                    return None
                consultation = data.draw(st.sampled_from(consultations), label="consultation")
                return services.dossier_reply_consultation(
                    actor=admin,
                    consultation_id=consultation.pk,
                    reply="Đồng ý",
                    agreed=True,
                    deemed=data.draw(st.booleans(), label="deemed"),
                    now=now,
                )
            case Action.REQUEST_PAYMENT:
                return services.dossier_request_payment(
                    actor=admin, code=ref, amount=Decimal(1000), description="Phí", now=now
                )
            case Action.CONFIRM_PAYMENT:
                return services.dossier_confirm_payment(
                    actor=admin, code=ref, reference="BL", now=now
                )
            case Action.APOLOGISE_AND_EXTEND:
                base = max(dossier.due_at or now, now)
                hours = data.draw(st.integers(-2, 40), label="extension")
                return services.dossier_apologise_and_extend(
                    actor=admin,
                    code=ref,
                    reason="Chậm",
                    new_due_at=base + dt.timedelta(hours=hours),
                    now=now,
                )
            case Action.REJECT:
                return services.dossier_reject(actor=admin, code=ref, reasons="Không", now=now)
            case Action.WITHDRAW:
                return services.dossier_withdraw(actor=admin, code=ref, now=now)
            case Action.RESOLVE:
                return services.dossier_resolve(
                    actor=admin,
                    code=ref,
                    result_number="1",
                    result_signer="L",
                    result_date=now.date(),
                    now=now,
                )
            case Action.RETURN_RESULT:
                channel = data.draw(st.sampled_from(list(ReturnChannel)), label="channel")
                return services.dossier_return_result(
                    actor=admin, code=ref, channel=channel, collected_by="Người nhận", now=now
                )
        raise AssertionError(action)

    # --- rules -------------------------------------------------------------------------------

    @initialize(
        walk_in=st.booleans(),
        consultation_counts=st.booleans(),
        payment_counts=st.booleans(),
        start=MINUTES,
    )
    def begin(
        self, walk_in: bool, consultation_counts: bool, payment_counts: bool, start: int
    ) -> None:
        self.consultation_counts, self.payment_counts = consultation_counts, payment_counts
        ProcedureVersion.objects.filter(pk=self.world.home.version.pk).update(
            consultation_counts_toward_deadline=consultation_counts,
            payment_counts_toward_deadline=payment_counts,
        )
        self.now = MONDAY + dt.timedelta(minutes=start)
        dossier = (receive_walk_in if walk_in else submit)(self.world, now=self.now)
        self.pk = dossier.pk
        self.successes = 1

    @rule(action=st.sampled_from(ACTIONS), minutes=MINUTES, data=st.data())
    def act(self, action: Action, minutes: int, data: st.DataObject) -> None:
        """Any action, mostly an illegal one."""
        self.attempt(action, minutes, data)

    @rule(minutes=MINUTES, data=st.data())
    def act_legally(self, minutes: int, data: st.DataObject) -> None:
        """An action the status allows, so that sequences go somewhere: those that end the
        dossier's life early are drawn less often than the others."""
        allowed = allowed_actions(Status(self.dossier().status))
        if allowed:
            weighted = [a for a in allowed for _ in range(1 if a in EARLY_ENDINGS else 4)]
            self.attempt(data.draw(st.sampled_from(weighted), label="action"), minutes, data)

    def attempt(self, action: Action, minutes: int, data: st.DataObject) -> None:
        self.now += dt.timedelta(minutes=minutes)
        dossier = self.dossier()
        status = Status(dossier.status)
        before = self.state()
        try:
            result = self.call(action, dossier, data)
        except IllegalAction as error:
            assert (status, action) not in TRANSITIONS
            assert error.details["status"] == status
            assert self.state() == before
            return
        except InvalidInput:
            # A legal action refused for what it asks (a step that does not exist, a
            # deemed agreement before the deadline...): nothing is written either.
            assert (status, action) in TRANSITIONS
            assert self.state() == before
            return
        if result is None:  # no consultation to reply to: no call was made
            assert self.state() == before
            return
        assert status not in TERMINAL, f"{action} accepted in terminal {status}"
        self.successes += 1
        event(f"{status.value} -> {action.value}")
        targets = ALTERNATIVE_TARGETS.get((status, action), {transition(status, action)})
        assert self.dossier().status in targets

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def invariants(self) -> None:
        if not self.pk:
            return
        dossier = self.dossier()
        history = list(DossierEvent.objects.filter(dossier_id=self.pk).order_by("at", "pk"))
        self.due_moment_never_precedes_reception(dossier)
        self.paused_time_is_excluded_exactly(dossier)
        self.one_event_per_success(history)
        self.the_columns_equal_what_the_events_imply(dossier, history)
        self.finished_dossiers_are_judged(dossier)

    def due_moment_never_precedes_reception(self, dossier: Dossier) -> None:
        if dossier.due_at is not None:
            assert dossier.received_at is not None
            assert dossier.due_at >= dossier.received_at
        if dossier.received_at is None:
            assert dossier.code is None
        else:
            assert CODE.match(dossier.code or ""), dossier.code

    def paused_time_is_excluded_exactly(self, dossier: Dossier) -> None:
        paused = is_clock_paused(
            Status(dossier.status),
            consultation_counts=self.consultation_counts,
            payment_counts=self.payment_counts,
        )
        assert (dossier.paused_since is not None) is paused, dossier.status
        if dossier.paused_since is None and dossier.initial_due_at is not None:
            assert dossier.due_at is not None
            shift = deadlines.working_time_between(
                dossier.initial_due_at, dossier.due_at, self.calendar
            )
            assert shift == dt.timedelta(seconds=dossier.paused_seconds)

    def one_event_per_success(self, history: list[DossierEvent]) -> None:
        assert len(history) == self.successes
        keys = [
            f"{'dossier.received' if e.action == Action.RECEIVE else 'dossier.changed'}:{e.pk}"
            for e in history
        ]
        assert OutboxMessage.objects.filter(key__in=keys).count() == len(history)

    def the_columns_equal_what_the_events_imply(
        self, dossier: Dossier, history: list[DossierEvent]
    ) -> None:
        previous = ""
        for step in history:  # a chain of legal transitions
            assert step.from_status == previous
            source = Status(previous) if previous else None
            action = Action(step.action)
            assert (source, action) in TRANSITIONS
            targets = {TRANSITIONS[(source, action)]}
            if source is not None:
                targets |= ALTERNATIVE_TARGETS.get((source, action), frozenset())
            assert step.to_status in targets
            previous = step.to_status
        last = history[-1]
        assert last.to_status == dossier.status
        assert last.to_step_id == dossier.current_step_id
        assert last.to_agency_id == dossier.current_agency_id
        assert last.to_assignee_id == dossier.assignee_id
        assert last.to_due_at == dossier.due_at
        supplements = sum(e.action == Action.REQUEST_SUPPLEMENT for e in history)
        assert supplements == dossier.supplement_count
        received = [e for e in history if e.action == Action.RECEIVE]
        assert [e.at for e in received] == ([dossier.received_at] if dossier.received_at else [])
        returned = [e for e in history if e.action == Action.RETURN_RESULT]
        assert [e.at for e in returned] == ([dossier.returned_at] if dossier.returned_at else [])

    def finished_dossiers_are_judged(self, dossier: Dossier) -> None:
        status = Status(dossier.status)
        if status in FINISHED and dossier.received_at is not None:
            assert dossier.finished_at is not None
            assert dossier.timeliness in {"early", "on_time", "late"}
        elif status not in FINISHED:
            assert dossier.timeliness == ""


def test_random_action_sequences_keep_the_invariants(world: World) -> None:
    machine = type("Machine", (DossierMachine,), {"world": world})
    run_state_machine_as_test(
        machine, settings=settings(max_examples=25, stateful_step_count=15, deadline=None)
    )
