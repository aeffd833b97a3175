from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "motcua.national"
    label = "national"
    verbose_name = _("National public service portal")
    # The dossiers' records for the national portal (see `sync`), when one is set.
    outbox_destinations = ("motcua.national.sync.national_portal",)
