"""Receiving a dossier from the online or postal queue: the officer sees the version's
documents with the applicant's uploads, ticks what is really there, and receives."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.domain.lifecycle import Status
from motcua.dossiers import services
from motcua.dossiers.files import Upload
from motcua.dossiers.models import Action, Dossier, DossierEvent
from motcua.dossiers.tests.factories import APPLICANT, World

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"


def _submitted(world: World) -> Dossier:
    first, second = world.home.documents[:2]
    return services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        documents=[first.pk, second.pk],
        uploads=[Upload("giay-chung-sinh.pdf", ContentFile(PDF, name="g.pdf"), first.pk)],
    )


def _receive_box(html: str) -> str:
    box = html[html.index('id="act-receive"') :]
    return box[: box.index("</form>")]


def test_the_queue_dossier_lists_every_document_with_its_upload(
    client: Client, world: World
) -> None:
    dossier = _submitted(world)
    client.force_login(world.receiver)
    box = _receive_box(client.get(f"/office/dossiers/{dossier.pk}/").content.decode())
    documents = world.home.documents
    ticks = re.findall(r'name="receive-documents" value="(\d+)"( checked)?', box)
    assert [int(pk) for pk, _ in ticks] == [d.pk for d in documents]  # all of the version's
    assert [bool(c) for _, c in ticks] == [d.pk in dossier.documents for d in documents]
    assert "giay-chung-sinh.pdf" in box
    assert "đã kê khai, không có tệp" in box  # the second is declared without a file


def test_the_officer_receives_with_the_documents_found(client: Client, world: World) -> None:
    dossier = _submitted(world)
    first = world.home.documents[0]
    client.force_login(world.receiver)
    response = client.post(
        f"/office/dossiers/{dossier.pk}/receive/",
        {"receive-documents": [str(first.pk)], "receive-note": "Thiếu bản chính thứ hai"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.code
    assert dossier.documents == [first.pk]
    event = DossierEvent.objects.filter(dossier=dossier).last()
    assert event is not None and event.action == Action.RECEIVE


def test_a_document_of_another_procedure_is_refused_with_the_ticks_kept(
    client: Client, world: World
) -> None:
    dossier = _submitted(world)
    first = world.home.documents[0]
    client.force_login(world.receiver)
    response = client.post(
        f"/office/dossiers/{dossier.pk}/receive/",
        {"receive-documents": [str(first.pk), "999999"]},
    )
    assert response.status_code == 422
    box = _receive_box(response.content.decode())
    assert f'value="{first.pk}" checked' in box
    assert f'value="{world.home.documents[1].pk}">' in box  # unticked as posted
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_RECEPTION


def test_the_queue_page_keeps_its_query_budget(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    dossier = _submitted(world)
    client.force_login(world.receiver)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        assert client.get(f"/office/dossiers/{dossier.pk}/").status_code == 200
