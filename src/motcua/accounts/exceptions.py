"""Errors of applicant sign-in. Each carries a stable `code` (for the API and the logs) and a
message for people, translated when shown."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AccountError(Exception):
    code = "account_error"
    default_message: str | Promise = _("Sign-in failed. Please try again.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.code))


class InvalidIdentifier(AccountError):
    code = "invalid_identifier"
    default_message = _(
        "Enter an e-mail address or a Vietnamese mobile number (10 digits starting with 0)."
    )


class InvalidPhone(AccountError):
    code = "invalid_phone"
    default_message = _("Enter a Vietnamese mobile number (10 digits starting with 0).")


class RateLimited(AccountError):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            _("Too many attempts. Please try again in %(minutes)s minutes.") % {"minutes": minutes}
        )


class ResendTooSoon(AccountError):
    code = "resend_too_soon"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            _("A code was just sent. You can ask for a new one in %(seconds)s seconds.")
            % {"seconds": retry_after}
        )


class CodeNotSent(AccountError):
    code = "code_not_sent"
    default_message = _("The code could not be sent right now. Please try again in a moment.")


class CodeExpired(AccountError):
    code = "code_expired"
    default_message = _("This code has expired or was already used. Ask for a new code.")


class CodeWrong(AccountError):
    code = "code_wrong"

    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        super().__init__(
            _("The code is not correct. You have %(remaining)s attempts left.")
            % {"remaining": remaining}
        )


class TooManyAttempts(AccountError):
    code = "too_many_attempts"
    default_message = _("Too many wrong codes. Ask for a new code.")


class OidcError(AccountError):
    """The identity provider's answer could not be trusted or used. `reason` is for the logs."""

    code = "oidc_failed"
    default_message = _("Signing in with the identity provider failed. Please try again.")

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__()
