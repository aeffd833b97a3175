"""Applicant sign-in and profile, and the officers' preferences: every write of the
accounts app (the officers' second factor is in `second_factor`).

One-time codes: 6 digits, stored as a keyed hash bound to the identifier, valid
`MOTCUA_SIGNIN_CODE_TTL_SECONDS` (300), at most `MOTCUA_SIGNIN_CODE_MAX_ATTEMPTS` (5) guesses,
a new code not before `MOTCUA_SIGNIN_CODE_RESEND_SECONDS` (60); requests are rate limited per
identifier (`MOTCUA_SIGNIN_CODE_RATE_IDENTIFIER`, "5/hour") and per client address
(`MOTCUA_SIGNIN_CODE_RATE_CLIENT`, "20/hour"), checks per client address
(`MOTCUA_SIGNIN_VERIFY_RATE_CLIENT`, "30/hour"). Codes travel through the notification
adapter (`motcua.integrations.notifications`), outside the database transaction, so a slow
gateway never holds a lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.integrations import ratelimit
from motcua.integrations.notifications import NotificationError, Notifier, notifier

from .exceptions import (
    AccountError,
    CodeExpired,
    CodeNotSent,
    CodeWrong,
    InvalidIdentifier,
    InvalidPhone,
    RateLimited,
    ResendTooSoon,
    TooManyAttempts,
)
from .identifiers import Identifier, is_phone, normalise_phone, parse_identifier
from .models import (
    ApplicantProfile,
    OfficerPreferences,
    ReminderChannel,
    SignInCode,
    SignInIdentity,
)

_HASH_SALT = "motcua.accounts.sign-in-code"
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def _int_setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_ttl() -> dt.timedelta:
    return dt.timedelta(seconds=_int_setting("MOTCUA_SIGNIN_CODE_TTL_SECONDS", 300))


def max_attempts() -> int:
    return _int_setting("MOTCUA_SIGNIN_CODE_MAX_ATTEMPTS", 5)


def _code_hash(identifier: str, code: str) -> str:
    return salted_hmac(_HASH_SALT, f"{identifier}:{code}", algorithm="sha256").hexdigest()


def _limit(bucket: str, subject: str, setting: str, default: str, now: dt.datetime) -> None:
    rate = ratelimit.Rate.from_setting(setting, default)
    retry_after = ratelimit.hit(bucket, subject, rate, now=now.timestamp())
    if retry_after is not None:
        raise RateLimited(retry_after)


def _identifier(raw: str) -> Identifier:
    identifier = parse_identifier(raw)
    if identifier is None:
        raise InvalidIdentifier()
    return identifier


@dataclass(frozen=True)
class CodeSent:
    identifier: Identifier
    expires_at: dt.datetime


@transaction.atomic
def _code_issue(*, identifier: Identifier, now: dt.datetime) -> str:
    """Replace the identifier's codes by a new one; the clear code is returned, never stored."""
    resend = dt.timedelta(seconds=_int_setting("MOTCUA_SIGNIN_CODE_RESEND_SECONDS", 60))
    last = (
        SignInCode.objects.filter(identifier=identifier.value)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and now < last + resend:
        raise ResendTooSoon(max(1, int((last + resend - now).total_seconds()) + 1))
    # Earlier codes stop working as soon as a new one is asked for: one live code at most.
    SignInCode.objects.filter(identifier=identifier.value).delete()
    code = f"{secrets.randbelow(10**6):06d}"
    SignInCode.objects.create(
        identifier=identifier.value,
        code_hash=_code_hash(identifier.value, code),
        created_at=now,
        expires_at=now + code_ttl(),
    )
    return code


def sign_in_code_request(
    *, raw_identifier: str, client: str, now: dt.datetime, via: Notifier | None = None
) -> CodeSent:
    """Send a new one-time code to an e-mail address or a mobile number (sign-up and login
    are the same act: the account is created when the code is first verified).

    Raises InvalidIdentifier, RateLimited, ResendTooSoon, or CodeNotSent when the adapter
    fails (the code is then withdrawn, so the cooldown does not punish the applicant)."""
    identifier = _identifier(raw_identifier)
    _limit("request-client", client, "MOTCUA_SIGNIN_CODE_RATE_CLIENT", "20/hour", now)
    _limit(
        "request-identifier",
        identifier.value,
        "MOTCUA_SIGNIN_CODE_RATE_IDENTIFIER",
        "5/hour",
        now,
    )
    code = _code_issue(identifier=identifier, now=now)
    minutes = int(code_ttl().total_seconds() // 60)
    text = _(
        "Your motcua verification code is %(code)s. It is valid for %(minutes)s minutes. "
        "Do not share it with anyone."
    ) % {"code": code, "minutes": minutes}
    backend = via if via is not None else notifier()
    try:
        if identifier.kind == "phone":
            backend.send_sms(identifier.value, text)
        else:
            backend.send_email(identifier.value, _("Your motcua verification code"), text)
    except NotificationError as exc:
        SignInCode.objects.filter(identifier=identifier.value, created_at=now).delete()
        raise CodeNotSent() from exc
    return CodeSent(identifier=identifier, expires_at=now + code_ttl())


@dataclass(frozen=True)
class SignedIn:
    user: User
    created: bool


def _unique_username(base: str) -> str:
    stem = _USERNAME_UNSAFE.sub("_", base)[:140] or "applicant"
    candidate, n = stem, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _applicant_for(
    *,
    kind: str,
    value: str,
    username_base: str,
    now: dt.datetime,
    profile: dict[str, str] | None = None,
) -> SignedIn:
    """The user holding this identity, or a new applicant (user, identity, profile)."""
    identity = SignInIdentity.objects.select_related("user").filter(kind=kind, value=value).first()
    if identity is not None:
        return SignedIn(user=identity.user, created=False)
    fields = profile or {}
    user = User(username=_unique_username(username_base), email=fields.get("email", ""))
    user.set_unusable_password()
    user.save()
    SignInIdentity.objects.create(user=user, kind=kind, value=value, verified_at=now)
    ApplicantProfile.objects.create(
        user=user,
        full_name=fields.get("full_name", "")[:200],
        phone=fields.get("phone", "")[:15],
        email=fields.get("email", "")[:254],
        created_at=now,
        updated_at=now,
    )
    return SignedIn(user=user, created=True)


Outcome = Literal["ok", "expired", "locked", "wrong"]


@transaction.atomic
def _code_check(
    *, identifier: Identifier, code: str, now: dt.datetime
) -> tuple[Outcome, int, SignedIn | None]:
    """Check `code` against the live code (row locked); a wrong guess is counted and
    committed, which is why the caller raises only after this transaction."""
    row = (
        SignInCode.objects.select_for_update()
        .filter(identifier=identifier.value, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.expires_at <= now:
        return "expired", 0, None
    if row.attempts >= max_attempts():
        return "locked", 0, None
    if not constant_time_compare(row.code_hash, _code_hash(identifier.value, code.strip())):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return "wrong", max_attempts() - row.attempts, None
    row.used_at = now
    row.save(update_fields=["used_at"])
    signed_in = _applicant_for(
        kind=identifier.kind,
        value=identifier.value,
        username_base=identifier.value,
        now=now,
        profile={identifier.kind: identifier.value},
    )
    return "ok", 0, signed_in


def sign_in_code_verify(
    *, raw_identifier: str, code: str, client: str, now: dt.datetime
) -> SignedIn:
    """Verify a one-time code; on the first success for this identifier create the
    applicant (user without password, identity, profile). Locks the live code row.

    Raises InvalidIdentifier, RateLimited, CodeExpired, TooManyAttempts or CodeWrong."""
    identifier = _identifier(raw_identifier)
    _limit("verify-client", client, "MOTCUA_SIGNIN_VERIFY_RATE_CLIENT", "30/hour", now)
    outcome, remaining, signed_in = _code_check(identifier=identifier, code=code, now=now)
    if outcome == "expired":
        raise CodeExpired()
    if outcome == "locked" or (outcome == "wrong" and remaining <= 0):
        raise TooManyAttempts()
    if outcome == "wrong":
        raise CodeWrong(remaining)
    assert signed_in is not None
    return signed_in


@transaction.atomic
def applicant_sign_in_oidc(
    *, issuer: str, subject: str, claims: dict[str, Any], now: dt.datetime
) -> SignedIn:
    """The applicant an identity provider vouched for (claims already validated), created
    with the provider's name, e-mail and phone on first sign-in."""
    digest = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:12]
    profile = {
        "full_name": str(claims.get("name") or ""),
        "email": str(claims.get("email") or "") if claims.get("email_verified", True) else "",
        "phone": str(claims.get("phone_number") or ""),
    }
    return _applicant_for(
        kind=SignInIdentity.Kind.OIDC,
        value=f"{issuer} {subject}",
        username_base=f"oidc-{digest}",
        now=now,
        profile=profile,
    )


@transaction.atomic
def applicant_profile_update(
    *,
    user: User,
    full_name: str,
    personal_id: str,
    phone: str,
    email: str,
    address: str,
    now: dt.datetime,
) -> ApplicantProfile:
    """Save what the applicant says about themselves (already shape-checked by the form).
    The sign-in identities do not change: a new phone or e-mail here is contact data only."""
    profile, _created = ApplicantProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"created_at": now, "updated_at": now}
    )
    profile.full_name = full_name
    profile.personal_id = personal_id
    profile.phone = phone
    profile.email = email
    profile.address = address
    profile.updated_at = now
    profile.save()
    return profile


@transaction.atomic
def officer_reminders_set(
    *, user: User, reminders: str, phone: str = "", now: dt.datetime
) -> OfficerPreferences:
    """How the officer takes the morning reminders (`OfficerPreferences`). By SMS needs a
    Vietnamese mobile number; by e-mail, an address on the account (set by the
    administrator). The number is kept whatever the choice, for a later switch to SMS."""
    if reminders not in ReminderChannel.values:
        raise AccountError(_("Choose how to take the reminders."))
    number = normalise_phone(phone) if phone.strip() else ""
    if number and not is_phone(number):
        raise InvalidPhone()
    if reminders == ReminderChannel.SMS and not number:
        raise InvalidPhone(_("Reminders by SMS need your mobile number."))
    if reminders == ReminderChannel.EMAIL and not user.email:
        raise AccountError(
            _(
                "Your account has no e-mail address: choose SMS, or ask the administrator "
                "to add your address."
            )
        )
    preferences, _created = OfficerPreferences.objects.select_for_update().get_or_create(
        user=user, defaults={"updated_at": now}
    )
    preferences.reminders, preferences.phone, preferences.updated_at = reminders, number, now
    preferences.save()
    return preferences
