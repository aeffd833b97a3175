"""The services obey the transition table both ways: every (status, action) pair outside it
fails with `illegal_transition` naming the status and the allowed actions, and changes
nothing; every pair inside it succeeds and lands where the table says.

A dossier is driven to each status once per test; the illegal actions are tried on it one
after the other, which is sound because each must leave it exactly as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from motcua.domain.lifecycle import (
    ALTERNATIVE_TARGETS,
    TRANSITIONS,
    Action,
    Status,
    allowed_actions,
)
from motcua.dossiers import services
from motcua.dossiers.exceptions import IllegalAction
from motcua.dossiers.models import (
    Consultation,
    Dossier,
    DossierCodeSequence,
    DossierEvent,
    ReturnChannel,
)
from motcua.dossiers.models import Status as StatusChoice
from motcua.integrations.models import OutboxMessage

from .factories import World, at, drive, reference

pytestmark = pytest.mark.django_db

NOW = at(10, 9)  # Tuesday: after every moment `drive` uses

Call = Callable[[World, Dossier, User], Dossier]


def _reply(world: World, dossier: Dossier, actor: User) -> Dossier:
    consultation = dossier.consultations.filter(replied_at__isnull=True).first()
    assert consultation is not None
    return services.dossier_reply_consultation(
        actor=actor, consultation_id=consultation.pk, reply="Đồng ý", agreed=True, now=NOW
    )


# One valid call per action: whatever fails must fail for the status alone.
CALLS: dict[Action, Call] = {
    Action.RECEIVE: lambda w, d, u: services.dossier_receive(actor=u, code=reference(d), now=NOW),
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: lambda w, d, u: (
        services.dossier_request_supplement_at_reception(
            actor=u, reference=reference(d), reasons="Thiếu", items=["Tờ khai"], now=NOW
        )
    ),
    Action.REFUSE_RECEPTION: lambda w, d, u: services.dossier_refuse_reception(
        actor=u, reference=reference(d), reasons="Không thuộc thẩm quyền", now=NOW
    ),
    Action.FORWARD: lambda w, d, u: services.dossier_forward(actor=u, code=reference(d), now=NOW),
    Action.SEND_BACK: lambda w, d, u: services.dossier_send_back(
        actor=u, code=reference(d), to_position=1, reason="Xem lại", now=NOW
    ),
    Action.ASSIGN: lambda w, d, u: services.dossier_assign(
        actor=u, code=reference(d), assignee_id=w.colleague.pk, now=NOW
    ),
    Action.TRANSFER: lambda w, d, u: services.dossier_transfer(
        actor=u, code=reference(d), agency_code=w.justice.code, now=NOW
    ),
    Action.REQUEST_SUPPLEMENT: lambda w, d, u: services.dossier_request_supplement(
        actor=u, code=reference(d), items=["A"], reasons="Thiếu", second_reason="Lại", now=NOW
    ),
    Action.SUPPLEMENT: lambda w, d, u: services.dossier_supplement(
        actor=u, code=reference(d), now=NOW
    ),
    Action.CONSULT: lambda w, d, u: services.dossier_consult(
        actor=u,
        code=reference(d),
        agency_codes=[w.province_center.code],
        question="Ý kiến?",
        reply_within_days=Decimal(1),
        now=NOW,
    ),
    Action.REPLY_CONSULTATION: _reply,
    Action.REQUEST_PAYMENT: lambda w, d, u: services.dossier_request_payment(
        actor=u, code=reference(d), amount=Decimal(1000), description="Phí", now=NOW
    ),
    Action.CONFIRM_PAYMENT: lambda w, d, u: services.dossier_confirm_payment(
        actor=u, code=reference(d), reference="BL-1", now=NOW
    ),
    Action.APOLOGISE_AND_EXTEND: lambda w, d, u: services.dossier_apologise_and_extend(
        actor=u, code=reference(d), reason="Chậm", new_due_at=at(30, 16), now=NOW
    ),
    Action.REJECT: lambda w, d, u: services.dossier_reject(
        actor=u, code=reference(d), reasons="Không đủ điều kiện", now=NOW
    ),
    Action.WITHDRAW: lambda w, d, u: services.dossier_withdraw(actor=u, code=reference(d), now=NOW),
    Action.RESOLVE: lambda w, d, u: services.dossier_resolve(
        actor=u,
        code=reference(d),
        result_number="1/2026",
        result_signer="Lãnh Đạo",
        result_date=dt.date(2026, 3, 10),
        now=NOW,
    ),
    Action.RETURN_RESULT: lambda w, d, u: services.dossier_return_result(
        actor=u, code=reference(d), channel=ReturnChannel.POSTAL, now=NOW
    ),
}
# Submitting always makes a new dossier: there is no service to submit an existing one.
ACTIONS_ON_A_DOSSIER = [a for a in Action if a is not Action.SUBMIT]
assert set(CALLS) == set(ACTIONS_ON_A_DOSSIER)


def snapshot(dossier: Dossier) -> dict[str, Any]:
    """Everything an action may write."""
    return {
        "dossier": Dossier.objects.filter(pk=dossier.pk).values().get(),
        "events": list(DossierEvent.objects.filter(dossier=dossier).values()),
        "consultations": list(Consultation.objects.filter(dossier=dossier).values()),
        "sequences": list(DossierCodeSequence.objects.values()),
        "outbox": OutboxMessage.objects.count(),
    }


def with_open_consultation(world: World, dossier: Dossier) -> Dossier:
    """A reply needs a consultation to name; one stays open in any status."""
    if not dossier.consultations.filter(replied_at__isnull=True).exists():
        Consultation.objects.create(
            dossier=dossier,
            agency=world.justice,
            question="Ý kiến?",
            requested_at=dossier.submitted_at,
            due_at=at(20, 17),
        )
    return dossier


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_illegal_actions_fail_naming_the_status_and_change_nothing(
    world: World, status: Status
) -> None:
    dossier = with_open_consultation(world, drive(world, status))
    allowed = allowed_actions(status)
    illegal = [a for a in ACTIONS_ON_A_DOSSIER if (status, a) not in TRANSITIONS]
    assert illegal, status
    before = snapshot(dossier)
    label = str(StatusChoice(status).label)

    # The superuser, and the applicant who sees their own dossier: the status decides.
    for actor in (world.admin, world.applicant):
        for action in illegal:
            with pytest.raises(IllegalAction) as error:
                CALLS[action](world, dossier, actor)
            failure = error.value
            assert (failure.code, failure.http_status) == ("illegal_transition", 409)
            assert failure.details == {
                "status": status.value,
                "action": action.value,
                "allowed_actions": [a.value for a in allowed],
            }, action
            assert label in failure.message, action
            assert snapshot(dossier) == before, action


@pytest.mark.parametrize(
    "pair",
    [pair for pair in TRANSITIONS if pair[0] is not None],
    ids=lambda pair: f"{pair[0].value}-{pair[1].value}",
)
def test_legal_actions_succeed_with_one_event(world: World, pair: tuple[Status, Action]) -> None:
    status, action = pair
    dossier = drive(world, status)
    events_before = DossierEvent.objects.filter(dossier=dossier).count()

    dossier = CALLS[action](world, dossier, world.admin)

    dossier.refresh_from_db()
    targets = ALTERNATIVE_TARGETS.get(pair, {TRANSITIONS[pair]})
    assert dossier.status in targets
    assert DossierEvent.objects.filter(dossier=dossier).count() == events_before + 1
    event = DossierEvent.objects.filter(dossier=dossier).latest("at", "pk")
    assert (event.action, event.from_status, event.to_status) == (action, status, dossier.status)
