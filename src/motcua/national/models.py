"""What the national public service portal (Cổng DVCQG) has of our dossiers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class NationalSync(models.Model):
    """A dossier the national portal took a record of: when first (the 766 index's
    indicator 1.4 counts the dossiers synced), when last, and the status it was sent."""

    dossier = models.OneToOneField(
        Dossier,
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="national_sync",
        verbose_name=_("dossier"),
    )
    first_synced_at = models.DateTimeField(_("first synced at"))
    synced_at = models.DateTimeField(_("last synced at"))
    status = models.CharField(_("status sent"), max_length=32)

    class Meta:
        verbose_name = _("dossier synced to the national portal")
        verbose_name_plural = _("dossiers synced to the national portal")

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.synced_at:%Y-%m-%d %H:%M}"
