import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from motcua.integrations.jobs import PeriodicJob


def _register_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite has no unaccent: give it `domain.text.fold` for the name search."""
    if connection.vendor == "sqlite":
        from motcua.domain.text import fold

        connection.connection.create_function(
            "motcua_fold",
            1,
            lambda value: fold(value) if value is not None else None,
            deterministic=True,
        )


class BackofficeConfig(AppConfig):
    name = "motcua.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")
    # The officers' morning e-mail of work coming due (see `reminders`).
    periodic_jobs = (
        PeriodicJob(
            "officer-reminders",
            dt.timedelta(minutes=15),
            "motcua.backoffice.reminders.reminders_job",
        ),
    )

    def ready(self) -> None:
        connection_created.connect(_register_fold, dispatch_uid="motcua_backoffice_fold")
