import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.integrations.jobs import PeriodicJob


class ApiConfig(AppConfig):
    name = "motcua.api"
    label = "api"
    verbose_name = _("JSON API")
    periodic_jobs = (
        PeriodicJob(
            "purge-idempotency-records", dt.timedelta(hours=1), "motcua.api.idempotency.purge_job"
        ),
    )
