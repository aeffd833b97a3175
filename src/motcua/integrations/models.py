"""Hand-offs to other systems (national portal, notifications, payment, post), written in
the same transaction as the change that caused them and delivered later by a worker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    topic = models.CharField(_("topic"), max_length=64)
    key = models.CharField(
        _("idempotency key"),
        max_length=128,
        unique=True,
        help_text=_("Receivers use it to ignore a message delivered twice."),
    )
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_undelivered_idx",
                condition=models.Q(delivered_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"
