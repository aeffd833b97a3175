"""Whole-project smoke tests: the console script, production settings, migrations."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


# Set for the browser tests' threads (Playwright's event loop); never for a real process.
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def motcua(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [str(BIN / "motcua"), *args],
        capture_output=True,
        text=True,
        env={**inherited, **env},
        timeout=120,
        check=False,
    )


def test_console_script_migrates_and_computes_a_deadline(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrated = motcua("migrate", "--noinput", DATABASE_URL=database)
    assert migrated.returncode == 0, migrated.stderr
    result = motcua(
        "deadline",
        "--received",
        "2026-02-13T16:00+07:00",
        "--amount",
        "1",
        "--unit",
        "working_day",
        DATABASE_URL=database,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-02-23T16:00:00+07:00"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "motcua.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "motcua.example.org",
}


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    from motcua.dossiers.tests.keys import PASSPHRASE, make_key

    key, _certificate = make_key(tmp_path, "Ủy ban nhân dân tỉnh")
    result = motcua(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        MOTCUA_NOTIFY_BACKEND="http",
        MOTCUA_SMS_GATEWAY_URL="https://sms.example.gov.vn/send",
        MOTCUA_SMS_GATEWAY_SECRET="s",
        MOTCUA_FORM_SIGNING=json.dumps({"*": {"pkcs12": key, "passphrase_env": "KEY_PASS"}}),
        KEY_PASS=PASSPHRASE,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_warns_when_nobody_would_be_told() -> None:
    result = motcua("check", "--deploy", **PRODUCTION, MOTCUA_NOTIFY_BACKEND="console")
    assert "integrations.W001" in result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [str(BIN / "motcua"), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**env, "DJANGO_SETTINGS_MODULE": "motcua.settings.production"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
