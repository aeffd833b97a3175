"""Files attached from the desk: the electronic result with the resolve form, the papers
an applicant hands in with a supplement. Type sniffed, size bounded, nothing half-done."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from motcua.domain.lifecycle import Status
from motcua.dossiers import services
from motcua.dossiers.models import Action, Dossier, DossierEvent, DossierFile, FileKind
from motcua.dossiers.tests.factories import World, drive

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _at_leader(world: World) -> Dossier:
    dossier = drive(world, Status.PROCESSING)
    return services.dossier_forward(actor=world.specialist, code=dossier.code)


def _resolve(client: Client, dossier: Dossier, files: list[SimpleUploadedFile], **extra: str):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "resolve-result_number": "21/2026/TP-KS",
        "resolve-result_signer": "Lãnh Đạo",
        "resolve-result_date": "2026-03-10",
        "resolve-electronic": "on",
        "resolve-summary": "Cấp trích lục khai sinh",
        "resolve-result_files": files,
        **extra,
    }
    return client.post(f"/office/dossiers/{dossier.code}/resolve/", data)


def test_the_resolve_form_is_multipart_and_offers_a_file_input(
    client: Client, world: World
) -> None:
    dossier = _at_leader(world)
    client.force_login(world.leader)
    html = client.get(f"/office/dossiers/{dossier.code}/").content.decode()
    resolve = html[html.index('id="act-resolve"') :]
    resolve = resolve[: resolve.index("</form>")]
    assert 'enctype="multipart/form-data"' in resolve
    assert 'type="file" name="resolve-result_files"' in resolve and "multiple" in resolve


def test_the_leader_resolves_with_the_electronic_result_files(client: Client, world: World) -> None:
    dossier = _at_leader(world)
    client.force_login(world.leader)
    response = _resolve(
        client,
        dossier,
        [
            SimpleUploadedFile("trích lục.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("ảnh.png", PNG, "image/png"),
        ],
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED and dossier.result_electronic
    event = DossierEvent.objects.filter(dossier=dossier).last()
    assert event is not None and event.action == Action.RESOLVE
    files = list(DossierFile.objects.filter(dossier=dossier).order_by("pk"))
    assert [(f.name, f.kind, f.content_type, f.event_id) for f in files] == [
        ("trích lục.pdf", FileKind.RESULT, "application/pdf", event.pk),
        ("ảnh.png", FileKind.RESULT, "image/png", event.pk),
    ]
    page = client.get(f"/office/dossiers/{dossier.code}/").content.decode()
    assert "trích lục.pdf" in page


def test_a_file_that_is_not_a_pdf_jpeg_or_png_resolves_nothing_and_keeps_the_input(
    client: Client, world: World
) -> None:
    dossier = _at_leader(world)
    client.force_login(world.leader)
    response = _resolve(
        client,
        dossier,
        [SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")],
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tệp “ket-qua.pdf” không phải là tệp PDF, JPEG hoặc PNG" in html
    assert "Đính kèm lại" in html  # the browser does not keep the files: say so
    assert 'value="21/2026/TP-KS"' in html  # the typed input is kept
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.result_number == ""
    assert not DossierFile.objects.filter(dossier=dossier).exists()


@override_settings(MOTCUA_DOSSIER_MAX_FILE_BYTES=1024)
def test_a_result_file_over_the_size_bound_is_refused(client: Client, world: World) -> None:
    dossier = _at_leader(world)
    client.force_login(world.leader)
    big = PDF + b"0" * 2048
    response = _resolve(client, dossier, [SimpleUploadedFile("lon.pdf", big, "application/pdf")])
    assert response.status_code == 422
    assert "lớn hơn" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_result_files_need_the_electronic_box(client: Client, world: World) -> None:
    dossier = _at_leader(world)
    client.force_login(world.leader)
    data = {"resolve-electronic": ""}
    response = _resolve(
        client, dossier, [SimpleUploadedFile("kq.pdf", PDF, "application/pdf")], **data
    )
    assert response.status_code == 400
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_a_paper_result_needs_no_file(client: Client, world: World) -> None:
    dossier = _at_leader(world)
    client.force_login(world.leader)
    response = _resolve(client, dossier, [], **{"resolve-electronic": ""})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED and not dossier.result_electronic
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_the_desk_records_a_supplement_with_its_scans(client: Client, world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)
    client.force_login(world.receiver)
    response = client.post(
        f"/office/dossiers/{dossier.code}/supplement/",
        {
            "supplement-note": "Nộp bản sao CCCD",
            "supplement-scans": [SimpleUploadedFile("cccd.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    event = DossierEvent.objects.filter(dossier=dossier).last()
    assert event is not None and event.action == Action.SUPPLEMENT
    (file,) = DossierFile.objects.filter(dossier=dossier)
    assert (file.kind, file.event_id, file.uploaded_by) == (
        FileKind.SUPPLEMENT,
        event.pk,
        world.receiver,
    )


def test_a_bad_supplement_scan_leaves_the_dossier_waiting(client: Client, world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)
    client.force_login(world.receiver)
    response = client.post(
        f"/office/dossiers/{dossier.code}/supplement/",
        {
            "supplement-note": "Nộp bản sao CCCD",
            "supplement-scans": [SimpleUploadedFile("trong.pdf", b"", "application/pdf")],
        },
    )
    # An empty upload is a form error (Django's own check), nothing is recorded.
    assert response.status_code in (400, 422)
    assert "Nộp bản sao CCCD" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    assert not DossierFile.objects.exists()
