"""Fixtures shared by every test package.

`demo`: the demo province (`motcua demo`: agencies, officers, catalogue, calendar). It is
loaded once per test module inside a transaction rolled back after the module; each test
runs in a savepoint of it (pytest-django's `db`), so tests stay independent and the suite
does not reload the catalogue for every test.

`media_root`: uploads written to real files under a temporary directory instead of the
test settings' in-memory storage."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_db: None, db: None) -> None:
    """The demo province, officers and catalogue, for one test."""


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """The default storage on the file system, in a directory of this test's own."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return root
