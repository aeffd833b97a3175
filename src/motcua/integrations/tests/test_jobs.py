"""The periodic jobs and `motcua worker`."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.integrations import jobs
from motcua.integrations.jobs import PeriodicJob, Scheduler, periodic_jobs, select
from motcua.integrations.models import OutboxMessage
from motcua.integrations.services import outbox_enqueue

CALLS: list[str] = []


def quick() -> str:
    CALLS.append("quick")
    return "done"


def slow() -> str:
    CALLS.append("slow")
    return ""


def broken() -> str:
    CALLS.append("broken")
    raise RuntimeError("the database is away")


QUICK = PeriodicJob("quick", dt.timedelta(seconds=2), f"{__name__}.quick")
SLOW = PeriodicJob("slow", dt.timedelta(hours=1), f"{__name__}.slow")
BROKEN = PeriodicJob("broken", dt.timedelta(seconds=10), f"{__name__}.broken")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def no_calls() -> None:
    CALLS.clear()


def test_the_apps_declare_the_jobs_with_their_periods() -> None:
    assert {job.name: job.every for job in periodic_jobs()} == {
        "deliver-outbox": dt.timedelta(seconds=2),
        "officer-reminders": dt.timedelta(minutes=15),
        "purge-idempotency-records": dt.timedelta(hours=1),
        "purge-orphan-files": dt.timedelta(hours=1),
        "purge-outbox-messages": dt.timedelta(hours=1),
        "refresh-facts": dt.timedelta(minutes=5),
    }


def test_two_apps_may_not_declare_one_job_name(monkeypatch: pytest.MonkeyPatch) -> None:
    class Config:
        periodic_jobs = (QUICK,)

    monkeypatch.setattr(apps, "get_app_configs", lambda: [Config(), Config()])

    with pytest.raises(ValueError, match="'quick'"):
        periodic_jobs()


@pytest.mark.django_db
def test_each_job_runs_at_start_then_once_its_period_has_passed() -> None:
    clock = Clock()
    scheduler = Scheduler([QUICK, SLOW], clock=clock)

    first = scheduler.run_due()
    clock.now += 1.9
    early = scheduler.run_due()
    wait = scheduler.seconds_to_next()
    clock.now += 0.1
    second = scheduler.run_due()

    assert [(o.job, o.ok, o.line) for o in first] == [("quick", True, "done"), ("slow", True, "")]
    assert early == []
    assert wait == pytest.approx(0.1)
    assert [o.job for o in second] == ["quick"]
    assert CALLS == ["quick", "slow", "quick"]


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    scheduler = Scheduler([BROKEN, QUICK], clock=clock)

    outcomes = scheduler.run_due()
    clock.now += 10
    again = scheduler.run_due()

    assert [(o.job, o.ok, o.line) for o in outcomes] == [
        ("broken", False, "RuntimeError: the database is away"),
        ("quick", True, "done"),
    ]
    assert "Periodic job broken failed" in caplog.text
    assert [o.job for o in again] == ["broken", "quick"]


def test_jobs_are_selected_by_name_and_an_unknown_name_is_refused() -> None:
    assert select([QUICK, SLOW, BROKEN], ["slow", "quick", "slow"]) == [QUICK, SLOW]
    with pytest.raises(ValueError, match=r"Unknown job\(s\): nightly\. Known: broken, quick"):
        select([QUICK, BROKEN], ["nightly"])


@pytest.mark.django_db
def test_the_worker_runs_every_job_once(settings: Any, media_root: Path) -> None:
    settings.MOTCUA_OUTBOX_WEBHOOKS = []
    now = timezone.now()
    outbox_enqueue(topic="dossier.received", key="k1", payload={}, now=now)
    outbox_enqueue(topic="dossier.received", key="old", payload={}, now=now)
    OutboxMessage.objects.filter(key="old").update(delivered_at=now - dt.timedelta(days=31))
    out = StringIO()

    call_command("worker", "--once", stdout=out)

    assert out.getvalue().splitlines() == [
        "deliver-outbox: 1 delivered, 0 to retry, 0 given up",
        "purge-outbox-messages: 1 delivered message(s) deleted",
    ]
    assert OutboxMessage.objects.get().key == "k1"


@pytest.mark.django_db
def test_the_worker_fails_once_a_job_fails(settings: Any) -> None:
    settings.MOTCUA_OUTBOX_WEBHOOKS = {"not": "a list"}
    err = StringIO()

    with pytest.raises(CommandError, match="1 job"):
        call_command("worker", "--once", "--only", "deliver-outbox", stderr=err)

    assert "deliver-outbox failed: ImproperlyConfigured" in err.getvalue()


def test_the_worker_lists_its_jobs_and_refuses_an_unknown_one() -> None:
    out = StringIO()
    call_command("worker", "--list", "--only", "refresh-facts", stdout=out)

    assert out.getvalue() == "refresh-facts\tevery 0:05:00\tmotcua.reports.facts.refresh_job\n"
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("worker", "--once", "--only", "nightly")


def test_a_job_imports_its_function_when_it_runs() -> None:
    assert jobs.PeriodicJob("x", dt.timedelta(1), f"{__name__}.quick").run() == "done"
