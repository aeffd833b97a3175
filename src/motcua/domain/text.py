"""Vietnamese text folding for accent- and case-insensitive search.

"Đăng ký khai sinh" and "dang ky khai sinh" fold to the same key, so a citizen typing
without diacritics (or with a keyboard that composes them differently) still finds the
procedure."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a letter of its own, not d plus a combining mark, so NFD does not strip it.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def strip_marks(text: str) -> str:
    """`text` without tones or diacritics, case kept ("Hồ sơ Đạt" -> "Ho so Dat"): what an
    SMS carries to stay in the 7-bit alphabet (160 characters a part instead of 70)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Return `text` in NFC-insensitive, lower case, tone- and diacritic-free form with runs
    of whitespace collapsed to one space."""
    return _SPACES.sub(" ", strip_marks(text).casefold()).strip()


def normalize(text: str) -> str:
    """NFC-normalise and collapse whitespace: the canonical stored form of names."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
