"""The transition table of the dossier lifecycle (DOMAIN.md 1.2), as pure data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.domain.lifecycle import (
    ALTERNATIVE_TARGETS,
    FINISHED,
    OPEN,
    TERMINAL,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    is_clock_paused,
    transition,
)

S, A = Status, Action
ALL_PAIRS = [(s, a) for s in [None, *Status] for a in Action]
ILLEGAL = [(s, a) for s, a in ALL_PAIRS if (s, a) not in TRANSITIONS]


def _id(pair: tuple[Status | None, Action]) -> str:
    status, action = pair
    return f"{status.value if status else 'new'}-{action.value}"


@pytest.mark.parametrize("pair", list(TRANSITIONS), ids=_id)
def test_legal_transition_gives_the_table_target(pair: tuple[Status | None, Action]) -> None:
    status, action = pair
    assert transition(status, action) is TRANSITIONS[pair]
    assert action in allowed_actions(status)


@pytest.mark.parametrize("pair", ILLEGAL, ids=_id)
def test_illegal_transition_names_the_status_and_what_is_allowed(
    pair: tuple[Status | None, Action],
) -> None:
    status, action = pair
    with pytest.raises(IllegalTransition) as error:
        transition(status, action)
    assert error.value.status is status
    assert error.value.action is action
    assert error.value.allowed == allowed_actions(status)
    assert action not in error.value.allowed
    assert error.value.code == "illegal_transition"
    assert (status.value if status else "new") in str(error.value)


def test_a_new_dossier_is_submitted_or_received_at_the_counter() -> None:
    assert allowed_actions(None) == (A.SUBMIT, A.RECEIVE)
    assert transition(None, A.SUBMIT) is S.AWAITING_RECEPTION
    assert transition(None, A.RECEIVE) is S.PROCESSING


@pytest.mark.parametrize("status", sorted(TERMINAL), ids=str)
def test_terminal_statuses_allow_nothing(status: Status) -> None:
    assert allowed_actions(status) == ()


@pytest.mark.parametrize("status", sorted(set(Status) - TERMINAL), ids=str)
def test_every_other_status_allows_something(status: Status) -> None:
    assert allowed_actions(status)


def test_allowed_actions_follow_the_order_of_action() -> None:
    order = list(Action)
    for status in [None, *Status]:
        allowed = allowed_actions(status)
        assert list(allowed) == sorted(allowed, key=order.index)


def test_the_status_groups() -> None:
    assert OPEN.isdisjoint(FINISHED)
    assert OPEN.isdisjoint(TERMINAL)
    # The result (or the refusal letter) still has to be returned after resolving/rejecting.
    awaiting_return = FINISHED - TERMINAL
    assert awaiting_return == {S.RESOLVED, S.REJECTED}
    # A submission not accepted at the desk never started: terminal, not finished.
    never_started = TERMINAL - FINISHED
    assert never_started == {S.RECEPTION_SUPPLEMENT_REQUESTED, S.RECEPTION_REFUSED}
    assert set(Status) == OPEN | FINISHED | TERMINAL | {S.AWAITING_RECEPTION}


def test_finished_statuses_are_entered_only_by_ending_actions() -> None:
    ending = {A.REJECT, A.WITHDRAW, A.RESOLVE, A.RETURN_RESULT}
    for (_, action), target in TRANSITIONS.items():
        if target in FINISHED:
            assert action in ending, action


def test_results_are_returned_only_from_resolved_or_rejected() -> None:
    assert {s for (s, a) in TRANSITIONS if a is A.RETURN_RESULT} == {S.RESOLVED, S.REJECTED}
    assert allowed_actions(S.RESOLVED) == allowed_actions(S.REJECTED) == (A.RETURN_RESULT,)


def test_the_clock_starts_only_at_reception() -> None:
    """Only reception leads from before-reception into an open status."""
    for (status, action), target in TRANSITIONS.items():
        if status in (None, S.AWAITING_RECEPTION) and target in OPEN:
            assert action is A.RECEIVE


def test_apologise_and_extend_never_changes_the_status() -> None:
    pairs = {(s, t) for (s, a), t in TRANSITIONS.items() if a is A.APOLOGISE_AND_EXTEND}
    assert pairs == {(s, s) for s in OPEN}


def test_withdrawal_is_possible_until_handling_ends() -> None:
    assert {s for (s, a) in TRANSITIONS if a is A.WITHDRAW} == OPEN | {S.AWAITING_RECEPTION}


def test_every_pause_has_its_way_back() -> None:
    assert transition(S.PROCESSING, A.REQUEST_SUPPLEMENT) is S.AWAITING_SUPPLEMENT
    assert transition(S.AWAITING_SUPPLEMENT, A.SUPPLEMENT) is S.PROCESSING
    assert transition(S.PROCESSING, A.REQUEST_PAYMENT) is S.AWAITING_PAYMENT
    assert transition(S.AWAITING_PAYMENT, A.CONFIRM_PAYMENT) is S.PROCESSING
    assert transition(S.PROCESSING, A.CONSULT) is S.CONSULTING
    assert ALTERNATIVE_TARGETS[(S.CONSULTING, A.REPLY_CONSULTATION)] == {
        S.CONSULTING,
        S.PROCESSING,
    }


def test_alternative_targets_extend_legal_transitions_only() -> None:
    for pair, targets in ALTERNATIVE_TARGETS.items():
        assert pair in TRANSITIONS
        assert TRANSITIONS[pair] in targets


def _reachable() -> set[Status]:
    seen: set[Status] = set()
    frontier: list[Status | None] = [None]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            targets = {transition(status, action)}
            if status is not None:
                targets |= ALTERNATIVE_TARGETS.get((status, action), frozenset())
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
    return seen


def test_every_status_is_reachable_from_a_new_dossier() -> None:
    assert _reachable() == set(Status)


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_every_status_can_reach_a_terminal_one(status: Status) -> None:
    seen, frontier = {status}, [status]
    while frontier:
        current = frontier.pop()
        for action in allowed_actions(current):
            target = transition(current, action)
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen & TERMINAL


@given(st.lists(st.integers(min_value=0, max_value=100), max_size=40))
def test_a_random_walk_of_allowed_actions_never_fails(choices: list[int]) -> None:
    status: Status | None = None
    for choice in choices:
        allowed = allowed_actions(status)
        if not allowed:
            assert status in TERMINAL
            break
        status = transition(status, allowed[choice % len(allowed)])
    assert status is None or isinstance(status, Status)


@pytest.mark.parametrize(
    ("status", "consultation_counts", "payment_counts", "paused"),
    [
        (S.AWAITING_SUPPLEMENT, True, True, True),
        (S.AWAITING_SUPPLEMENT, False, False, True),
        (S.CONSULTING, True, False, False),
        (S.CONSULTING, False, True, True),
        (S.AWAITING_PAYMENT, False, True, False),
        (S.AWAITING_PAYMENT, True, False, True),
        (S.PROCESSING, False, False, False),
        (S.RESOLVED, False, False, False),
        (S.AWAITING_RECEPTION, False, False, False),
    ],
    ids=lambda v: str(v),
)
def test_when_the_clock_stands_still(
    status: Status, consultation_counts: bool, payment_counts: bool, paused: bool
) -> None:
    assert (
        is_clock_paused(
            status, consultation_counts=consultation_counts, payment_counts=payment_counts
        )
        is paused
    )


def test_the_clock_stands_still_only_in_open_statuses() -> None:
    for status in Status:
        if is_clock_paused(status, consultation_counts=False, payment_counts=False):
            assert status in OPEN
