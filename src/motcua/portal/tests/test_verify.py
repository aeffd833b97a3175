"""The public check of a document (/kiem-tra-van-ban/): its digital signature, and whether it
is exactly an electronic result issued here, naming the agency and the result but never the
applicant; nothing kept; rate limited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.files import Upload
from motcua.dossiers.models import DossierFile, Status
from motcua.dossiers.tests.factories import APPLICANT, World, drive, make_world
from motcua.dossiers.tests.keys import blank_pdf, make_key, signed_pdf

URL = "/kiem-tra-van-ban/"
HOLDER = "Ủy ban nhân dân phường Một"


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def issued(world: World, tmp_path: Path) -> bytes:
    """The bytes of an electronic result, signed, issued to the world's applicant."""
    path, _certificate = make_key(tmp_path, HOLDER)
    content = signed_pdf(path)
    dossier = drive(world, Status.PROCESSING, walk_in=True)
    services.dossier_forward(actor=world.specialist, code=dossier.code or "")
    services.dossier_resolve(
        actor=world.leader,
        code=dossier.code or "",
        result_number="45/TLKS",
        result_signer="Nguyễn Văn Hùng",
        result_date=timezone.localdate(),
        electronic=True,
        result_uploads=[Upload("trich-luc.pdf", ContentFile(content))],
    )
    return content


def check(client: Client, content: bytes, name: str = "van-ban.pdf") -> Any:
    return client.post(URL, {"document": SimpleUploadedFile(name, content, "application/pdf")})


def test_an_issued_result_is_recognised_without_the_applicants_data(
    world: World, issued: bytes, client: Client
) -> None:
    files_before = DossierFile.objects.count()

    response = check(client, issued)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Có: đúng là kết quả điện tử này" in page
    assert world.home.ward.name in page and "45/TLKS" in page
    assert f"Đã ký số, chữ ký còn nguyên vẹn</strong>, bởi {HOLDER}" in page
    assert APPLICANT.name not in page and APPLICANT.phone not in page
    assert DossierFile.objects.count() == files_before  # nothing kept


def test_a_changed_or_unknown_document_is_not_recognised(
    world: World, issued: bytes, client: Client
) -> None:
    changed = bytearray(issued)
    at = changed.index(b"/MediaBox")
    changed[at + 12] = ord("9") if changed[at + 12] != ord("9") else ord("8")

    altered = check(client, bytes(changed)).content.decode()
    unknown = check(client, blank_pdf()).content.decode()

    assert "Không tìm thấy" in altered and "Chữ ký số bị phá vỡ hoặc không hợp lệ" in altered
    assert "Không tìm thấy" in unknown and "Chưa ký số" in unknown


def test_what_cannot_be_checked_is_said(world: World, client: Client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    assert "Chỉ kiểm tra được tệp PDF" in check(client, png, "anh.png").content.decode()
    nothing = client.post(URL, {})
    assert nothing.status_code == 422 and "Chọn tệp PDF cần kiểm tra" in nothing.content.decode()
    assert client.get(URL).status_code == 200


def test_checks_are_rate_limited_per_client(world: World, client: Client, settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.MOTCUA_PORTAL_VERIFY_RATE = "2/hour"
    assert check(client, blank_pdf()).status_code == 200
    assert check(client, blank_pdf()).status_code == 200
    limited = check(client, blank_pdf())
    assert limited.status_code == 429 and limited["Retry-After"]
    cache.clear()


def test_a_signed_paper_printed_here_is_recognised(
    world: World, client: Client, settings: Any, tmp_path: Path
) -> None:
    from motcua.printing import forms
    from motcua.printing.pdf import engine_problem
    from motcua.printing.signing import _signer

    if engine_problem():
        pytest.skip(engine_problem())
    _signer.cache_clear()
    path, _certificate = make_key(tmp_path, HOLDER)
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase": "mat-khau-khoa"}}
    dossier = drive(world, Status.PROCESSING, walk_in=True)
    receipt = forms.dossier_form_pdf(user=world.receiver, code=dossier.code or "", form="01")

    page = check(client, receipt.content).content.decode()

    assert "Có: đúng là văn bản này, Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)" in page
    assert dossier.code and dossier.code in page
    assert (dossier.receiving_unit or dossier.handling_agency).name in page
    _signer.cache_clear()
