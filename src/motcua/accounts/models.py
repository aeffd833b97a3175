"""Applicant accounts: the profile used to prefill online submissions, the identities an
applicant signs in with (a verified e-mail or phone, an OIDC subject), and one-time codes.

An applicant is a plain Django user with no password. Sign-in looks a user up only through
`SignInIdentity`, so an officer's account can never be entered with a one-time code sent to
an address that happens to match."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applicant_profile",
        verbose_name=_("user"),
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    personal_id = models.CharField(_("personal ID number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")

    def __str__(self) -> str:
        return self.full_name or str(self.user)


class SignInIdentity(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone")
        OIDC = "oidc", _("identity provider")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sign_in_identities",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # e-mail (lower case), phone (0xxxxxxxxx), or "<issuer> <subject>" for OIDC.
    value = models.CharField(_("value"), max_length=400)
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("sign-in identity")
        verbose_name_plural = _("sign-in identities")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="accounts_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class SignInCode(models.Model):
    """A one-time code sent to `identifier`. Only its keyed hash is stored."""

    identifier = models.CharField(_("identifier"), max_length=254)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["identifier", "-created_at"], name="accounts_code_idx")]

    def __str__(self) -> str:
        return f"{self.identifier} @ {self.created_at:%Y-%m-%d %H:%M}"


class OfficerTotp(models.Model):
    """An officer's authenticator-app second factor (RFC 6238). Unconfirmed until the
    first code from the app is typed back; `last_step` is the time-step of the last code
    accepted, so no code is good twice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="officer_totp",
        verbose_name=_("user"),
    )
    secret = models.CharField(_("secret key (base32)"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last time-step used"), default=-1)

    class Meta:
        verbose_name = _("authenticator second factor")
        verbose_name_plural = _("authenticator second factors")

    def __str__(self) -> str:
        return f"{self.user} ({'on' if self.confirmed_at else 'pending'})"


class RecoveryCode(models.Model):
    """A one-use code that stands in for the authenticator when the phone is lost. Only
    its keyed hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("user"),
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="accounts_recovery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} recovery code"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("by e-mail")
    SMS = "sms", _("by SMS")
    OFF = "off", _("not at all")


class OfficerPreferences(models.Model):
    """How an officer takes the morning reminders of work coming due
    (`backoffice.reminders`): by e-mail (the default, to the account's address), by SMS to
    the mobile number given here, or not at all. An officer without a row is reminded by
    e-mail when the account has an address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="officer_preferences",
        verbose_name=_("user"),
    )
    reminders = models.CharField(
        _("reminders"),
        max_length=8,
        choices=ReminderChannel.choices,
        default=ReminderChannel.EMAIL,
    )
    phone = models.CharField(
        _("mobile phone"), max_length=15, blank=True, help_text=_("For reminders by SMS.")
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("officer's preferences")
        verbose_name_plural = _("officers' preferences")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reminders="sms") | ~models.Q(phone=""),
                name="accounts_sms_reminders_need_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.reminders}"
