import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .jobs import PeriodicJob


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = _("Integrations")
    periodic_jobs = (
        PeriodicJob(
            "deliver-outbox", dt.timedelta(seconds=2), "motcua.integrations.delivery.delivery_job"
        ),
        PeriodicJob(
            "purge-outbox-messages", dt.timedelta(hours=1), "motcua.integrations.delivery.purge_job"
        ),
        PeriodicJob(
            "purge-orphan-files",
            dt.timedelta(hours=1),
            "motcua.integrations.orphan_files.purge_job",
        ),
    )

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the notification backend check)
