"""Uploaded files that no row references any more, and their removal.

An upload is written to the storage inside the transaction of its action (dossier files,
complaint attachments): writing it after the commit would leave committed rows pointing at
missing files whenever a process dies in between. So when that transaction rolls back (a
domain error after the files were stored, or an idempotent POST whose twin committed first)
the files stay in the storage with no row: orphans, which may hold personal data (Decree
13/2023). `orphan_files_purge` removes them later: it walks the directories the model apps
declare as theirs (`upload_directories` on their `AppConfig`), keeps every name any
`FileField` of any model holds, and deletes the rest once older than the given age (a
younger file may belong to a transaction still running).

Only the Django storage API is used (`listdir`, `get_modified_time`, `size`, `delete`), so
any backend works. The names referenced under a directory are read in one query per file
field and held in memory (about 100 bytes a name); only unreferenced files are examined
further, one directory listing at a time. In a local storage the empty folders left
behind are removed too, once as old as the files."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class Purged:
    """What a sweep of one upload directory removed (or, in a dry run, would remove)."""

    directory: str
    names: tuple[str, ...]
    bytes: int
    folders: int = 0  # empty folders removed (local storage only)

    @property
    def files(self) -> int:
        return len(self.names)


def upload_directories() -> list[str]:
    """The storage directories the installed apps write uploads to."""
    found: set[str] = set()
    for config in apps.get_app_configs():
        found.update(getattr(config, "upload_directories", ()))
    return sorted(found)


def _checked(directory: str) -> str:
    parts = directory.strip("/").split("/")
    if directory.startswith("/") or not all(parts) or ".." in parts or "." in parts:
        raise ValueError(f"Not an upload directory: {directory!r}")
    return "/".join(parts)


def _referenced(directory: str) -> set[str]:
    """Every name under `directory` that a file field of any model holds: an orphan of one
    model is never a file another model points at."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.filter(
                        **{f"{field.attname}__startswith": f"{directory}/"}
                    )
                    .values_list(field.attname, flat=True)
                    .iterator(chunk_size=10_000)
                )
    return names


def _local(storage: Storage, name: str) -> str | None:
    """The file system path of `name`, or None in a storage without one."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def _walk(storage: Storage, directory: str) -> Iterator[str]:
    """The names of the files under `directory`, depth first, one listing at a time. A
    symbolic link to a directory is not followed (it may lead outside, or back up)."""
    pending = [directory]
    while pending:
        current = pending.pop()
        try:
            subdirectories, files = storage.listdir(current)
        except FileNotFoundError:
            continue
        for name in files:
            yield f"{current}/{name}"
        for name in subdirectories:
            path = _local(storage, f"{current}/{name}")
            if path is None or not Path(path).is_symlink():
                pending.append(f"{current}/{name}")


def _outside(storage: Storage, name: str, directory: str) -> bool:
    """Whether a local file resolves outside `directory` (a symbolic link)."""
    path, root = _local(storage, name), _local(storage, directory)
    if path is None or root is None:
        return False
    return not Path(path).resolve().is_relative_to(Path(root).resolve())


def orphan_files_purge(
    *,
    older_than: dt.datetime,
    dry_run: bool = False,
    directories: Sequence[str] | None = None,
    storage: Storage | None = None,
) -> list[Purged]:
    """Delete the files under the upload directories (by default all of them, see
    `upload_directories`) that no row references and that were last modified before
    `older_than`; in a dry run, only say which. Locks nothing: a file modified after
    `older_than` is kept, so `older_than` must lie further back than any transaction runs.
    """
    storage = storage or default_storage
    report = []
    for directory in directories if directories is not None else upload_directories():
        directory = _checked(directory)
        referenced = _referenced(directory)
        names: list[str] = []
        size = 0
        for name in _walk(storage, directory):
            if name in referenced or _outside(storage, name, directory):
                continue
            try:
                if storage.get_modified_time(name) >= older_than:
                    continue
                file_size = storage.size(name)
                if not dry_run:
                    storage.delete(name)
            except FileNotFoundError:  # removed meanwhile
                continue
            names.append(name)
            size += file_size
        folders = _empty_folders_purge(storage, directory, older_than, dry_run=dry_run)
        report.append(Purged(directory, tuple(names), size, folders))
    return report


def _empty_folders_purge(
    storage: Storage, directory: str, older_than: dt.datetime, *, dry_run: bool
) -> int:
    """Remove the folders under `directory` (not itself) that are empty and were last
    changed before `older_than`, deepest first; returns how many. A younger empty folder
    may have just been made for an upload about to be written into it. A parent emptied by
    this sweep was changed now, so it goes at a later sweep. Only a local storage has
    folders of its own."""
    root = _local(storage, directory)
    if root is None or not Path(root).is_dir():
        return 0
    removed = 0
    for path, subdirectories, files in os.walk(root, topdown=False):
        folder = Path(path)
        if folder == Path(root) or folder.is_symlink() or files or subdirectories:
            continue
        try:
            if folder.stat().st_mtime >= older_than.timestamp():
                continue
            if not dry_run:
                folder.rmdir()  # refuses a folder that is no longer empty
        except OSError:
            continue
        removed += 1
    return removed


def purge_job() -> str:
    """The daily sweep (see `integrations.jobs`): files orphaned for more than 24 hours."""
    report = orphan_files_purge(older_than=timezone.now() - dt.timedelta(hours=24))
    files = sum(purged.files for purged in report)
    folders = sum(purged.folders for purged in report)
    if not files and not folders:
        return ""
    return f"{files} orphan file(s) and {folders} empty folder(s) deleted"
