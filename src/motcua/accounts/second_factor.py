"""The optional authenticator-app second factor of officers who lead or administer an
agency (RFC 6238 codes, `motcua.domain.totp`), with one-use recovery codes.

Enrolment: `totp_enrolment_start` draws a secret (shown as a QR code and as a key), and
`totp_enrolment_confirm` switches the factor on once the officer types back a first code;
it issues the recovery codes, shown once. From then on the back office asks for a code
after the password (`totp_check`). Checks are rate limited per account
(`MOTCUA_TOTP_RATE`, "10/hour"), a code is good once, a recovery code once.
`totp_disable` asks for a current code or a recovery code.

This is the only way into an officer account after the password: the applicants' one-time
codes (`accounts.services`) open applicant accounts only and are never taken here."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Membership, Role
from motcua.domain import totp
from motcua.integrations import ratelimit

from .exceptions import AccountError, RateLimited
from .models import OfficerTotp, RecoveryCode

ELIGIBLE_ROLES = (Role.LEADER, Role.DIVISION_HEAD, Role.AGENCY_ADMIN)
RECOVERY_CODES = 10
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
ISSUER = "Một cửa"
log = logging.getLogger(__name__)
_RECOVERY_SALT = "motcua.accounts.recovery-code"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class NotEligible(AccountError):
    code = "totp_not_eligible"


class NotEnrolled(AccountError):
    code = "totp_not_enrolled"


class TotpWrong(AccountError):
    code = "totp_wrong"
    default_message = gettext_lazy("This code is not right. Type the code the app shows now.")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def is_eligible(user: User, *, on: dt.date) -> bool:
    """Whether `user` may switch the second factor on: a superuser, or an active member
    of an agency as its leader, a division head or its administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.active_on(on).filter(user=user, role__in=ELIGIBLE_ROLES).exists()


def is_enrolled(user: User) -> bool:
    """Whether sign-in asks `user` for a code after the password."""
    return OfficerTotp.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def _recovery_hash(user: User, code: str) -> str:
    normalised = totp.normalise_code(code).lower()
    return salted_hmac(_RECOVERY_SALT, f"{user.pk}:{normalised}", algorithm="sha256").hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _limit(user: User, now: dt.datetime) -> None:
    rate = ratelimit.Rate.from_setting("MOTCUA_TOTP_RATE", "10/hour")
    retry_after = ratelimit.hit("totp", str(user.pk), rate, now=now.timestamp())
    if retry_after is not None:
        raise RateLimited(retry_after)


@transaction.atomic
def totp_enrolment_start(*, user: User, now: dt.datetime | None = None) -> str:
    """Draw a new secret for `user` (replacing any enrolment not confirmed yet) and return
    it as its base32 key. An enrolled officer disables the factor first."""
    now = _now(now)
    if not is_eligible(user, on=timezone.localdate(now)):
        raise NotEligible(
            _("Only agency leaders, division heads and administrators use a second factor.")
        )
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = OfficerTotp.objects.filter(user_id=user.pk).first()
    if current is not None and current.confirmed_at is not None:
        raise AccountError(_("The second factor is already on. Turn it off first."))
    key = totp.secret_to_text(secrets.token_bytes(SECRET_BYTES))
    OfficerTotp.objects.update_or_create(
        user=user,
        defaults={"secret": key, "created_at": now, "confirmed_at": None, "last_step": -1},
    )
    return key


def provisioning(user: User) -> tuple[str, str]:
    """(otpauth address for the QR code, key in groups of four) of the enrolment pending;
    NotEnrolled when there is none."""
    pending = OfficerTotp.objects.filter(user_id=user.pk, confirmed_at__isnull=True).first()
    if pending is None:
        raise NotEnrolled(_("Start the set-up again."))
    secret = totp.secret_from_text(pending.secret)
    return (
        totp.provisioning_uri(secret, account=user.get_username(), issuer=ISSUER),
        totp.grouped(pending.secret),
    )


def _accept(factor: OfficerTotp, code: str, now: dt.datetime) -> bool:
    step = totp.verify(
        totp.secret_from_text(factor.secret), code, now.timestamp(), last_step=factor.last_step
    )
    if step is None:
        return False
    factor.last_step = step
    factor.save(update_fields=["last_step"])
    return True


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str, now: dt.datetime | None = None) -> list[str]:
    """Switch the factor on with the first code from the app; returns the recovery codes
    (only their hashes are kept: they are shown this once)."""
    now = _now(now)
    _limit(user, now)
    factor = (
        OfficerTotp.objects.select_for_update()
        .filter(user_id=user.pk, confirmed_at__isnull=True)
        .first()
    )
    if factor is None:
        raise NotEnrolled(_("Start the set-up again."))
    if not _accept(factor, code, now):
        raise TotpWrong
    factor.confirmed_at = now
    factor.save(update_fields=["confirmed_at"])
    log.info("second factor on for user %s", user.pk)
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(user, c), created_at=now) for c in codes
    )
    return codes


def _check(user: User, code: str, now: dt.datetime) -> bool:
    factor = (
        OfficerTotp.objects.select_for_update()
        .filter(user_id=user.pk, confirmed_at__isnull=False)
        .first()
    )
    if factor is None:
        raise NotEnrolled(_("The second factor is not on for this account."))
    if _accept(factor, code, now):
        return True
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(user, code), used_at__isnull=True
    ).update(used_at=now)
    if used:
        log.info("recovery code used by user %s", user.pk)
    return used == 1


@transaction.atomic
def totp_check(*, user: User, code: str, now: dt.datetime | None = None) -> None:
    """The second step of an officer's sign-in: a code from the app, or a recovery code
    (which is then used up). CodeWrong or RateLimited when not accepted."""
    now = _now(now)
    _limit(user, now)
    if not _check(user, code, now):
        raise TotpWrong


@transaction.atomic
def totp_disable(*, user: User, code: str, now: dt.datetime | None = None) -> None:
    """Switch the factor off (a current code or a recovery code proves the phone or the
    paper is at hand); the recovery codes go with it."""
    now = _now(now)
    _limit(user, now)
    if not _check(user, code, now):
        raise TotpWrong
    OfficerTotp.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    log.info("second factor off for user %s", user.pk)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()
