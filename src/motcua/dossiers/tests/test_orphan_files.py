"""Files stored by an action whose transaction rolled back stay in the storage with no row:
`motcua purge-orphan-files` removes them once old enough, and nothing else."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.db import all_or_nothing
from motcua.dossiers import services
from motcua.dossiers.files import Upload
from motcua.dossiers.models import Dossier, DossierFile
from motcua.integrations.orphan_files import orphan_files_purge

from .factories import APPLICANT, MONDAY, World

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
HOURS = 24


class TwinCommittedFirst(Exception):
    """What ends an idempotent POST whose twin (same key) committed first: its record's
    insert fails after the action ran, and the whole transaction rolls back."""


def aged(name: str, hours: float) -> None:
    moment = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (moment, moment))


def put(name: str, *, hours: float, content: bytes = PDF) -> str:
    stored = default_storage.save(name, ContentFile(content))
    aged(stored, hours)
    return stored


def purge(*, dry_run: bool = False) -> tuple[int, int]:
    """Files and bytes the sweep of the dossiers' directory removed (or would remove)."""
    (purged,) = orphan_files_purge(
        older_than=timezone.now() - dt.timedelta(hours=HOURS),
        dry_run=dry_run,
        directories=["dossiers"],
    )
    return purged.files, purged.bytes


def submitted_with_a_file(world: World) -> DossierFile:
    dossier = services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        uploads=[Upload(name="don.pdf", file=ContentFile(PDF, name="don.pdf"))],
        now=MONDAY,
    )
    return dossier.files.get()


def test_an_orphan_older_than_the_age_is_deleted(media_root: Path, db: None) -> None:
    orphan = put("dossiers/2026/03/7/orphan.pdf", hours=HOURS + 1)

    assert purge() == (1, len(PDF))
    assert not default_storage.exists(orphan)


def test_a_file_a_row_references_is_kept_however_old(world: World, media_root: Path) -> None:
    row = submitted_with_a_file(world)
    aged(row.file.name, 24 * 365)

    assert purge() == (0, 0)
    with row.file.open("rb") as handle:
        assert handle.read() == PDF


def test_a_young_orphan_is_kept(media_root: Path, db: None) -> None:
    orphan = put("dossiers/2026/03/7/orphan.pdf", hours=HOURS - 1)

    assert purge() == (0, 0)
    assert default_storage.exists(orphan)


def test_a_dry_run_counts_and_deletes_nothing(media_root: Path, db: None) -> None:
    orphans = [put(f"dossiers/2026/0{month}/7/orphan.pdf", hours=HOURS + 1) for month in (2, 3)]

    assert purge(dry_run=True) == (2, 2 * len(PDF))
    assert all(default_storage.exists(name) for name in orphans)


def test_nothing_outside_the_upload_directory_is_touched(
    media_root: Path, db: None, tmp_path: Path
) -> None:
    kept = [
        put("elsewhere/orphan.pdf", hours=HOURS + 1),
        put("orphan.pdf", hours=HOURS + 1),
        put("dossiers-old/orphan.pdf", hours=HOURS + 1),
    ]
    # Symbolic links inside the directory, to a directory and to a file outside it.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.pdf").write_bytes(PDF)
    (media_root / "dossiers").mkdir()
    (media_root / "dossiers" / "linked").symlink_to(outside, target_is_directory=True)
    (media_root / "dossiers" / "private.pdf").symlink_to(outside / "private.pdf")
    old = (timezone.now() - dt.timedelta(hours=HOURS + 1)).timestamp()
    os.utime(outside / "private.pdf", (old, old))

    assert purge() == (0, 0)
    assert all(default_storage.exists(name) for name in kept)
    assert (outside / "private.pdf").read_bytes() == PDF
    assert (media_root / "dossiers" / "private.pdf").is_symlink()


@pytest.mark.parametrize("directory", ["", "/", "/etc", "../media", "dossiers/../.."])
def test_only_a_directory_inside_the_storage_can_be_swept(directory: str, db: None) -> None:
    with pytest.raises(ValueError):
        orphan_files_purge(older_than=timezone.now(), directories=[directory])


def test_a_rolled_back_reception_leaves_its_scans_until_the_sweep(
    world: World, media_root: Path
) -> None:
    with pytest.raises(TwinCommittedFirst), all_or_nothing():
        services.dossier_receive(
            actor=world.receiver,
            procedure_code=world.procedure_code,
            applicant=APPLICANT,
            documents=[d.pk for d in world.home.documents],
            uploads=[
                Upload(name="scan 1.pdf", file=ContentFile(PDF, name="scan 1.pdf")),
                Upload(name="scan 2.pdf", file=ContentFile(PDF + PDF, name="scan 2.pdf")),
            ],
            now=MONDAY,
        )
        raise TwinCommittedFirst

    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    left = sorted(path for path in media_root.rglob("*") if path.is_file())
    assert len(left) == 2
    kept = submitted_with_a_file(world)  # a dossier that did commit, with its file

    # Too young: the transaction might still have been running.
    everything = orphan_files_purge(older_than=timezone.now() - dt.timedelta(hours=HOURS))
    assert sum(purged.files for purged in everything) == 0

    for path in [*left, Path(kept.file.path)]:
        aged(str(path.relative_to(media_root)), HOURS + 1)
    everything = orphan_files_purge(older_than=timezone.now() - dt.timedelta(hours=HOURS))

    assert sum(purged.files for purged in everything) == 2
    assert sum(purged.bytes for purged in everything) == 3 * len(PDF)
    assert not any(path.exists() for path in left)
    assert Path(kept.file.path).exists()


def test_the_command_says_what_it_deleted(media_root: Path, db: None) -> None:
    orphan = put("dossiers/2026/03/7/orphan.pdf", hours=HOURS + 1)
    young = put("dossiers/2026/03/7/young.pdf", hours=1)

    dry = io.StringIO()
    call_command("purge_orphan_files", "--hours", str(HOURS), "--dry-run", stdout=dry)
    assert dry.getvalue().startswith(
        f"1 orphan file(s), {len(PDF)} bytes, and 0 empty folder(s) would be deleted"
    )
    assert default_storage.exists(orphan)

    out = io.StringIO()
    call_command("purge_orphan_files", "--hours", str(HOURS), stdout=out)
    assert out.getvalue().startswith(
        f"1 orphan file(s), {len(PDF)} bytes, and 0 empty folder(s) deleted"
    )
    assert len(out.getvalue().splitlines()) == 1
    assert not default_storage.exists(orphan) and default_storage.exists(young)

    with pytest.raises(CommandError):
        call_command("purge_orphan_files", "--hours", "0", stdout=io.StringIO())


def folder(name: str, *, hours: float) -> Path:
    path = Path(default_storage.path(name))
    path.mkdir(parents=True)
    moment = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_empty_folders_go_once_as_old_as_the_files(media_root: Path, db: None) -> None:
    old = folder("dossiers/2025/01/3", hours=HOURS + 1)
    young = folder("dossiers/2026/03/8", hours=1)  # an upload may be about to land in it
    busy = put("dossiers/2026/03/9/young.pdf", hours=1)
    root = Path(default_storage.path("dossiers"))

    (dry,) = orphan_files_purge(
        older_than=timezone.now() - dt.timedelta(hours=HOURS),
        dry_run=True,
        directories=["dossiers"],
    )
    assert dry.folders == 1 and old.exists()
    (purged,) = orphan_files_purge(
        older_than=timezone.now() - dt.timedelta(hours=HOURS), directories=["dossiers"]
    )

    assert purged.folders == 1
    assert not old.exists()
    # Its parent was emptied just now: it goes at a later sweep.
    assert old.parent.exists()
    assert young.exists() and default_storage.exists(busy) and root.exists()
