"""The signed forms motcua issued, by their content, so that anyone holding one can check
it is genuine (the portal's "Kiểm tra văn bản")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier


class IssuedForm(models.Model):
    """A form signed and handed out (printed or downloaded): its SHA-256, which form, for
    which dossier (none for a tracking book), by which agency, when. A form printed again is
    signed again, at another moment: a new row."""

    sha256 = models.CharField(max_length=64, unique=True)
    form = models.CharField(_("form"), max_length=2)
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("dossier"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("issuing agency"),
    )
    signed_by = models.CharField(_("signed by"), max_length=255)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("form issued")
        verbose_name_plural = _("forms issued")

    def __str__(self) -> str:
        return f"{self.form} {self.sha256[:12]}"
