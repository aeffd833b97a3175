"""The portal's own state: drafts of online submissions.

A draft keeps what the applicant typed and chose (applicant data, the way of receiving the
result) so they can come back to it; the files are not kept: they are checked and stored
only when the dossier is submitted (a draft is not a dossier, and unreferenced uploads
would pile up in the storage)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionDraft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("applicant account"),
        db_index=False,  # submission_draft_unique
    )
    procedure_code = models.CharField(_("procedure code"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("submission draft")
        verbose_name_plural = _("submission drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "procedure_code"], name="submission_draft_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.procedure_code}"
