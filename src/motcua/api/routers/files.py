"""A dossier's files: what was handed in (at submission, reception, supplement) and the
electronic result. Listed and downloaded by whoever may (`selectors.dossier_files_for`):
officers who may read the dossier get every file; its applicant what they handed in and
the result once issued electronically. Anyone else gets 404, as for a missing dossier."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from motcua.dossiers import selectors
from motcua.dossiers.models import DossierFile, FileKind, SignatureState

from .. import schemas as s
from ..auth import READ_AUTH, principal_of
from ..errors import ApiError
from ..render import labelled

router = Router(tags=["dossiers"])


class FileOut(Schema):
    id: int
    kind: s.Labelled
    name: str = Field(description="The name it was handed in with.")
    content_type: str = Field(description="Read from the file's first bytes.")
    size: int
    sha256: str
    required_document: int | None
    uploaded_at: s.LocalDateTime
    signature: s.Labelled | None = Field(
        description="For a PDF result: what its digital signature showed when it came in "
        "(none, invalid, valid, trusted); null for the other files."
    )
    signed_by: str = Field(description="The signing certificate's holder, when signed.")
    signed_at: s.LocalDateTime | None = Field(description="The moment the signature reports.")
    reused_from: int | None = Field(
        description="The file of an earlier dossier this one was taken from (the applicant's "
        "data store, or the desk's digitised papers) instead of being handed in again."
    )


def _file_out(row: DossierFile) -> FileOut:
    kind = labelled(FileKind, row.kind)
    assert kind is not None
    return FileOut(
        id=row.pk,
        kind=kind,
        name=row.name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        required_document=row.required_document_id,
        uploaded_at=row.uploaded_at,
        signature=labelled(SignatureState, row.signature) if row.signature else None,
        signed_by=row.signed_by,
        signed_at=row.signed_at,
        reused_from=row.reused_from_id,
    )


@router.get(
    "/dossiers/{code}/files",
    response={200: list[FileOut], frozenset({401, 403, 404, 422}): s.ErrorOut},
    auth=READ_AUTH,
    operation_id="dossier_files",
)
def dossier_files(request: HttpRequest, code: Path[s.DossierReference]) -> list[FileOut]:
    """The dossier's files you may download, oldest first."""
    principal = principal_of(request)
    return [_file_out(f) for f in selectors.dossier_files_for(principal.user, code=code)]


DOWNLOAD: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The file, as an attachment under its own name.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


@router.get(
    "/dossiers/{code}/files/{file_id}",
    response={frozenset({401, 403, 404, 422}): s.ErrorOut},
    auth=READ_AUTH,
    operation_id="dossier_file_download",
    openapi_extra=DOWNLOAD,
)
def dossier_file_download(
    request: HttpRequest, code: Path[s.DossierReference], file_id: int
) -> FileResponse:
    """One file of the dossier."""
    principal = principal_of(request)
    row = next(
        (f for f in selectors.dossier_files_for(principal.user, code=code) if f.pk == file_id),
        None,
    )
    if row is None:
        raise ApiError(
            404, "file_not_found", _("The dossier has no such file, or you may not see it.")
        )
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.name,
        content_type=row.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
