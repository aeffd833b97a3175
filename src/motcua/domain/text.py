"""Vietnamese text folding for accent- and case-insensitive search.

"Đăng ký khai sinh" and "dang ky khai sinh" fold to the same key, so a citizen typing
without diacritics (or with a keyboard that composes them differently) still finds the
procedure."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a letter of its own, not d plus a combining mark, so NFD does not strip it.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Return `text` in NFC-insensitive, lower case, tone- and diacritic-free form with runs
    of whitespace collapsed to one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalize(text: str) -> str:
    """NFC-normalise and collapse whitespace: the canonical stored form of names."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
