from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "motcua.procedures"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        from . import process
        from .models import ChannelOption, Procedure, ProcedureVersion, ProcessStep

        # Keep the cached processes of this process's versions in step with its edits.
        for model in (ChannelOption, ProcessStep, ProcedureVersion):
            post_save.connect(process.forget, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(process.forget, sender=model, dispatch_uid=f"forget-{model}-d")
        # And the version in force of each procedure code with its catalogue edits.
        for catalogue_model in (Procedure, ProcedureVersion):
            uid = f"forget-in-force-{catalogue_model}"
            post_save.connect(process.forget_in_force, sender=catalogue_model, dispatch_uid=uid)
            post_delete.connect(
                process.forget_in_force, sender=catalogue_model, dispatch_uid=f"{uid}-d"
            )
