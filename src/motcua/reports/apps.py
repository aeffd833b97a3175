import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.integrations.jobs import PeriodicJob


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Reports")
    periodic_jobs = (
        PeriodicJob("refresh-facts", dt.timedelta(minutes=5), "motcua.reports.facts.refresh_job"),
    )
