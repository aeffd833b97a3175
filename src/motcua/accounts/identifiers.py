"""Shapes of what an applicant types: a sign-in identifier (e-mail or mobile phone), a phone
number, a 12-digit personal ID. Pure functions: no database, no clock (`today` is an argument).

The personal ID is checked by `motcua.domain.personal_id` (DOMAIN.md 2.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from motcua.domain.masking import mask_email, mask_phone

_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese mobile numbers: 10 digits, prefixes 03, 05, 07, 08, 09 since the 2018 renumbering.
_MOBILE = re.compile(r"^0[35789]\d{8}$")
# Any Vietnamese number: a mobile, or an 11-digit landline (02x area codes).
_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")
# Deliberately plain: one @, something dotted after it, no spaces. The mailbox proves the rest.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


@dataclass(frozen=True)
class Identifier:
    """A normalised sign-in identifier: lower-case e-mail, or a mobile number as 0xxxxxxxxx."""

    kind: Literal["email", "phone"]
    value: str

    @property
    def masked(self) -> str:
        """What a page may show of it (Decree 13/2023: no more personal data than needed)."""
        return mask_phone(self.value) if self.kind == "phone" else mask_email(self.value)


def normalise_phone(raw: str) -> str:
    """Strip separators, turn +84 / 84 into the leading 0. Does not check the result."""
    phone = _SEPARATORS.sub("", raw.strip())
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    return phone


def is_phone(value: str) -> bool:
    return bool(_PHONE.match(value))


def is_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL.match(value))


def parse_identifier(raw: str) -> Identifier | None:
    """The identifier in `raw` (an e-mail address or a Vietnamese mobile number), or None."""
    text = raw.strip()
    if "@" in text:
        email = text.lower()
        return Identifier("email", email) if is_email(email) else None
    phone = normalise_phone(text)
    return Identifier("phone", phone) if _MOBILE.match(phone) else None
