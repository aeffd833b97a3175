"""The 12-digit personal ID number (số định danh cá nhân, on the citizen ID card), DOMAIN.md
2.3: `PPP G YY RRRRRR`, PPP the province (or country) of birth registration, G the century
and sex, YY the birth year, no check digit. Pure: `today` is an argument."""

from __future__ import annotations

import datetime as dt
import re
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

PersonalIdProblem = Literal["", "shape", "province", "future"]


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
