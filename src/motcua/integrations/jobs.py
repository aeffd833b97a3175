"""Background jobs that recur: what `motcua worker` runs beside the web server.

Each app declares its own on its `AppConfig` as `periodic_jobs`, a tuple of `PeriodicJob`
(a name, how often, and the dotted path of a function without arguments that returns a
line for the log), so this module knows no app above it:

| job | app | every |
|---|---|---|
| `deliver-outbox` | integrations | 2 s |
| `refresh-facts` | reports | 5 min |
| `officer-reminders` | backoffice | 15 min (acts once a working day per officer) |
| `purge-idempotency-records` | api | 1 h (keeps 24 h) |
| `purge-outbox-messages` | integrations | 1 h (keeps 30 days) |
| `purge-orphan-files` | integrations | 1 h (keeps 24 h) |

A worker runs each job when it starts and then once its period has passed since the run
began; a job that raises is logged and tried again a period later, and never stops the
others. Every job may run in several workers at once (the outbox queue is shared with
SKIP LOCKED, the facts' refresh takes a row lock, the purges delete what is there), so a
deployment runs one worker or more, as it likes.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    function: str  # dotted path; imported when the job first runs

    def run(self) -> str:
        result: Callable[[], str] = import_string(self.function)
        return result()


def periodic_jobs() -> list[PeriodicJob]:
    """Every job the installed apps declare, by name."""
    found: dict[str, PeriodicJob] = {}
    for config in apps.get_app_configs():
        for job in getattr(config, "periodic_jobs", ()):
            if job.name in found:
                raise ValueError(f"Two apps declare the periodic job {job.name!r}.")
            found[job.name] = job
    return sorted(found.values(), key=lambda job: job.name)


@dataclass
class Outcome:
    job: str
    ok: bool
    line: str


@dataclass
class Scheduler:
    """When each job is next due, on a monotonic clock (seconds)."""

    jobs: Sequence[PeriodicJob]
    clock: Callable[[], float] = time.monotonic
    next_run: dict[str, float] = field(default_factory=dict)

    def due(self) -> list[PeriodicJob]:
        now = self.clock()
        return [job for job in self.jobs if self.next_run.get(job.name, now) <= now]

    def run_due(self) -> list[Outcome]:
        outcomes = []
        for job in self.due():
            started = self.clock()
            self.next_run[job.name] = started + job.every.total_seconds()
            outcomes.append(_run(job))
        return outcomes

    def seconds_to_next(self) -> float:
        now = self.clock()
        return max(
            0.0, min((self.next_run.get(job.name, now) for job in self.jobs), default=1.0) - now
        )


def _drop_broken_connections() -> None:
    """Close the connections that broke or aged (`CONN_MAX_AGE`) while the worker slept, as
    Django does between requests; never one inside a transaction (a test's)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def _run(job: PeriodicJob) -> Outcome:
    _drop_broken_connections()
    try:
        line = job.run()
    except Exception as exc:  # a job's failure is logged; the worker goes on
        logger.exception("Periodic job %s failed", job.name)
        return Outcome(job.name, False, f"{type(exc).__name__}: {exc}")
    finally:
        _drop_broken_connections()
    if line:
        logger.info("%s: %s", job.name, line)
    return Outcome(job.name, True, line)


def select(jobs: Iterable[PeriodicJob], names: Iterable[str]) -> list[PeriodicJob]:
    """The jobs named, in their order; an unknown name is refused."""
    by_name = {job.name: job for job in jobs}
    wanted = list(names)
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        raise ValueError(
            f"Unknown job(s): {', '.join(unknown)}. Known: {', '.join(sorted(by_name))}."
        )
    return [by_name[name] for name in sorted(set(wanted))]
