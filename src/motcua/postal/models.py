"""Results sent to applicants by the public postal service (dịch vụ bưu chính công ích)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class PostalShipment(models.Model):
    """The shipment booked with the postal service for a dossier's result: its tracking
    number (mã vận đơn) is what the applicant and the desk follow it by."""

    dossier = models.OneToOneField(
        Dossier,
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="postal_shipment",
        verbose_name=_("dossier"),
    )
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    booked_at = models.DateTimeField(_("booked at"))
    recipient = models.CharField(_("recipient"), max_length=255)
    address = models.CharField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("postal shipment")
        verbose_name_plural = _("postal shipments")

    def __str__(self) -> str:
        return self.tracking_number
