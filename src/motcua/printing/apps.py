from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "motcua.printing"
    label = "printing"
    verbose_name = _("Legal forms")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the PDF engine check)
