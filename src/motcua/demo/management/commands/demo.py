"""`motcua demo`: load the demo province (idempotent), then print the demo accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.loader import format_credentials, load_demo


class Command(BaseCommand):
    help = (
        "Create or update the demo province, its officers and procedure catalogue. Safe to "
        "run again: it changes only what differs from the demo data, and never resets a "
        "password."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(format_credentials(summary.credentials, summary.password))
