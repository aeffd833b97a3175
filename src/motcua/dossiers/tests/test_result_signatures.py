"""The digital signature of an electronic result, read when it comes in
(`dossiers.signatures`), kept on the file, shown to the desk and the applicant, and
required when the deployment says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import services, signatures
from motcua.dossiers.exceptions import InvalidInput
from motcua.dossiers.files import Upload
from motcua.dossiers.models import Dossier, DossierFile, FileKind, SignatureState, Status

from .factories import World, drive
from .keys import blank_pdf, make_key, pem, signed_pdf

HOLDER = "Ủy ban nhân dân phường Một"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _fresh_roots() -> Any:
    signatures._roots.cache_clear()
    yield
    signatures._roots.cache_clear()


@pytest.fixture
def key(tmp_path: Path) -> tuple[str, Any]:
    return make_key(tmp_path, HOLDER)


def at_leader(world: World) -> Dossier:
    dossier = drive(world, Status.PROCESSING, walk_in=True)
    return services.dossier_forward(actor=world.specialist, code=dossier.code or "")


def resolve(world: World, dossier: Dossier, *files: tuple[str, bytes], electronic: bool = True):
    return services.dossier_resolve(
        actor=world.leader,
        code=dossier.code or "",
        result_number="45/TLKS",
        result_signer="Nguyễn Văn Hùng",
        result_date=timezone.localdate(),
        electronic=electronic,
        result_uploads=[Upload(name, ContentFile(data, name=name)) for name, data in files],
    )


def result_files(dossier: Dossier) -> list[DossierFile]:
    return list(dossier.files.filter(kind=FileKind.RESULT).order_by("pk"))


def test_a_signed_result_is_kept_with_its_signer_and_moment(world: World, key: Any) -> None:
    dossier = at_leader(world)
    before = timezone.now() - dt.timedelta(seconds=5)

    resolve(world, dossier, ("trich-luc.pdf", signed_pdf(key[0])))

    [file] = result_files(dossier)
    assert (file.signature, file.signed_by) == (SignatureState.VALID, HOLDER)
    assert file.signed_at is not None and before <= file.signed_at <= timezone.now()


def test_a_certificate_under_a_trusted_root_is_trusted(
    world: World, key: Any, settings: Any, tmp_path: Path
) -> None:
    roots = tmp_path / "roots.pem"
    roots.write_bytes(pem(key[1]))
    settings.MOTCUA_TRUSTED_ROOTS = str(roots)
    dossier = at_leader(world)

    resolve(world, dossier, ("trich-luc.pdf", signed_pdf(key[0])))

    [file] = result_files(dossier)
    assert file.signature == SignatureState.TRUSTED


def test_unsigned_changed_and_unreadable_results_are_told_apart(world: World, key: Any) -> None:
    changed = bytearray(signed_pdf(key[0]))
    # Change a byte of the signed content: the page's MediaBox.
    at = changed.index(b"/MediaBox")
    changed[at + 12] = ord("9") if changed[at + 12] != ord("9") else ord("8")
    dossier = at_leader(world)

    resolve(
        world,
        dossier,
        ("chua-ky.pdf", blank_pdf()),
        ("da-sua.pdf", bytes(changed)),
        ("hong.pdf", b"%PDF-1.7\n%\xe2\xe3\nkhong phai pdf\n%%EOF\n"),
        ("anh-chup.png", PNG),
    )

    states = [(f.name, f.signature) for f in result_files(dossier)]
    assert states == [
        ("chua-ky.pdf", SignatureState.NONE),
        ("da-sua.pdf", SignatureState.INVALID),
        ("hong.pdf", SignatureState.NONE),
        ("anh-chup.png", ""),  # a picture carries no signature to read
    ]


def test_a_deployment_may_require_the_signature(world: World, key: Any, settings: Any) -> None:
    settings.MOTCUA_RESULT_SIGNATURE = "require"
    dossier = at_leader(world)

    with pytest.raises(InvalidInput) as unsigned:
        resolve(world, dossier, ("chua-ky.pdf", blank_pdf()))
    assert "chua-ky.pdf" in unsigned.value.message and "ký số" in unsigned.value.message
    with pytest.raises(InvalidInput) as nothing:
        resolve(world, dossier)
    assert nothing.value.details["field"] == "result_files"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and not result_files(dossier)

    resolve(world, dossier, ("trich-luc.pdf", signed_pdf(key[0])))

    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED


def test_a_paper_result_needs_no_signed_file(world: World, settings: Any) -> None:
    settings.MOTCUA_RESULT_SIGNATURE = "require"
    dossier = at_leader(world)

    resolve(world, dossier, electronic=False)

    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED


def test_the_desk_and_the_applicant_see_the_signature(
    world: World, key: Any, client: Client
) -> None:
    dossier = drive(world, Status.PROCESSING)  # submitted online by world.applicant
    services.dossier_forward(actor=world.specialist, code=dossier.code or "")
    resolve(world, dossier, ("trich-luc.pdf", signed_pdf(key[0])))

    client.force_login(User.objects.get(pk=world.leader.pk))
    desk = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert f"Đã ký số, chữ ký còn nguyên vẹn, bởi {HOLDER}" in desk

    client.force_login(User.objects.get(pk=world.applicant.pk))
    mine = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert f"Đã ký số, chữ ký còn nguyên vẹn, bởi {HOLDER}" in mine
