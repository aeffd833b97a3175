"""Results sent to applicants by the public postal service (dịch vụ bưu chính công ích)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import Dossier


class ShipmentStatus(models.TextChoices):
    """Where the shipment is, as the postal service reports it (booked: by us)."""

    BOOKED = "booked", pgettext_lazy("shipment", "handed to the postal service")
    IN_TRANSIT = "in_transit", pgettext_lazy("shipment", "in transit")
    DELIVERY_FAILED = "delivery_failed", pgettext_lazy("shipment", "not delivered at this attempt")
    DELIVERED = "delivered", pgettext_lazy("shipment", "delivered")
    RETURNED = "returned", pgettext_lazy("shipment", "returned to the agency")


class PostalShipment(models.Model):
    """The shipment booked with the postal service for a dossier's result: its tracking
    number (mã vận đơn) is what the applicant and the desk follow it by, and its status the
    latest the postal service reported (`services.shipment_record_status`)."""

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
    status = models.CharField(
        _("status"), max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.BOOKED
    )
    status_at = models.DateTimeField(_("status at"), help_text=_("When the status was reached."))
    status_note = models.CharField(
        _("status note"),
        max_length=500,
        blank=True,
        help_text=_("What the postal service said, such as why it could not deliver."),
    )

    class Meta:
        verbose_name = _("postal shipment")
        verbose_name_plural = _("postal shipments")
        constraints = [
            models.UniqueConstraint(fields=["tracking_number"], name="postal_tracking_unique")
        ]

    def __str__(self) -> str:
        return self.tracking_number
