"""The Vietnamese catalogs: compiled from their sources, and each shows its own translations.

Django merges every catalog of a language into one: the project's (LOCALE_PATHS) first, then
the installed apps' in INSTALLED_APPS order (Django's admin and auth come before ours), then
Django's own. So a msgid that two catalogs translate differently shows one translation
everywhere, and the other catalog's translation is never seen: the complaint form's "Submit"
once showed the dossier's "Nộp hồ sơ". Where the meanings differ, the strings take a message
context (`pgettext`, `{% translate "..." context "..." %}`); where they agree, the catalogs
use one wording."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils.translation import trans_real

import motcua

PACKAGE = Path(motcua.__file__).parent
CATALOGS = sorted(PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"))


def _entries(mo: Path) -> dict[Any, str]:
    with mo.open("rb") as f:
        catalog: dict[Any, str] = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    # The header (msgid "") is each catalog's own.
    return {key: value for key, value in catalog.items() if key != ""}


def _name(po: Path) -> str:
    app = po.relative_to(PACKAGE).parts[0]
    return "project" if app == "locale" else app


def test_every_app_catalog_is_found() -> None:
    assert {_name(po) for po in CATALOGS} >= {"project", "backoffice", "portal", "feedback"}


@pytest.mark.parametrize("po", CATALOGS, ids=_name)
def test_compiled_catalog_matches_its_source(po: Path, tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(po)], check=True)
    assert _entries(po.with_suffix(".mo")) == _entries(fresh), "run `make messages`"


@pytest.mark.parametrize("po", CATALOGS, ids=_name)
def test_catalog_translations_are_the_ones_django_shows(po: Path) -> None:
    shown = trans_real.translation("vi")._catalog
    overridden = {
        key: {"own": value, "shown": shown.get(key)}
        for key, value in _entries(po.with_suffix(".mo")).items()
        if shown.get(key) != value
    }
    assert overridden == {}, (
        "another catalog translates these msgids differently: give them a message context "
        "or the same wording"
    )
