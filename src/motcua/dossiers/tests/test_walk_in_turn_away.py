"""A walk-in the desk does not take (form 02) or refuses (form 03): one service that
records the papers as handed in at the counter and applies the outcome, or writes
nothing at all."""

from __future__ import annotations

import pytest

from motcua.domain.lifecycle import Action, Status
from motcua.dossiers import services
from motcua.dossiers.exceptions import InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.procedures.models import Channel

from .factories import APPLICANT, MONDAY, World

pytestmark = pytest.mark.django_db


def _events(dossier: Dossier) -> list[tuple[str, str, str, object, object]]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("at", "pk")
        .values_list("action", "from_status", "to_status", "actor_id", "actor_agency_id")
    )


def test_a_supplement_request_at_the_counter(world: World) -> None:
    birth_certificate = world.home.documents[0]
    dossier = services.dossier_turn_away_walk_in(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        documents=[birth_certificate.pk],
        refuse=False,
        reasons="Thiếu tờ khai",
        items=["Tờ khai đăng ký khai sinh"],
        now=MONDAY,
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEPTION_SUPPLEMENT_REQUESTED
    assert (dossier.channel, dossier.applicant_user, dossier.code) == (Channel.COUNTER, None, None)
    assert dossier.documents == [birth_certificate.pk]
    assert (dossier.submitted_at, dossier.finished_at) == (MONDAY, MONDAY)
    assert dossier.receiving_unit == world.home.center
    center = world.home.center.pk
    assert _events(dossier) == [
        (Action.SUBMIT, "", Status.AWAITING_RECEPTION, world.receiver.pk, center),
        (
            Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
            Status.AWAITING_RECEPTION,
            Status.RECEPTION_SUPPLEMENT_REQUESTED,
            world.receiver.pk,
            center,
        ),
    ]
    last = DossierEvent.objects.filter(dossier=dossier).last()
    assert last is not None and last.payload == {"items": ["Tờ khai đăng ký khai sinh"]}
    assert last.note == "Thiếu tờ khai"


def test_a_refusal_at_the_counter(world: World) -> None:
    dossier = services.dossier_turn_away_walk_in(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        refuse=True,
        reasons="Không thuộc thẩm quyền",
        items=["ignored for a refusal"],
        now=MONDAY,
    )
    assert dossier.status == Status.RECEPTION_REFUSED
    last = DossierEvent.objects.filter(dossier=dossier).last()
    assert last is not None and last.action == Action.REFUSE_RECEPTION
    assert last.payload == {"items": []}


@pytest.mark.parametrize("refuse", [True, False])
def test_reasons_are_required_and_nothing_is_written(world: World, refuse: bool) -> None:
    with pytest.raises(InvalidInput) as error:
        services.dossier_turn_away_walk_in(
            actor=world.receiver,
            procedure_code=world.procedure_code,
            applicant=APPLICANT,
            refuse=refuse,
            reasons="  ",
            now=MONDAY,
        )
    assert error.value.details["field"] == "reasons"
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_an_officer_who_does_not_receive_here_writes_nothing(world: World) -> None:
    for stranger in (world.specialist, world.away_receiver):
        with pytest.raises(NotAllowed):
            services.dossier_turn_away_walk_in(
                actor=stranger,
                procedure_code=world.procedure_code,
                applicant=APPLICANT,
                refuse=True,
                reasons="Không thuộc thẩm quyền",
                now=MONDAY,
            )
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
