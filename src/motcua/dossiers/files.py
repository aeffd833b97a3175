"""Files handed in with a dossier (at submission, reception or as a supplement) and
electronic results: checked before anything is stored. The type is read from the first
bytes (`domain.files.sniff`), the size and the number are bounded by settings
(`MOTCUA_DOSSIER_MAX_FILE_BYTES`, default 20 MB; `MOTCUA_DOSSIER_MAX_FILES`, default 30).

A file is written to the storage inside the transaction of its action (written after the
commit, a process dying in between would leave a committed row without its file); if that
transaction rolls back, the stored file stays behind with no row, and `motcua
purge-orphan-files` (`integrations.orphan_files`) deletes it later, once older than its
`--hours`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.files.base import File
from django.utils.translation import gettext as _

from motcua.domain.files import HEAD_BYTES, FileType, sniff

from .exceptions import InvalidInput
from .models import Dossier, DossierEvent, DossierFile, FileKind
from .signatures import Found, read_signature

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_FILES = 30


class InvalidFile(InvalidInput):
    code = "invalid_file"


@dataclass(frozen=True)
class Upload:
    """A file as an interface received it: its name as given, a Django `File` (an
    `UploadedFile`, or `ContentFile` for bytes), and the required document it stands for."""

    name: str
    file: Any
    required_document_id: int | None = None


@dataclass(frozen=True)
class Reuse:
    """A file of the applicant's data store (`selectors.applicant_store`) taken into a new
    dossier instead of being handed in again, for the required document it stands for."""

    file_id: int
    required_document_id: int | None = None


@dataclass(frozen=True)
class Checked:
    upload: Upload
    name: str
    type: FileType
    size: int
    sha256: str
    signature: Found | None = None  # read for results (`signatures`)


def max_bytes() -> int:
    return int(getattr(settings, "MOTCUA_DOSSIER_MAX_FILE_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "MOTCUA_DOSSIER_MAX_FILES", DEFAULT_MAX_FILES))


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:255] or "tep"


def _read(file: Any, limit: int) -> tuple[int, str, bytes]:
    """Size, SHA-256 and head of `file`, reading at most `limit` + 1 bytes."""
    file.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        if not head:
            head = chunk[:HEAD_BYTES]
        size += len(chunk)
        if size > limit:
            break
        digest.update(chunk)
    file.seek(0)
    return size, digest.hexdigest(), head


def check_count(count: int) -> None:
    """InvalidFile when a dossier would take more than `max_files()` files at once."""
    if count > max_files():
        raise InvalidFile(
            _("Attach at most %(count)s files.") % {"count": max_files()}, field="files"
        )


def check_uploads(
    uploads: Sequence[Upload],
    *,
    document_ids: Sequence[int] | None = None,
    read_signatures: bool = False,
) -> list[Checked]:
    """Each upload's type, size and digest, or InvalidFile naming the file at fault. When
    `document_ids` is given, an upload's required document must be one of them. With
    `read_signatures`, a PDF's digital signatures are read too (`signatures`)."""
    check_count(len(uploads))
    limit = max_bytes()
    checked = []
    for upload in uploads:
        name = _clean_name(upload.name)
        size, sha256, head = _read(upload.file, limit)
        if size == 0:
            raise InvalidFile(_("The file “%(name)s” is empty.") % {"name": name}, field="files")
        if size > limit:
            raise InvalidFile(
                _("The file “%(name)s” is larger than %(limit)s MB.")
                % {"name": name, "limit": f"{limit / (1024 * 1024):g}"},
                field="files",
            )
        file_type = sniff(head)
        if file_type is None:
            raise InvalidFile(
                _("The file “%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name},
                field="files",
            )
        if (
            document_ids is not None
            and upload.required_document_id is not None
            and upload.required_document_id not in document_ids
        ):
            raise InvalidFile(
                _("The file “%(name)s” is attached to a document this procedure does not ask for.")
                % {"name": name},
                field="files",
            )
        signature = None
        if read_signatures and file_type.content_type == "application/pdf":
            upload.file.seek(0)
            signature = read_signature(upload.file.read())
            upload.file.seek(0)
        checked.append(Checked(upload, name, file_type, size, sha256, signature))
    return checked


def store(
    dossier: Dossier,
    files: Sequence[Checked],
    *,
    kind: FileKind,
    actor: AuthUser | AnonymousUser | None,
    event: DossierEvent,
) -> list[DossierFile]:
    """Write checked files to the storage and record them as the dossier's, with the event
    of the action they came with."""
    rows = []
    for checked in files:
        row = DossierFile(
            dossier=dossier,
            kind=kind,
            required_document_id=checked.upload.required_document_id,
            name=checked.name,
            content_type=checked.type.content_type,
            extension=checked.type.extension,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=event.at,
            uploaded_by=actor if isinstance(actor, AuthUser) else None,
            event=event,
        )
        if checked.signature is not None:
            row.signature = checked.signature.state
            row.signed_by = checked.signature.signed_by
            row.signed_at = checked.signature.signed_at
        row.file.save(checked.name, File(checked.upload.file), save=False)
        rows.append(row)
    return DossierFile.objects.bulk_create(rows)


def check_reuses(
    reuses: Sequence[Reuse], store: Sequence[DossierFile], *, document_ids: Sequence[int]
) -> list[tuple[DossierFile, int | None]]:
    """The stored files `reuses` name, each with its required document, or InvalidFile when
    one is not in the applicant's `store` or stands for a document the procedure does not
    ask for."""
    by_id = {file.pk: file for file in store}
    found = []
    for reuse in reuses:
        source = by_id.get(reuse.file_id)
        if source is None:
            raise InvalidFile(
                _("A file chosen among those digitised before is not there any more."),
                field="files",
            )
        if reuse.required_document_id is not None and reuse.required_document_id not in (
            document_ids
        ):
            raise InvalidFile(
                _("The file “%(name)s” is attached to a document this procedure does not ask for.")
                % {"name": source.name},
                field="files",
            )
        found.append((source, reuse.required_document_id))
    return found


def store_reuses(
    dossier: Dossier,
    reuses: Sequence[tuple[DossierFile, int | None]],
    *,
    actor: AuthUser | AnonymousUser | None,
    event: DossierEvent,
) -> list[DossierFile]:
    """Record the stored files taken into `dossier`: new rows of the same stored file (no
    copy of its bytes), marked `reused_from` the original."""
    rows = [
        DossierFile(
            dossier=dossier,
            kind=FileKind.SUBMISSION,
            required_document_id=document_id,
            file=source.file.name,
            name=source.name,
            content_type=source.content_type,
            extension=source.extension,
            size=source.size,
            sha256=source.sha256,
            uploaded_at=event.at,
            uploaded_by=actor if isinstance(actor, AuthUser) else None,
            event=event,
            signature=source.signature,
            signed_by=source.signed_by,
            signed_at=source.signed_at,
            reused_from_id=source.reused_from_id or source.pk,
        )
        for source, document_id in reuses
    ]
    return DossierFile.objects.bulk_create(rows)
