"""Checking uploaded files before they are stored: the type is read from the first bytes
(never from the name or the browser's claim), the size and the number are bounded by
settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.domain.files import HEAD_BYTES, sniff

from .exceptions import InvalidAttachment

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 5


def max_bytes() -> int:
    return int(getattr(settings, "MOTCUA_FEEDBACK_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "MOTCUA_FEEDBACK_MAX_ATTACHMENTS", DEFAULT_MAX_FILES))


@dataclass(frozen=True)
class Checked:
    file: Any  # a django File (UploadedFile), rewound
    name: str
    content_type: str
    extension: str
    size: int


def _size(file: IO[bytes] | Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, 2)
    end = int(file.tell())
    file.seek(0)
    return end


def check_attachments(files: Sequence[Any]) -> list[Checked]:
    """Each file's sniffed type and size, or InvalidAttachment naming the file at fault."""
    if len(files) > max_files():
        raise InvalidAttachment(
            _("Attach at most %(count)s files.") % {"count": max_files()}, field="attachments"
        )
    limit = max_bytes()
    checked: list[Checked] = []
    for file in files:
        name = str(getattr(file, "name", "") or "").rsplit("/", 1)[-1][:255] or "tep"
        size = _size(file)
        if size == 0:
            raise InvalidAttachment(
                _("The file “%(name)s” is empty.") % {"name": name}, field="attachments"
            )
        if size > limit:
            raise InvalidAttachment(
                _("The file “%(name)s” is larger than %(limit)s MB.")
                % {"name": name, "limit": f"{limit / (1024 * 1024):g}"},
                field="attachments",
                max_bytes=limit,
            )
        file.seek(0)
        head = file.read(HEAD_BYTES)
        file.seek(0)
        kind = sniff(head)
        if kind is None:
            raise InvalidAttachment(
                _("The file “%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name},
                field="attachments",
            )
        checked.append(Checked(file, name, kind.content_type, kind.extension, size))
    return checked
