from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "motcua.agencies"
    verbose_name = _("Agencies and officers")

    def ready(self) -> None:
        from . import lookup
        from .models import Agency

        # Keep this process's agencies by code in step with its edits.
        post_save.connect(lookup.forget, sender=Agency, dispatch_uid="forget-agency")
        post_delete.connect(lookup.forget, sender=Agency, dispatch_uid="forget-agency-d")
