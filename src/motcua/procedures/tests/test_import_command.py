"""`motcua import-procedures` on the real portal export: what lands in the catalogue, that a
second run changes nothing, and how it fails."""

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from motcua.procedures.models import (
    Channel,
    ChannelOption,
    FeeKind,
    ImplementingLevel,
    Procedure,
    ProcedureSource,
    ProcedureVersion,
    RequiredDocument,
    TimeUnit,
)
from motcua.procedures.services import ProcedureSpec, UpsertOutcome, procedure_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def tthc() -> Path:
    folder = Path(settings.MOTCUA_SHARED_DATA_DIR) / "tthc"
    if not (folder / "tthc_detail_sample.json").exists():
        pytest.skip(f"the shared portal export is not at {folder} (MOTCUA_SHARED_DATA_DIR)")
    return folder


def run(*args: object) -> str:
    out = io.StringIO()
    call_command("import_procedures", *map(str, args), "--quiet", stdout=out)
    return out.getvalue()


def option(code: str, channel: Channel) -> ChannelOption:
    return ChannelOption.objects.get(version__procedure__code=code, channel=channel, position=0)


def test_import_listing_and_sample(tthc: Path) -> None:
    output = run(tthc / "danh-sach-tthc-BoCongAn.xlsx", tthc / "tthc_detail_sample.json")

    # 339 listed by the Ministry of Public Security, plus the sample's 11 others.
    assert "350 created, 0 new version, 0 updated, 0 unchanged, 0 failed" in output
    assert Procedure.objects.count() == 350

    # Đăng ký thường trú: 7 working days; 10,000 đ online, 20,000 đ at the counter.
    residence = Procedure.objects.get(code="1.004222")
    assert residence.name == "Đăng ký thường trú"
    assert residence.issuing_authority == "Bộ Công an"
    assert residence.field is not None and residence.field.name == "Đăng ký, quản lý cư trú"
    assert residence.levels == [ImplementingLevel.COMMUNE]
    assert residence.source == ProcedureSource.NATIONAL_PORTAL
    assert residence.source_url.startswith("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/")
    online = option("1.004222", Channel.ONLINE)
    assert online.time_limit_amount == Decimal(7)
    assert online.time_limit_unit == TimeUnit.WORKING_DAY
    assert (online.fee_kind, online.fee_amount) == (FeeKind.AMOUNT, Decimal(10000))
    counter = option("1.004222", Channel.COUNTER)
    assert (counter.fee_kind, counter.fee_amount) == (FeeKind.AMOUNT, Decimal(20000))

    # Đăng ký khai sinh (only in the detail records): free, time "1" without a unit.
    birth = Procedure.objects.get(code="1.001193")
    assert birth.issuing_authority == "Bộ Tư pháp"
    assert birth.field is not None and birth.field.name == "Hộ tịch"
    birth_online = option("1.001193", Channel.ONLINE)
    assert birth_online.fee_kind == FeeKind.FREE
    assert birth_online.time_limit_unit == ""
    assert birth_online.time_limit_amount is None
    assert birth_online.time_limit_text == "1"
    assert RequiredDocument.objects.filter(version__procedure=birth).exists()

    # Đăng ký thành lập hộ kinh doanh: the provincial council sets the fee.
    assert option("1.001612", Channel.ONLINE).fee_kind == FeeKind.COUNCIL

    # Listed but with no detail record: imported from the listing alone, and reported.
    listed_only = Procedure.objects.get(code="1.015027")
    assert listed_only.issuing_authority == "Bộ Công an"
    assert not ChannelOption.objects.filter(version__procedure=listed_only).exists()
    assert "detail_missing: 328 in 328 procedures" in output  # 11 of the 339 have details
    assert "time_no_unit" in output
    assert "Channel rows:" in output
    assert "time limit parsed" in output


def test_second_import_changes_nothing(tthc: Path) -> None:
    inputs = (tthc / "danh-sach-tthc-BoTuPhap.xlsx", tthc / "tthc_detail_sample.json")
    run(*inputs)
    counts = (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        ChannelOption.objects.count(),
        RequiredDocument.objects.count(),
    )

    output = run(*inputs, "--effective-from", "2030-01-01")

    assert f"0 created, 0 new version, 0 updated, {counts[0]:,} unchanged, 0 failed" in output
    assert counts == (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        ChannelOption.objects.count(),
        RequiredDocument.objects.count(),
    )


def test_dry_run_writes_nothing_and_report_lists_every_problem(tthc: Path, tmp_path: Path) -> None:
    report = tmp_path / "problems.csv"
    output = run(tthc / "tthc_detail_sample.json", "--dry-run", "--report", report, "--show", "1")

    assert "Dry run: 22 parsed, nothing written." in output
    assert Procedure.objects.count() == 0
    with report.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    # Đăng ký khai sinh: three channels, each a time limit of "1" without a unit.
    assert [r["detail"] for r in rows if r["code"] == "1.001193"] == [
        "online: 1",
        "postal: 1",
        "counter: 1",
    ]
    assert {r["reason"] for r in rows if r["code"] == "1.001193"} == {"time_no_unit"}
    assert "more (all in" in output


def test_report_as_json_lines(tthc: Path, tmp_path: Path) -> None:
    report = tmp_path / "problems.jsonl"
    run(tthc / "tthc_detail_sample.json", "--dry-run", "--report", report)
    problems = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    # Đăng ký thành lập hộ kinh doanh states no time limit on any of its three channels.
    assert [p["detail"] for p in problems if p["code"] == "1.001612"] == [
        "online: Không có thông tin",
        "postal: Không có thông tin",
        "counter: Không có thông tin",
    ]
    assert all(set(p) == {"code", "reason", "message", "detail"} for p in problems)


def test_a_failing_record_does_not_stop_the_others(
    tthc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def upsert(*, spec: ProcedureSpec, effective_from: dt.date) -> UpsertOutcome:
        if spec.code == "1.004222":
            raise RuntimeError("database is locked")
        return procedure_upsert(spec=spec, effective_from=effective_from)

    monkeypatch.setattr(
        "motcua.procedures.management.commands.import_procedures.procedure_upsert", upsert
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_procedures", str(tthc / "tthc_detail_sample.json"), "--quiet", stdout=out
        )

    assert failed.value.returncode == 1
    assert "21 created, 0 new version, 0 updated, 0 unchanged, 1 failed" in out.getvalue()
    assert "1.004222  RuntimeError: database is locked" in out.getvalue()
    assert Procedure.objects.count() == 21
    assert not Procedure.objects.filter(code="1.004222").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("broken.jsonl", b'{"ma_thu_tuc": "1.0"}\n{"ma_thu', "line 2", id="json"),
        pytest.param("broken.xlsx", b"PK\x03\x04 not really", "not a readable .xlsx", id="xlsx"),
        pytest.param("list.txt", b"1.004222\n", "unknown file type", id="suffix"),
    ],
)
def test_broken_input_is_refused_before_any_write(
    tthc: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    broken = tmp_path / name
    broken.write_bytes(content)
    with pytest.raises(CommandError, match=message) as refused:
        run(tthc / "tthc_detail_sample.json", broken)
    assert refused.value.returncode == 2
    assert Procedure.objects.count() == 0


def test_exit_status_and_message_on_the_command_line(tmp_path: Path) -> None:
    missing = tmp_path / "danh-sach.xlsx"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "import-procedures", str(missing)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert f"{missing}: no such file" in done.stderr

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "motcua.cli",
            "import-procedures",
            "x.json",
            "--effective-from",
            "1/7",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "YYYY-MM-DD" in done.stderr


@pytest.mark.slow
def test_full_import(tthc: Path) -> None:
    inputs = [*sorted(tthc.glob("danh-sach-tthc-*.xlsx")), tthc / "tthc_detail.jsonl.gz"]
    first = run(*inputs)

    assert "1,856 created, 0 new version, 0 updated, 0 unchanged, 0 failed" in first
    assert Procedure.objects.count() == 1856

    second = run(*inputs)
    assert "0 created, 0 new version, 0 updated, 1,856 unchanged, 0 failed" in second
    assert ProcedureVersion.objects.count() == 1856
