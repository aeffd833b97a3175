"""`motcua worker`: runs the periodic jobs the apps declare (see `integrations.jobs`)
until stopped (SIGTERM or Ctrl-C ends it after the job in hand). --only runs some of them,
--once runs each once and exits, --list prints them."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations.jobs import Scheduler, periodic_jobs, select


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (outbox delivery, report facts, purges) until stopped; "
        "--only JOB... runs some, --once runs each once, --list prints them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="+", metavar="JOB", default=[])
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic_jobs()
        if options["only"]:
            try:
                jobs = select(jobs, options["only"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if options["list"]:
            for job in jobs:
                self.stdout.write(f"{job.name}\tevery {job.every}\t{job.function}")
            return
        scheduler = Scheduler(jobs)
        stop = threading.Event()
        if not options["once"]:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        failed = 0
        while not stop.is_set():
            for outcome in scheduler.run_due():
                if outcome.ok:
                    if outcome.line:
                        self.stdout.write(f"{outcome.job}: {outcome.line}")
                else:
                    failed += 1
                    self.stderr.write(f"{outcome.job} failed: {outcome.line}")
            if options["once"]:
                break
            stop.wait(scheduler.seconds_to_next())
        if options["once"] and failed:
            raise CommandError(f"{failed} job(s) failed.")
