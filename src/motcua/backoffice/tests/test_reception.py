"""Counter reception: finding the procedure, checking the applicant, the three outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.backoffice.forms import personal_id_problem
from motcua.domain.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param("001203004567", True, id="hanoi-male-2003"),
        pytest.param("079190000001", True, id="hcmc-female-1990"),
        pytest.param("00120300456", False, id="11-digits"),
        pytest.param("00120300456a", False, id="letter"),
        pytest.param("003203004567", False, id="003-is-no-province"),
        pytest.param("097203004567", False, id="097-beyond-the-table"),
        pytest.param("001290004567", False, id="born-2090"),
    ],
)
def test_personal_id_structure(value: str, ok: bool) -> None:
    assert (personal_id_problem(value, today=TODAY) == "") is ok


def test_the_procedure_is_found_without_diacritics(client: Client, world: World) -> None:
    client.force_login(world.receiver)
    html = client.get("/office/reception/", {"q": "thu tuc thu"}).content.decode()
    assert world.procedure_code in html


def _form(world: World, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "applicant_kind": "citizen",
        "applicant_name": "Lê Thị Hoa",
        "applicant_id_number": "001303004567",
        "applicant_phone": "0912 345 678",
        "applicant_email": "",
        "applicant_address": "5 Hàng Bài",
        "documents": [d.pk for d in world.home.documents],
        "return_channel": "counter",
        "outcome": "receive",
    }
    data.update(changes)
    return data


def test_receiving_a_walk_in_leads_to_the_receipt(client: Client, world: World) -> None:
    client.force_login(world.receiver)
    response = client.post(f"/office/reception/{world.procedure_code}/", _form(world))
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Lê Thị Hoa")
    assert dossier.status == Status.PROCESSING and dossier.code
    assert dossier.applicant_phone == "0912345678"
    assert dossier.documents == [d.pk for d in world.home.documents]
    html = client.get(response["Location"]).content.decode()
    assert "In giấy tiếp nhận" in html
    assert f"/forms/{dossier.code}/01.pdf" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_id_number", "123", "Số định danh cá nhân gồm đúng 12 chữ số."),
        ("applicant_id_number", "099203004567", "không phải mã tỉnh"),
        ("applicant_phone", "12345", "Nhập số điện thoại Việt Nam"),
        ("applicant_email", "khong-phai-email", "email"),
    ],
)
def test_bad_applicant_details_are_explained_and_nothing_is_received(
    client: Client, world: World, field: str, value: str, message: str
) -> None:
    client.force_login(world.receiver)
    response = client.post(
        f"/office/reception/{world.procedure_code}/", _form(world, **{field: value})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Lê Thị Hoa" in html  # the input is kept
    assert not Dossier.objects.filter(applicant_name="Lê Thị Hoa").exists()


def test_an_organisation_code_is_not_checked_as_a_personal_id(client: Client, world: World) -> None:
    client.force_login(world.receiver)
    response = client.post(
        f"/office/reception/{world.procedure_code}/",
        _form(world, applicant_kind="organisation", applicant_id_number="0101234567"),
    )
    assert response.status_code == 302


def test_refusing_needs_reasons(client: Client, world: World) -> None:
    client.force_login(world.receiver)
    response = client.post(
        f"/office/reception/{world.procedure_code}/", _form(world, outcome="refuse")
    )
    assert response.status_code == 400
    assert "Hãy nêu rõ lý do" in response.content.decode()


@pytest.mark.parametrize(
    ("outcome", "status", "form"),
    [
        ("refuse", Status.RECEPTION_REFUSED, "03"),
        ("supplement", Status.RECEPTION_SUPPLEMENT_REQUESTED, "02"),
    ],
)
def test_papers_not_accepted_at_the_counter(
    client: Client, world: World, outcome: str, status: Status, form: str
) -> None:
    client.force_login(world.receiver)
    response = client.post(
        f"/office/reception/{world.procedure_code}/",
        _form(world, outcome=outcome, reasons="Thiếu tờ khai", items="Tờ khai có chữ ký"),
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Lê Thị Hoa")
    assert dossier.status == status and dossier.code is None
    assert dossier.applicant_user is None  # the receiver did not become the applicant
    html = client.get(response["Location"]).content.decode()
    assert f"/forms/{dossier.pk}/{form}.pdf" in html


def test_a_specialist_cannot_receive_at_the_counter(client: Client, world: World) -> None:
    client.force_login(world.specialist)
    response = client.post(f"/office/reception/{world.procedure_code}/", _form(world))
    assert response.status_code == 403
    assert not Dossier.objects.filter(applicant_name="Lê Thị Hoa").exists()


def test_an_unknown_procedure_is_not_found(client: Client, world: World) -> None:
    client.force_login(world.receiver)
    assert client.get("/office/reception/0.000000/").status_code == 404


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_scans_handed_in_at_the_counter_are_kept_with_the_dossier(
    client: Client, world: World
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.receiver)
    scan = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/office/reception/{world.procedure_code}/", {**_form(world), "scans": [scan]}
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Lê Thị Hoa")
    stored = list(dossier.files.all())
    assert [f.name for f in stored] == ["to-khai.pdf"]
    html = client.get(response["Location"]).content.decode()
    assert f"/api/v1/dossiers/{dossier.code}/files/{stored[0].pk}" in html
    download = client.get(f"/api/v1/dossiers/{dossier.code}/files/{stored[0].pk}")
    assert download.status_code == 200


def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused(client: Client, world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.receiver)
    fake = SimpleUploadedFile(
        "to-khai.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        f"/office/reception/{world.procedure_code}/", {**_form(world), "scans": [fake]}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "to-khai.pdf" in html and "Lê Thị Hoa" in html
    assert not Dossier.objects.filter(applicant_name="Lê Thị Hoa").exists()


def _received_with_scan(client: Client, world: World, name: str = "Lê Thị Hoa") -> Dossier:
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/office/reception/{world.procedure_code}/",
        {**_form(world, applicant_name=name), "scans": [scan]},
    )
    assert response.status_code == 302
    return Dossier.objects.filter(applicant_name=name).latest("pk")


def test_the_desk_takes_what_was_digitised_before_instead_of_scanning_again(
    client: Client, world: World
) -> None:
    client.force_login(world.receiver)
    first = _received_with_scan(client, world)
    original = first.files.get()
    url = f"/office/reception/{world.procedure_code}/"

    looked = client.post(url, {**_form(world), "find_digitised": "1", "outcome": ""})

    assert looked.status_code == 200
    html = looked.content.decode()
    assert f'value="{original.pk}"' in html and "to-khai.pdf" in html and first.code in html
    assert "field-error" not in html  # only looking: nothing checked yet
    response = client.post(url, {**_form(world), "reused": [str(original.pk)]})
    assert response.status_code == 302
    second = Dossier.objects.latest("pk")
    taken = second.files.get()
    assert (taken.reused_from_id, taken.file.name) == (original.pk, original.file.name)


def test_another_agencys_digitised_papers_are_not_offered_nor_taken(
    client: Client, world: World
) -> None:
    client.force_login(world.receiver)
    original = _received_with_scan(client, world).files.get()
    away = Client()
    away.force_login(world.away_receiver)
    url = f"/office/reception/{world.away.procedure.code}/"
    data = {**_form(world), "documents": [d.pk for d in world.away.documents]}

    looked = away.post(url, {**data, "find_digitised": "1", "outcome": ""})
    assert "to-khai.pdf" not in looked.content.decode()
    assert "Chưa có giấy tờ nào được số hóa" in looked.content.decode()
    before = Dossier.objects.count()
    refused = away.post(url, {**data, "reused": [str(original.pk)]})
    assert refused.status_code == 400  # not among the choices
    assert Dossier.objects.count() == before


def test_a_plain_reception_does_not_look_for_digitised_papers(client: Client, world: World) -> None:
    from unittest import mock

    client.force_login(world.receiver)
    with mock.patch(
        "motcua.dossiers.selectors.digitised_for", side_effect=AssertionError("looked up")
    ):
        response = client.post(f"/office/reception/{world.procedure_code}/", _form(world))
    assert response.status_code == 302
