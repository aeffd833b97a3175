"""The applicant's data store (kho dữ liệu): their electronic results and the documents
they handed in, listed on their page and taken into a new dossier instead of attached
again (766 indicator 4.3). On the demo province (birth registration at Hồng Châu)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierFile, FileKind

from .test_applicant import (
    PROCEDURE,
    citizen,
    client_in,
    documents,
    form_data,
    receive,
    resolve_electronically,
    submit,
)

__all__ = ["citizen", "client_in"]  # the fixtures


def test_the_store_lists_the_results_and_the_documents_handed_in(client_in: Client) -> None:
    assert "Chưa có kết quả điện tử" in client_in.get(reverse("portal:my_store")).content.decode()
    dossier = receive(submit(client_in))
    resolve_electronically(dossier)

    page = client_in.get(reverse("portal:my_store")).content.decode()

    assert "Kho dữ liệu của tôi" in page
    results, handed_in = page.split("<h2>Kết quả điện tử", 1)[1].split("Thành phần hồ sơ đã nộp")
    assert "trich-luc-khai-sinh.pdf" in results and "giay-chung-sinh.png" in handed_in
    # The form (to-khai.pdf) has the very bytes of the result here: one content, listed once.
    assert "to-khai.pdf" not in page
    shown = DossierFile.objects.filter(dossier=dossier).exclude(name="to-khai.pdf")
    for file in shown:
        assert reverse("portal:my_dossier_file", args=[dossier.code, file.pk]) in page


def test_a_new_dossier_takes_a_document_from_the_store(client_in: Client) -> None:
    first = receive(submit(client_in))
    resolve_electronically(first)
    ids = documents()
    stored = DossierFile.objects.get(dossier=first, name="giay-chung-sinh.png")
    form = client_in.get(reverse("portal:submission", args=[PROCEDURE])).content.decode()
    assert f'name="reuse_{ids[1]}"' in form and "giay-chung-sinh.png" in form

    data = form_data(**{f"reuse_{ids[1]}": str(stored.pk)})
    del data[f"doc_{ids[1]}"]  # not attached again
    response = client_in.post(reverse("portal:submission", args=[PROCEDURE]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    second = Dossier.objects.latest("pk")
    assert second.pk != first.pk

    taken = DossierFile.objects.get(dossier=second, required_document_id=ids[1])
    assert taken.reused_from_id == stored.pk
    assert (taken.file.name, taken.sha256) == (stored.file.name, stored.sha256)  # no copy
    assert taken.kind == FileKind.SUBMISSION


def test_a_required_document_needs_a_file_or_a_stored_one(client_in: Client) -> None:
    receive(submit(client_in))
    ids = documents()
    data = form_data()
    del data[f"doc_{ids[0]}"]
    before = Dossier.objects.count()

    response = client_in.post(reverse("portal:submission", args=[PROCEDURE]), data)

    assert response.status_code == 422
    assert "Đính kèm giấy tờ này, hoặc lấy từ kho dữ liệu" in response.content.decode()
    assert Dossier.objects.count() == before


@pytest.mark.parametrize("whose", ["another applicant's", "a result not issued yet"])
def test_only_ones_own_stored_files_can_be_taken(client_in: Client, whose: str) -> None:
    ids = documents()
    other = Client()
    other.force_login(User.objects.create_user("other-citizen"))
    if whose == "another applicant's":
        foreign = DossierFile.objects.filter(dossier=submit(other)).first()
    else:
        mine = receive(submit(client_in))
        resolved = resolve_electronically(mine)
        Dossier.objects.filter(pk=resolved.pk).update(result_electronic=False)
        foreign = DossierFile.objects.get(dossier=mine, kind=FileKind.RESULT)
    assert foreign is not None
    before = Dossier.objects.count()

    response = client_in.post(
        reverse("portal:submission", args=[PROCEDURE]),
        form_data(**{f"reuse_{ids[0]}": str(foreign.pk)}),
    )

    assert response.status_code in (302, 422)
    if response.status_code == 302:  # the choice is not offered: the upload was used
        latest = Dossier.objects.latest("pk")
        assert not DossierFile.objects.filter(dossier=latest, reused_from__isnull=False).exists()
    else:
        assert Dossier.objects.count() == before
