from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostalConfig(AppConfig):
    name = "motcua.postal"
    label = "postal"
    verbose_name = _("Public postal service")
    # Shipments of results to applicants who asked for them by post (see `service`), and
    # the applicant's notices of their journey (see `notices`).
    outbox_destinations = (
        "motcua.postal.service.postal_service",
        "motcua.postal.notices.postal_notices",
    )
