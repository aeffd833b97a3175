"""Fee payments (thanh toán phí, lệ phí) for dossiers.

`CollectingAccount` holds the bank account an agency collects fees into (a model per agency
rather than a settings mapping: administrators change accounts without a deployment, and
an agency without one uses its nearest ancestor's, so one provincial account can serve
every commune). `PaymentRequest` is one amount the applicant owes for a dossier; it copies
the account it was issued for, so its VietQR code never changes under the payer. Only
`payments/services.py` writes these rows."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.agencies.models import Agency
from motcua.domain import vietqr
from motcua.dossiers.models import Dossier


class CollectingAccount(models.Model):
    agency = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        related_name="collecting_account",
        verbose_name=_("agency"),
    )
    bank_bin = models.CharField(
        _("bank BIN"), max_length=6, help_text=_("The bank's 6-digit NAPAS code, e.g. 970436.")
    )
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    account_number = models.CharField(_("account number"), max_length=vietqr.MAX_ACCOUNT_LENGTH)
    account_name = models.CharField(_("account name"), max_length=255)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("collecting account")
        verbose_name_plural = _("collecting accounts")

    def __str__(self) -> str:
        return f"{self.account_name} · {self.account_number} ({self.bank_bin})"

    def clean(self) -> None:
        """The account must fit in a VietQR code, or no applicant could pay into it."""
        try:
            vietqr.validate(vietqr.VietQR(bin=self.bank_bin, account=self.account_number))
        except vietqr.VietQRError as exc:
            field = "bank_bin" if exc.field == "bin" else "account_number"
            message = (
                _("The bank BIN must be 6 digits.")
                if field == "bank_bin"
                else _("The account number may hold only letters and digits, at most 19.")
            )
            raise ValidationError({field: message}) from exc


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    QR = "qr", _("Bank transfer by VietQR")
    GATEWAY = "gateway", _("Payment gateway")
    MANUAL = "manual", _("Transfer or cash confirmed by an officer")


class PaymentRequest(models.Model):
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="payments", verbose_name=_("dossier")
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    description = models.CharField(pgettext_lazy("payment", "description"), max_length=255)
    purpose = models.CharField(
        _("transfer purpose"),
        max_length=vietqr.MAX_TEXT_LENGTH,
        help_text=_("Carried in the VietQR code: the dossier code."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.PENDING
    )
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices, blank=True)
    # The account the request was issued for (a copy: the QR code must not change).
    bank_bin = models.CharField(_("bank BIN"), max_length=6)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    account_number = models.CharField(_("account number"), max_length=vietqr.MAX_ACCOUNT_LENGTH)
    account_name = models.CharField(_("account name"), max_length=255)
    reference = models.CharField(
        _("payment reference"),
        max_length=100,
        blank=True,
        help_text=_("Bank transaction or receipt number."),
    )
    gateway_reference = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["dossier", "state"], name="payment_dossier_state_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(state="paid") | (Q(paid_at__isnull=False) & ~Q(method="")),
                name="payment_paid_has_moment_and_method",
            ),
            models.UniqueConstraint(
                fields=["gateway_reference"],
                condition=~Q(gateway_reference=""),
                name="payment_gateway_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.amount} VND ({self.get_state_display()})"

    @property
    def qr(self) -> vietqr.VietQR:
        return vietqr.VietQR(
            bin=self.bank_bin,
            account=self.account_number,
            amount=self.amount,
            purpose=self.purpose,
        )

    def qr_payload(self) -> str:
        """The VietQR (NAPAS) payload a banking app scans to pay this request."""
        return vietqr.build(self.qr)
