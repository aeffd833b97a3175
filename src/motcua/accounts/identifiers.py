"""Shapes of what an applicant types: a sign-in identifier (e-mail or mobile phone), a phone
number, a 12-digit personal ID. Pure functions: no database, no clock (`today` is an argument).

The personal ID rules follow DOMAIN.md 2.3 (`PPP G YY RRRRRR`, no check digit). The back office
keeps the same table in its forms; both could move to `motcua.domain` (see the report)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

# Province (or country, for births abroad) codes that open a 12-digit personal ID: the 63
# provinces and cities before the 2025 merger, which did not renumber IDs (DOMAIN.md 2.3).
# fmt: off
PROVINCE_CODES = frozenset(
    [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019",
        "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036",
        "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054",
        "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    ]
)
# fmt: on

_PERSONAL_ID = re.compile(r"^\d{12}$")
_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese mobile numbers: 10 digits, prefixes 03, 05, 07, 08, 09 since the 2018 renumbering.
_MOBILE = re.compile(r"^0[35789]\d{8}$")
# Any Vietnamese number: a mobile, or an 11-digit landline (02x area codes).
_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")
# Deliberately plain: one @, something dotted after it, no spaces. The mailbox proves the rest.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")

PersonalIdProblem = Literal["", "shape", "province", "future"]


@dataclass(frozen=True)
class Identifier:
    """A normalised sign-in identifier: lower-case e-mail, or a mobile number as 0xxxxxxxxx."""

    kind: Literal["email", "phone"]
    value: str

    @property
    def masked(self) -> str:
        """What a page may show of it (Decree 13/2023: no more personal data than needed)."""
        if self.kind == "phone":
            return self.value[:3] + "*" * (len(self.value) - 5) + self.value[-2:]
        local, _at, domain = self.value.partition("@")
        return f"{local[:1]}{'*' * max(1, len(local) - 1)}@{domain}"


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


def personal_id_problem(value: str, *, today: dt.date) -> PersonalIdProblem:
    """Why `value` cannot be a 12-digit personal ID ("" when its structure holds): twelve
    digits, PPP a province code, and the birth year that G (century) and YY give not after
    `today`. There is no check digit, so a well-formed number may still not exist."""
    if not _PERSONAL_ID.match(value):
        return "shape"
    if value[:3] not in PROVINCE_CODES:
        return "province"
    birth_year = 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])
    if birth_year > today.year:
        return "future"
    return ""
