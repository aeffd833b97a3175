"""Files taken from the applicant's data store into a new dossier (`files.Reuse`,
`selectors.applicant_store`): the same stored file, marked with the original it came
from; only one's own, online, within the number of files allowed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from motcua.dossiers import selectors, services
from motcua.dossiers.files import InvalidFile, Reuse, Upload
from motcua.dossiers.models import Dossier, DossierFile
from motcua.procedures.models import Channel

from .factories import APPLICANT, MONDAY, UserFactory, World

PDF = b"%PDF-1.4\n% to khai\n" + b"0" * 100


def submit(world: World, actor: Any = None, **files: Any) -> Dossier:
    return services.dossier_submit(
        actor=actor or world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        now=MONDAY,
        **files,
    )


def test_a_stored_file_is_taken_as_the_same_stored_file(world: World) -> None:
    first = submit(world, uploads=[Upload("to-khai.pdf", ContentFile(PDF))])
    original = first.files.get()
    second = submit(world, reuses=[Reuse(original.pk)])
    # The store lists the original only (a taken copy is the same content).
    [stored] = selectors.applicant_store(world.applicant)
    assert stored.pk == original.pk
    third = submit(world, reuses=[Reuse(stored.pk)])

    for dossier in (second, third):
        taken = dossier.files.get()
        assert taken.reused_from_id == original.pk and taken.file.name == original.file.name
    assert DossierFile.objects.filter(reused_from__isnull=True).count() == 1


def test_only_the_own_store_online_and_within_the_limit(world: World, settings: Any) -> None:
    first = submit(world, uploads=[Upload("to-khai.pdf", ContentFile(PDF))])
    stored = first.files.get()
    stranger = UserFactory(username="nguoi-khac")
    before = Dossier.objects.count()

    with pytest.raises(InvalidFile, match="không còn nữa"):
        submit(world, actor=stranger, reuses=[Reuse(stored.pk)])
    with pytest.raises(services.InvalidInput, match="trực tuyến"):
        services.dossier_submit(
            actor=world.receiver,
            procedure_code=world.procedure_code,
            applicant=APPLICANT,
            channel=Channel.POSTAL,
            reuses=[Reuse(stored.pk)],
        )
    settings.MOTCUA_DOSSIER_MAX_FILES = 1
    with pytest.raises(InvalidFile, match="tối đa 1"):
        submit(
            world,
            uploads=[Upload("khac.pdf", ContentFile(PDF + b"1"))],
            reuses=[Reuse(stored.pk)],
        )
    assert Dossier.objects.count() == before


def test_at_the_counter_only_a_walk_in_takes_what_was_digitised(world: World) -> None:
    first = services.dossier_receive(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        uploads=[Upload("to-khai.pdf", ContentFile(PDF))],
        now=MONDAY,
    )
    original = first.files.get()
    assert selectors.digitised_for(world.receiver, id_number=APPLICANT.id_number) == [original]
    assert selectors.digitised_for(world.away_receiver, id_number=APPLICANT.id_number) == []
    assert selectors.digitised_for(world.receiver, id_number="0012") == []  # too short

    walk_in = services.dossier_receive(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        reuses=[Reuse(original.pk)],
        now=MONDAY,
    )
    assert walk_in.files.get().reused_from_id == original.pk

    submitted = submit(world)
    with pytest.raises(services.InvalidInput, match="trực tiếp"):
        services.dossier_receive(
            actor=world.receiver, code=str(submitted.pk), reuses=[Reuse(original.pk)]
        )
