"""The role switcher governs actions: an officer with two memberships acts (and is
recorded) as the one chosen, and sees the buttons of that role only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from motcua.agencies.models import Membership, Role
from motcua.domain.lifecycle import Status
from motcua.dossiers.models import Action, DossierEvent
from motcua.dossiers.tests.factories import World, drive

pytestmark = pytest.mark.django_db


def _offered(client: Client, code: str) -> set[str]:
    html = client.get(f"/office/dossiers/{code}/").content.decode()
    return set(re.findall(r'<details[^>]* id="act-([a-z_]+)"', html))


def test_acting_as_receiver_the_specialist_may_not_forward(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)  # at the specialist's step
    user = world.specialist
    own = Membership.objects.get(user=user, role=Role.SPECIALIST)
    receiver = Membership.objects.create(user=user, agency=world.home.center, role=Role.RECEIVER)
    client.force_login(user)

    client.post("/office/membership/", {"membership": receiver.pk})
    assert "forward" not in _offered(client, dossier.code)
    response = client.post(f"/office/dossiers/{dossier.code}/forward/", {"forward-note": ""})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.current_step is not None and dossier.current_step.name == "Thẩm định"

    client.post("/office/membership/", {"membership": own.pk})
    assert "forward" in _offered(client, dossier.code)
    response = client.post(f"/office/dossiers/{dossier.code}/forward/", {"forward-note": ""})
    assert response.status_code == 302
    event = DossierEvent.objects.filter(dossier=dossier).last()
    assert event is not None and event.action == Action.FORWARD
    assert (event.actor_id, event.actor_agency_id) == (user.pk, own.agency_id)


def test_acting_as_receiver_the_counter_reception_records_the_centre(
    client: Client, world: World
) -> None:
    user = world.specialist
    receiver = Membership.objects.create(user=user, agency=world.home.center, role=Role.RECEIVER)
    client.force_login(user)
    client.post("/office/membership/", {"membership": receiver.pk})
    response = client.post(
        f"/office/reception/{world.procedure_code}/",
        {
            "applicant_kind": "citizen",
            "applicant_name": "Lê Văn Tâm",
            "return_channel": "counter",
            "outcome": "receive",
        },
    )
    assert response.status_code == 302
    event = DossierEvent.objects.get(action=Action.RECEIVE)
    assert (event.actor_id, event.actor_agency_id) == (user.pk, world.home.center.pk)
