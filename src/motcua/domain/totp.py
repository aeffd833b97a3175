"""Time-based one-time passwords (RFC 6238 over the HOTP of RFC 4226): the arithmetic of
an authenticator app's six-digit code, as pure functions. The caller supplies the secret,
the moment (Unix seconds) and the last time-step already used; nothing here reads a clock
or draws a random number."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# How many time-steps either side of now are accepted: a phone's clock a little off, or a
# code typed just as it changed.
WINDOW = 1
ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def hotp(secret: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "SHA1") -> str:
    """RFC 4226 section 5.3: HMAC of the 8-byte big-endian counter, dynamic truncation,
    the last `digits` decimal digits, zero-padded."""
    if counter < 0:
        raise ValueError("the counter is negative")
    mac = hmac.new(secret, counter.to_bytes(8, "big"), ALGORITHMS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(unix_seconds: float, *, step: int = STEP_SECONDS, t0: int = 0) -> int:
    """RFC 6238 section 4.2: T = floor((now - T0) / X)."""
    return int((unix_seconds - t0) // step)


def totp(
    secret: bytes,
    unix_seconds: float,
    *,
    step: int = STEP_SECONDS,
    digits: int = DIGITS,
    algorithm: str = "SHA1",
) -> str:
    """The code shown at `unix_seconds`."""
    return hotp(secret, time_step(unix_seconds, step=step), digits=digits, algorithm=algorithm)


def normalise_code(value: str) -> str:
    """The code as typed, without the spaces and dashes people add."""
    return "".join(ch for ch in value if ch not in " -\t")


def verify(
    secret: bytes,
    code: str,
    unix_seconds: float,
    *,
    last_step: int = -1,
    window: int = WINDOW,
    step: int = STEP_SECONDS,
    digits: int = DIGITS,
) -> int | None:
    """The time-step `code` belongs to, within `window` steps of now and later than
    `last_step` (a code is good once: replaying it, or an older one, fails); None when the
    code is not good. Compared in constant time."""
    code = normalise_code(code)
    if len(code) != digits or not code.isdigit():
        return None
    now = time_step(unix_seconds, step=step)
    found = None
    for candidate in range(now - window, now + window + 1):
        if candidate <= last_step or candidate < 0:
            continue
        if hmac.compare_digest(hotp(secret, candidate, digits=digits), code) and found is None:
            found = candidate
    return found


def secret_to_text(secret: bytes) -> str:
    """The secret as the base32 key an authenticator app takes (no padding)."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def secret_from_text(text: str) -> bytes:
    """The secret from its base32 key (case and spaces ignored); ValueError when it is not
    one."""
    cleaned = "".join(text.split()).upper()
    cleaned += "=" * (-len(cleaned) % 8)
    try:
        return base64.b32decode(cleaned)
    except (ValueError, binascii.Error) as error:
        raise ValueError("not a base32 key") from error


def grouped(text: str, size: int = 4) -> str:
    """A key or code in groups of `size` characters, easier to copy by hand."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def provisioning_uri(secret: bytes, *, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` address an authenticator app reads from a QR code (the
    Key Uri Format of Google Authenticator, which the other apps follow)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": secret_to_text(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
