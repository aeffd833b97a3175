"""Hand-offs to other systems (national portal, notifications, payment, post), written in
the same transaction as the change that caused them and delivered later by a worker; and
what other systems need to call us: API tokens and the idempotency records of their POSTs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua import db
from motcua.agencies.models import Agency, Membership, active_on_sql

# Neither delivered nor given up: what the worker still has to deliver.
PENDING = models.Q(delivered_at__isnull=True, failed_at__isnull=True)


class OutboxMessage(models.Model):
    topic = models.CharField(_("topic"), max_length=64)
    key = models.CharField(
        _("idempotency key"),
        max_length=128,
        help_text=_("Receivers use it to ignore a message delivered twice."),
    )
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"))
    # Pending while neither is set; see `integrations.delivery`.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(
        _("given up at"),
        null=True,
        blank=True,
        help_text=_("Delivery stopped after a final refusal or too many attempts."),
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        default=timezone.now,
        help_text=_("A worker that takes the message moves it on until its attempt ends."),
    )
    delivered_to = models.JSONField(
        _("delivered to"),
        default=list,
        blank=True,
        help_text=_("The destinations that took it; another attempt skips them."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        # Not `unique=True` on the field: on PostgreSQL that adds a LIKE index too.
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_key_unique")]
        indexes = [
            # The worker's queue: only pending messages, in the order they fall due.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_pending_idx",
                condition=PENDING,
            ),
            # The few given up, for the admin.
            models.Index(
                fields=["failed_at"],
                name="outbox_failed_idx",
                condition=models.Q(failed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"

    @property
    def state(self) -> str:
        if self.delivered_at is not None:
            return "delivered"
        return "failed" if self.failed_at is not None else "pending"


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    # Told by an officer another way (a phone call, a letter) after the notice failed.
    BY_HAND = "by_hand", _("another way, by the desk")


class SentNotice(models.Model):
    """A notice that reached a person's phone or mailbox: the proof that the applicant was
    told (a supplement request within 1 working day, an apology letter, a result), and what
    keeps a retried outbox message from sending it twice (one per message and channel). Only
    the masked address is kept: the full one is on the dossier or complaint. Kept after the
    outbox message is purged."""

    key = models.CharField(
        _("outbox message"),
        max_length=128,
        help_text=_("The idempotency key of the outbox message it was sent for."),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=NoticeChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=255, help_text=_("Masked."))
    text = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [
            models.UniqueConstraint(fields=["key", "channel"], name="sent_notice_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient} [{self.key}]"


# --- API access ----------------------------------------------------------------------------

API_SCOPES = ("read", "write", "public")
"""What a token may do: `read` the catalogue and the dossiers its user may see, `write`
(submit, receive and act on dossiers), `public` (relay public status lookups, rate limited
per token instead of per client address)."""

API_TOKEN_PREFIX = "mc_"


def validate_scopes(value: str) -> None:
    scopes = [s.strip() for s in value.split(",") if s.strip()]
    if not scopes or any(s not in API_SCOPES for s in scopes):
        raise ValidationError(
            _("List scopes among %(scopes)s, separated by commas."),
            params={"scopes": ", ".join(API_SCOPES)},
            code="invalid_scopes",
        )


def api_token_digest(secret: str) -> str:
    """The stored form of a token secret. Secrets are 256 random bits, so a plain SHA-256 is
    enough: there is nothing to brute-force, and the lookup stays one indexed equality."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(
        self,
        *,
        user: Any,
        name: str,
        scopes: Iterable[str],
        expires_at: dt.datetime | None = None,
    ) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret. The secret is not stored: this is
        the only moment anyone can see it."""
        wanted = sorted({s.strip() for s in scopes if s.strip()})
        validate_scopes(",".join(wanted))
        secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            name=name,
            key_prefix=secret[: len(API_TOKEN_PREFIX) + 6],
            key_hash=api_token_digest(secret),
            scopes=",".join(wanted),
            expires_at=expires_at,
        )
        return token, secret

    def with_memberships(
        self, key_hash: str, day: dt.date
    ) -> tuple[ApiToken, list[Membership]] | None:
        """The token whose secret has this digest, its user loaded, with the user's
        memberships on `day` and their agencies (`Membership.objects.of_user_on`), or None:
        one statement, built once per process, as every API request made with a token
        needs both, the memberships to know what its caller may do."""
        user_fk = self.model._meta.get_field("user")
        user_model = user_fk.related_model
        tables: list[tuple[type[models.Model], str]] = [
            (self.model, "t"),
            (user_model, "u"),
            (Membership, "m"),
            (Agency, "a"),
        ]
        quote = connections[self.db].ops.quote_name

        def build(columns: str) -> str:
            return (
                f"SELECT {columns} FROM {quote(self.model._meta.db_table)} t "
                f"INNER JOIN {quote(user_model._meta.db_table)} u ON u.id = t.user_id "
                f"LEFT JOIN {quote(Membership._meta.db_table)} m "
                f"ON m.user_id = t.user_id AND {active_on_sql('m')} "
                f"LEFT JOIN {quote(Agency._meta.db_table)} a ON a.id = m.agency_id "
                "WHERE t.key_hash = %s ORDER BY m.id"
            )

        rows = db.select_models(
            "api token with memberships",
            tables,
            build,
            [*Membership.objects.active_on_params(day), key_hash],
            using=self.db,
        )
        if not rows:
            return None
        token, user = rows[0][0], rows[0][1]
        user_fk.set_cached_value(token, user)
        agency_fk = Membership._meta.get_field("agency")
        membership_user_fk = Membership._meta.get_field("user")
        memberships = []
        for _token, _user, membership, agency in rows:
            if membership is not None:
                agency_fk.set_cached_value(membership, agency)
                membership_user_fk.set_cached_value(membership, user)
                memberships.append(membership)
        return token, memberships


class ApiToken(models.Model):
    """A bearer token of an officer or of a service user standing for another system. Only
    the SHA-256 of the secret is stored; the secret is shown once, at creation."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    key_prefix = models.CharField(
        _("key prefix"),
        max_length=16,
        editable=False,
        help_text=_("The first characters of the secret, to recognise the token."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.CharField(
        _("scopes"),
        max_length=64,
        help_text=_("Comma-separated, among: read, write, public."),
        validators=[validate_scopes],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s.strip() for s in self.scopes.split(",") if s.strip())

    def is_usable(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class IdempotencyRecord(models.Model):
    """The outcome of one POST made with an `Idempotency-Key`, so that a retry gets the same
    answer and changes nothing. Written in the transaction of the action it guards. Its
    references have no database constraint, as the dossier's (see `dossiers.models.Dossier`):
    users and tokens are deactivated and revoked, not deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
        db_index=False,  # idempotency_user_key_unique
    )
    token = models.ForeignKey(
        ApiToken,
        on_delete=models.SET_NULL,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API token"),
        db_index=False,  # tokens are revoked, not deleted; a deletion may scan
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=512)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # The answer as it was sent, replayed byte for byte.
    response_body = models.TextField(blank=True, default="")
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
