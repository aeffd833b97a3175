"""`motcua deadline`: the issue's examples, bulk JSON lines, and clear errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from motcua.agencies.models import Agency, AgencyLevel
from motcua.calendars.models import WorkingSchedule

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("deadline", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    ("received", "amount", "unit", "due"),
    [
        pytest.param(
            "2026-02-13T16:00+07:00", "1", "working_day", "2026-02-23T16:00:00+07:00", id="tet"
        ),
        pytest.param(
            "2026-08-21T10:00+07:00",
            "1",
            "working_day",
            "2026-08-22T10:00:00+07:00",
            id="make-up-saturday",
        ),
        pytest.param(
            "2026-11-23T15:01+07:00",
            "0",
            "same_day",
            "2026-11-25T17:00:00+07:00",
            id="same-day-after-15h-before-culture-day",
        ),
        pytest.param(
            "2026-11-23T08:01:00Z", "1", "same_day", "2026-11-25T17:00:00+07:00", id="utc-input"
        ),
        pytest.param(
            "2026-11-23 15:01",
            "1",
            "same_day",
            "2026-11-25T17:00:00+07:00",
            id="no-offset-means-local",
        ),
    ],
)
def test_examples(received: str, amount: str, unit: str, due: str) -> None:
    assert run("--received", received, "--amount", amount, "--unit", unit) == due


def test_agency_calendar() -> None:
    commune = Agency.objects.create(code="H99.50.01", name="Xã", level=AgencyLevel.COMMUNE)
    WorkingSchedule.objects.create(
        agency=commune, effective_from="2026-01-01", sessions="08:00-12:00, 13:00-17:00"
    )
    args = ("--received", "2026-12-07T07:45+07:00", "--amount", "4", "--unit", "working_hour")
    # 07:45-11:30 holds 3 h 45; the last 15 minutes fall after lunch.
    assert run(*args) == "2026-12-07T13:15:00+07:00"
    assert run(*args, "--agency", "H99.50.01") == "2026-12-07T12:00:00+07:00"


def test_unknown_agency_and_bad_input_are_clear_errors() -> None:
    with pytest.raises(CommandError, match=r"H00\.99"):
        run(
            "--received",
            "2026-12-07T08:00",
            "--amount",
            "1",
            "--unit",
            "working_day",
            "--agency",
            "H00.99",
        )
    with pytest.raises(CommandError, match="invalid_received_at"):
        run("--received", "yesterday", "--amount", "1", "--unit", "working_day")
    with pytest.raises(CommandError, match="invalid_amount"):
        run("--received", "2026-12-07T08:00", "--amount", "-1", "--unit", "working_day")
    with pytest.raises(CommandError, match="--amount"):
        run("--received", "2026-12-07T08:00", "--unit", "working_day")


def test_jsonl_adds_due_at_to_each_line_and_keeps_other_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = [
        {"id": "a", "received_at": "2026-02-13T16:00+07:00", "amount": 1, "unit": "working_day"},
        {"id": "b", "received_at": "2026-11-23T15:01+07:00", "amount": 0, "unit": "same_day"},
    ]
    out = run(
        "--jsonl", stdin="\n".join(json.dumps(x) for x in lines) + "\n", monkeypatch=monkeypatch
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert [r["due_at"] for r in records] == [
        "2026-02-23T16:00:00+07:00",
        "2026-11-25T17:00:00+07:00",
    ]


def test_jsonl_reports_bad_lines_and_still_answers_good_ones(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = "\n".join(
        [
            '{"received_at": "2026-02-13T16:00+07:00", "amount": 1, "unit": "fortnight"}',
            "not json",
            '{"received_at": "2026-08-21T10:00+07:00", "amount": 1, "unit": "working_day"}',
            "[1, 2]",
        ]
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 line"):
        call_command("deadline", "--jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("error", {}).get("code") for r in records] == [
        "invalid_unit",
        "invalid_json",
        None,
        "invalid_line",
    ]
    assert records[2]["due_at"] == "2026-08-22T10:00:00+07:00"
