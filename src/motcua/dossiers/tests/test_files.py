"""Files handed in with a dossier and electronic results: checked by their first bytes and
size before anything is written, kept with the event they came with, downloadable by whom
the law lets see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile

from motcua.domain.lifecycle import Action, Status
from motcua.dossiers import services
from motcua.dossiers.exceptions import DossierNotFound
from motcua.dossiers.files import InvalidFile, Upload
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, FileKind
from motcua.dossiers.selectors import dossier_files_for

from .factories import APPLICANT, MONDAY, World, at, drive, reference

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def upload(name: str, content: bytes, document: int | None = None) -> Upload:
    return Upload(name=name, file=ContentFile(content, name=name), required_document_id=document)


def test_files_submitted_online_are_kept_with_their_sniffed_type(world: World) -> None:
    birth_certificate, id_card = world.home.documents[:2]
    dossier = services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        uploads=[
            upload("giấy chứng sinh.pdf", PDF, birth_certificate.pk),
            upload("cccd.jpg", PNG, id_card.pk),  # a PNG whatever its name says
        ],
        now=MONDAY,
    )

    files = list(dossier.files.order_by("pk"))
    assert [(f.name, f.content_type, f.kind) for f in files] == [
        ("giấy chứng sinh.pdf", "application/pdf", FileKind.SUBMISSION),
        ("cccd.jpg", "image/png", FileKind.SUBMISSION),
    ]
    assert [f.required_document_id for f in files] == [birth_certificate.pk, id_card.pk]
    assert files[0].size == len(PDF)
    assert files[0].file.read() == PDF
    assert files[0].file.name.endswith(".pdf") and "giấy" not in files[0].file.name
    assert {f.event.action for f in files} == {Action.SUBMIT}


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        pytest.param([upload("don.pdf", b"MZ\x90\x00binary")], "không phải", id="executable"),
        pytest.param([upload("trong.pdf", b"")], "trống", id="empty"),
        pytest.param([upload("to.pdf", PDF + b"x" * 2048)], "lớn hơn", id="too large"),
        pytest.param([upload("a.pdf", PDF)] * 4, "tối đa", id="too many"),
        pytest.param(
            [upload("a.pdf", PDF, document=999_999)], "không yêu cầu", id="foreign document"
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(
    world: World, settings: Any, uploads: list[Upload], message: str
) -> None:
    settings.MOTCUA_DOSSIER_MAX_FILE_BYTES = 1024
    settings.MOTCUA_DOSSIER_MAX_FILES = 3
    before = (Dossier.objects.count(), DossierEvent.objects.count())

    with pytest.raises(InvalidFile) as refused:
        services.dossier_submit(
            actor=world.applicant,
            procedure_code=world.procedure_code,
            applicant=APPLICANT,
            uploads=uploads,
            now=MONDAY,
        )

    assert refused.value.code == "invalid_file"
    assert message in refused.value.message
    assert (Dossier.objects.count(), DossierEvent.objects.count()) == before
    assert not DossierFile.objects.exists()


def test_a_supplement_brings_its_files(world: World) -> None:
    dossier = drive(world, Status.AWAITING_SUPPLEMENT)

    dossier = services.dossier_supplement(
        actor=world.applicant,
        code=dossier.code,
        uploads=[upload("bo-sung.pdf", PDF)],
        now=at(10, 9),
    )

    (file,) = dossier.files.all()
    assert (file.kind, file.event.action, file.uploaded_by) == (
        FileKind.SUPPLEMENT,
        Action.SUPPLEMENT,
        world.applicant,
    )


def test_the_applicant_downloads_an_electronic_result_only_once_resolved(world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    code = reference(dossier)
    services.dossier_forward(actor=world.specialist, code=code, now=at(9, 11))
    assert dossier_files_for(world.applicant, code=code) == []

    services.dossier_resolve(
        actor=world.leader,
        code=code,
        result_number="15/2026/TP-KS",
        result_signer="Lãnh Đạo",
        result_date=dt.date(2026, 3, 9),
        electronic=True,
        result_uploads=[upload("trich-luc-khai-sinh.pdf", PDF)],
        now=at(9, 14),
    )

    (result,) = dossier_files_for(world.applicant, code=code)
    assert (result.kind, result.name) == (FileKind.RESULT, "trich-luc-khai-sinh.pdf")
    assert [f.kind for f in dossier_files_for(world.leader, code=code)] == [FileKind.RESULT]
    with pytest.raises(DossierNotFound):
        dossier_files_for(world.away_specialist, code=code)


def test_a_result_not_yet_issued_electronically_stays_hidden_from_the_applicant(
    world: World,
) -> None:
    dossier = drive(world, Status.RESOLVED)  # a paper result
    DossierFile.objects.create(
        dossier=dossier,
        kind=FileKind.RESULT,
        file=ContentFile(PDF, name="scan.pdf"),
        name="scan.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_at=at(9, 15),
    )

    assert dossier_files_for(world.applicant, code=dossier.code) == []
    assert len(dossier_files_for(world.leader, code=dossier.code)) == 1
