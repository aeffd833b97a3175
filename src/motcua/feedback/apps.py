from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Where `models.attachment_path` writes uploads; `motcua purge-orphan-files` sweeps it.
UPLOAD_DIRECTORY = "complaints"


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Ratings and complaints")
    upload_directories = (UPLOAD_DIRECTORY,)
    # The senders' notices by SMS and e-mail (see `notices`).
    outbox_destinations = ("motcua.feedback.notices.complaint_notices",)
