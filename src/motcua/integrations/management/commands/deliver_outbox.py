"""`motcua deliver-outbox`: the outbox worker (see `integrations.delivery`). Runs until
stopped (SIGTERM or Ctrl-C ends it after the message in hand), looking for due messages
every --interval seconds; with --once it delivers what is due now and exits, for cron."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations.delivery import Policy, Report, deliver_all_due, every_destination


class Command(BaseCommand):
    help = (
        "Deliver the outbox (the notices to people and the webhooks of "
        "MOTCUA_OUTBOX_WEBHOOKS), every --interval "
        "seconds (default 2) until stopped, or with --once what is due now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0)
        parser.add_argument("--batch", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0 or options["batch"] < 1:
            raise CommandError("--interval must be positive and --batch at least 1.")
        try:
            destinations = every_destination()
            policy = Policy.from_settings()
        except (ImproperlyConfigured, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.verbose = options["verbosity"] >= 2
        stop = threading.Event()
        if not options["once"]:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        total = Report()
        while not stop.is_set():
            report = deliver_all_due(
                batch=options["batch"],
                destinations=destinations,
                policy=policy,
                stopping=stop.is_set,
            )
            total.add(report)
            for error in report.errors:
                self.stderr.write(f"given up: {error}")
            if report.taken and self.verbose:
                self.stdout.write(f"{report}.")
            if options["once"]:
                break
            stop.wait(options["interval"])
        self.stdout.write(f"{total}.")
