from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Where `models.dossier_file_path` writes uploads; `motcua purge-orphan-files` sweeps it.
UPLOAD_DIRECTORY = "dossiers"


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Dossiers")
    upload_directories = (UPLOAD_DIRECTORY,)
    # The applicant's notices by SMS and e-mail (see `notices`).
    outbox_destinations = ("motcua.dossiers.notices.applicant_notices",)
