"""Agency electronic identifier codes (mã định danh điện tử).

Two shapes coexist in real data, so the code is stored as an opaque string with its scheme:

- QĐ 20/2020/QĐ-TTg (current): groups separated by dots, growing left to right; the first
  group is the level-1 code `MX1X2` (a letter A-Y and two digits), at most 35 characters,
  characters `.`, `0-9`, `A-Z`. Examples: `H56`, `H56.14`, `G06.01`.
- QCVN 102:2016/BTTTT (legacy): four groups growing right to left, the level-1 code last.
  Examples: `000.00.00.H56`, `000.17.22.H56`.
"""

from __future__ import annotations

import enum
import re

MAX_LENGTH = 35


class AgencyCodeScheme(enum.StrEnum):
    QD20_2020 = "qd20_2020"
    QCVN102_2016 = "qcvn102_2016"


_PATTERNS: dict[AgencyCodeScheme, re.Pattern[str]] = {
    AgencyCodeScheme.QD20_2020: re.compile(r"[A-Y]\d{2}(?:\.[0-9A-Z]+)*"),
    AgencyCodeScheme.QCVN102_2016: re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}"),
}


class InvalidAgencyCode(ValueError):
    """`kind` is "too_long" or "wrong_shape", for interfaces to word the error."""

    def __init__(self, code: str, kind: str, reason: str) -> None:
        super().__init__(f"{code!r}: {reason}")
        self.code = code
        self.kind = kind
        self.reason = reason


def detect_scheme(code: str) -> AgencyCodeScheme | None:
    """The scheme whose shape `code` has, or None when it has neither."""
    if len(code) > MAX_LENGTH:
        return None
    for scheme, pattern in _PATTERNS.items():
        if pattern.fullmatch(code):
            return scheme
    return None


def validate(code: str, scheme: AgencyCodeScheme) -> None:
    """Raise InvalidAgencyCode unless `code` has the shape of `scheme`."""
    if len(code) > MAX_LENGTH:
        raise InvalidAgencyCode(code, "too_long", f"longer than {MAX_LENGTH} characters")
    if not _PATTERNS[scheme].fullmatch(code):
        raise InvalidAgencyCode(code, "wrong_shape", f"does not match the {scheme.value} shape")


def level1_code(code: str, scheme: AgencyCodeScheme) -> str:
    """The level-1 group (`H56`, `G09`): the first group in QĐ 20, the last in QCVN 102."""
    groups = code.split(".")
    return groups[0] if scheme is AgencyCodeScheme.QD20_2020 else groups[-1]
