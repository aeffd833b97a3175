"""The dossier's and the events' references to the catalogue, the agencies and the users
have no database constraint (see `Dossier`); the ORM still refuses to delete a row a
dossier or an event points to, and still clears the applicant's account on its deletion."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError

from motcua.dossiers.models import Dossier, DossierEvent

from .factories import World, receive_walk_in

pytestmark = pytest.mark.django_db


def test_an_agency_handling_a_dossier_cannot_be_deleted(world: World) -> None:
    dossier = receive_walk_in(world)
    with pytest.raises(ProtectedError):
        world.home.ward.delete()
    assert Dossier.objects.filter(pk=dossier.pk, handling_agency=world.home.ward).exists()


def test_a_procedure_version_with_dossiers_cannot_be_deleted(world: World) -> None:
    receive_walk_in(world)
    with pytest.raises(ProtectedError):
        world.home.version.delete()


def test_an_officer_who_acted_cannot_be_deleted(world: World) -> None:
    dossier = receive_walk_in(world)
    assert DossierEvent.objects.filter(dossier=dossier, actor=world.receiver).exists()
    with pytest.raises(ProtectedError):
        world.receiver.delete()


def test_deleting_the_applicants_account_keeps_the_dossier(world: World) -> None:
    dossier = receive_walk_in(world)
    account = User.objects.create(username="citizen.references")
    Dossier.objects.filter(pk=dossier.pk).update(applicant_user=account)
    account.delete()
    dossier.refresh_from_db()
    assert dossier.applicant_user_id is None
