"""Reading the national public service portal's exports into `ProcedureSpec`s.

Two sources describe the same procedures, keyed by the national code (mã thủ tục):

* the portal's Excel listing "DANH SÁCH THỦ TỤC HÀNH CHÍNH" (one file per ministry, two
  header rows, columns Mã số, Tên, Cơ quan ban hành, Cơ quan thực hiện, Lĩnh vực), and
* the detail pages scraped to JSON (JSON lines, gzipped or not, or one JSON array), whose
  tables (`cach_thuc_thuc_hien`, `thanh_phan_ho_so`, `can_cu_phap_ly`, `ket_qua_xu_ly`)
  arrive as HTML tables flattened without any separator between cells.

Everything here is pure parsing: no database, no clock. The cell parsers read the shapes
that actually occur in the export and say what they could not read (a `Problem` with a
stable `Reason`) instead of guessing; the import command turns the problems into its
report. Choices that are not obvious from the data:

* "<n> Giờ" is read as working hours: production one-stop systems hold every limit in
  working hours (1 working day = 8 h) and count hour limits in office time.
* "<n> Năm" is read as n * 12 months (the deadline module counts months, not years).
* A time limit without a unit (a bare number, frequent in the Ministry of Justice's
  procedures) is kept as text only: the portal does not say whether it means working or
  calendar days.
* A fee cell whose note states amounts other than the headline amount (several fees, or a
  fee by case) gets no amount: the full text is kept in `fee_text` and the row is reported.
* An amount in đồng below 1,000 is not taken: no state fee is that small, and the export
  holds such numbers where the note shows the real fee is in thousands (or in USD).
* A detail record whose name has nothing in common with the Excel listing's name for the
  same code is another procedure's page saved under that code (17 such in the 2026
  export): it is dropped and the listing alone is imported.
* Everything read is NFC-normalised first (some scraped fields are decomposed). Single-line
  values are normalised with `normalize`; long texts (steps, conditions, descriptions) keep
  their line breaks, with each line normalised and blank lines dropped.
"""

from __future__ import annotations

import difflib
import enum
import gzip
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from motcua.domain.deadlines import Unit
from motcua.domain.text import fold, normalize

from .models import Channel, DocumentForm, FeeKind, ImplementingLevel, ProcedureSource
from .services import ChannelSpec, DocumentSpec, ProcedureSpec, VersionSpec

__all__ = [
    "Fee",
    "InputError",
    "ListingRow",
    "ParseStats",
    "Problem",
    "Reason",
    "SourceRecord",
    "Sources",
    "TimeLimit",
    "build_spec",
    "merge_sources",
    "parse_channels",
    "parse_documents",
    "parse_fee",
    "parse_legal_basis",
    "parse_levels",
    "parse_result",
    "parse_time_limit",
    "read_details",
    "read_listing",
    "read_sources",
]

NO_INFORMATION = "Không có thông tin"
_NO_INFORMATION_KEY = fold(NO_INFORMATION)

# Name of the issuing body for each folder of the scraped detail records, used when a code
# is missing from the Excel listing (which names the issuing body itself).
MINISTRY_FOLDERS: Mapping[str, str] = {
    "bo-cong-an": "Bộ Công an",
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-tu-phap": "Bộ Tư pháp",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "toa-an-nhan-dan": "Tòa án nhân dân",
}


class InputError(Exception):
    """An input file is missing or not in a format this importer reads."""


class Reason(enum.StrEnum):
    """Why (part of) a record could not be read. The values are stable report keys."""

    TIME_NO_UNIT = "time_no_unit"
    TIME_NOT_STATED = "time_not_stated"
    TIME_UNRECOGNISED = "time_unrecognised"
    TIME_FEE_RUN_TOGETHER = "time_fee_run_together"
    FEE_NOT_STATED = "fee_not_stated"
    FEE_UNRECOGNISED = "fee_unrecognised"
    FEE_IMPLAUSIBLE = "fee_implausible_amount"
    FEE_SEVERAL_AMOUNTS = "fee_several_amounts"
    FEE_FREE_WITH_AMOUNTS = "fee_free_but_amounts"
    CHANNELS_NONE = "channels_none"
    CHANNELS_LEADING_TEXT = "channels_leading_text"
    DOCUMENTS_NONE = "documents_none"
    DOCUMENT_NO_QUANTITY = "document_no_quantity"
    LEGAL_BASIS_UNPARSED = "legal_basis_unparsed"
    LEGAL_BASIS_MISPLACED = "legal_basis_misplaced"
    LEVELS_UNRECOGNISED = "levels_unrecognised"
    DETAIL_MISMATCH = "detail_mismatch"
    DETAIL_MISSING = "detail_missing"
    DUPLICATE_CODE = "duplicate_code"
    IMPORT_FAILED = "import_failed"

    @property
    def message(self) -> str:
        return _REASON_MESSAGES[self]


_REASON_MESSAGES: Mapping[Reason, str] = {
    Reason.TIME_NO_UNIT: "time limit is a bare number without a unit (kept as text only)",
    Reason.TIME_NOT_STATED: "time limit not stated on the portal ('Không có thông tin')",
    Reason.TIME_UNRECOGNISED: "time limit text not recognised (kept as text only)",
    Reason.TIME_FEE_RUN_TOGETHER: (
        "a unitless time limit runs into the fee amount: where one ends and the other begins "
        "cannot be told (both kept as text only)"
    ),
    Reason.FEE_NOT_STATED: "fee not stated on the portal ('Không có thông tin')",
    Reason.FEE_UNRECOGNISED: "fee text not recognised (kept as text only)",
    Reason.FEE_IMPLAUSIBLE: (
        "amount below 1,000 đồng: the portal probably means thousands or another currency "
        "(kept as text only)"
    ),
    Reason.FEE_SEVERAL_AMOUNTS: (
        "the fee cell or its row states several different amounts (a reduced rate until a "
        "date, a fee per case, a second fee): kept as text"
    ),
    Reason.FEE_FREE_WITH_AMOUNTS: "marked free but its note states amounts (kept as text)",
    Reason.CHANNELS_NONE: "no channel row (Trực tuyến / Trực tiếp / Dịch vụ bưu chính) found",
    Reason.CHANNELS_LEADING_TEXT: "text before the first channel row was ignored",
    Reason.DOCUMENTS_NONE: "no dossier document could be read",
    Reason.DOCUMENT_NO_QUANTITY: "a document without a quantity (stored as 0 originals, 0 copies)",
    Reason.LEGAL_BASIS_UNPARSED: "no document number found in the legal basis (kept as one title)",
    Reason.LEGAL_BASIS_MISPLACED: (
        "the legal basis field holds the end of the channel table (the scraper cut it at the "
        "words 'Căn cứ pháp lý' in a fee note): rejoined; the legal basis itself is missing"
    ),
    Reason.LEVELS_UNRECOGNISED: "implementing level not recognised",
    Reason.DETAIL_MISMATCH: (
        "the detail record describes another procedure (its name differs from the Excel "
        "listing): only the listing was imported"
    ),
    Reason.DETAIL_MISSING: "no detail record: only the Excel listing was imported",
    Reason.DUPLICATE_CODE: "the code appears more than once in the inputs; the last one was kept",
    Reason.IMPORT_FAILED: "could not be imported (the record was skipped)",
}


@dataclass(frozen=True)
class Problem:
    """Something the importer could not read (or save) for one procedure."""

    code: str
    reason: Reason
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "reason": self.reason.value,
            "message": self.reason.message,
            "detail": self.detail,
        }


Issue = tuple[Reason, str]
"""A problem found by a cell parser, before it knows which procedure it belongs to."""


# --------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingRow:
    """One row of the portal's Excel listing."""

    code: str
    name: str
    issuing_authority: str = ""
    implementing_agencies: str = ""
    field_name: str = ""


@dataclass(frozen=True)
class Sources:
    listing: list[ListingRow] = field(default_factory=list)
    details: list[dict[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


_LISTING_HEADER = ("mã số", "tên", "cơ quan ban hành", "cơ quan thực hiện", "lĩnh vực")


def _cell_text(value: object) -> str:
    """A cell or field as NFC text: some scraped fields arrive decomposed (NFD), which no
    pattern here would match."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


def read_listing(path: Path) -> list[ListingRow]:
    """Read the portal's Excel listing. The header row ("Mã số", "Tên", ...) is looked for
    in the first rows (the export has a title row above it); rows without a code are
    skipped."""
    import openpyxl  # heavy import: only when an Excel file is read

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"{path}: not a readable .xlsx file ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        columns: dict[str, int] | None = None
        for _, row in zip(range(10), rows, strict=False):
            labels = [fold(_cell_text(v)) for v in row]
            if fold("Mã số") in labels and fold("Tên") in labels:
                columns = {
                    name: labels.index(fold(name))
                    for name in _LISTING_HEADER
                    if fold(name) in labels
                }
                break
        if columns is None:
            raise InputError(
                f"{path}: no header row with 'Mã số' and 'Tên' in the first 10 rows; "
                "is this the portal's 'DANH SÁCH THỦ TỤC HÀNH CHÍNH' export?"
            )

        def get(row: Sequence[object], name: str) -> str:
            index = columns.get(name)
            if index is None or index >= len(row):
                return ""
            return _cell_text(row[index])

        listing = []
        for row in rows:
            code = normalize(get(row, "mã số"))
            if not code:
                continue
            listing.append(
                ListingRow(
                    code=code,
                    name=normalize(get(row, "tên")),
                    issuing_authority=normalize(get(row, "cơ quan ban hành")),
                    implementing_agencies=get(row, "cơ quan thực hiện"),
                    field_name=get(row, "lĩnh vực"),
                )
            )
        return listing
    finally:
        workbook.close()


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as raw:
        magic = raw.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8")


def read_details(path: Path) -> list[dict[str, str]]:
    """Read detail records: JSON lines or one JSON array, gzipped or not (told apart by
    content, not by name). Every record needs a non-empty `ma_thu_tuc`."""
    try:
        with _open_text(path) as stream:
            text = stream.read()
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        raise InputError(f"{path}: cannot be read as (gzipped) UTF-8 text ({exc})") from exc
    records: list[Any]
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from exc
    else:
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
    details = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not str(record.get("ma_thu_tuc") or "").strip():
            raise InputError(f"{path}: record {number} is not an object with a 'ma_thu_tuc'")
        details.append({str(k): _cell_text(v) for k, v in record.items()})
    return details


def read_sources(paths: Iterable[Path]) -> Sources:
    """Read every file, telling listings (.xlsx) from detail records (.json, .jsonl, with
    or without .gz). Raises InputError on the first missing or unreadable file, before
    anything is imported."""
    sources = Sources()
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a directory; pass the files themselves")
        suffixes = [s.lower() for s in path.suffixes]
        if suffixes and suffixes[-1] == ".gz":
            suffixes = suffixes[:-1]
        kind = suffixes[-1] if suffixes else ""
        if kind == ".xlsx":
            sources.listing.extend(read_listing(path))
        elif kind in {".json", ".jsonl", ".ndjson"}:
            sources.details.extend(read_details(path))
        else:
            raise InputError(
                f"{path}: unknown file type; expected the portal's .xlsx listing or detail "
                "records as .json / .jsonl (optionally .gz)"
            )
        sources.files.append(path)
    return sources


# --------------------------------------------------------------------------------------
# Merging the two sources
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRecord:
    """What the inputs say about one code: its listing row, its detail record, or both."""

    code: str
    listing: ListingRow | None = None
    detail: Mapping[str, str] | None = None
    duplicated: bool = False


def merge_sources(sources: Sources) -> list[SourceRecord]:
    """Pair listing rows and detail records by code, in the order codes first appear."""
    listing: dict[str, ListingRow] = {}
    details: dict[str, Mapping[str, str]] = {}
    seen: Counter[str] = Counter()
    for row in sources.listing:
        seen[row.code] += row.code in listing
        listing[row.code] = row
    for detail in sources.details:
        code = normalize(detail["ma_thu_tuc"])
        seen[code] += code in details
        details[code] = detail
    codes = dict.fromkeys([*listing, *details])
    return [
        SourceRecord(
            code=code,
            listing=listing.get(code),
            detail=details.get(code),
            duplicated=seen[code] > 0,
        )
        for code in codes
    ]


# --------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------

_PAGE_JUNK = re.compile(r"Từ khóa.*?Mô tả|Chọn cơ quan thực hiện", re.DOTALL)


def _block(text: str) -> str:
    """Normalise a long text but keep its line breaks: NFC, each line's whitespace collapsed,
    blank lines dropped."""
    lines = (normalize(line) for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(line for line in lines if line)


def _is_no_information(text: str) -> bool:
    """Whether a cell is empty or only says "Không có thông tin"."""
    return len(text) <= len(NO_INFORMATION) + 4 and fold(text) in {_NO_INFORMATION_KEY, ""}


def _informative(text: str) -> str:
    """The text, or "" when it only says there is no information."""
    text = _block(text)
    return "" if _is_no_information(text) else text


def _strip_page_junk(text: str) -> str:
    """Cut the page's navigation ("Từ khóa...", "Chọn cơ quan thực hiện...Nộp hồ sơ") that
    the scraper appended to the last field of a table."""
    match = _PAGE_JUNK.search(text)
    return text[: match.start()] if match else text


def _starts_upper(text: str) -> bool:
    return text[:1].isupper()


def _unique_lines(*texts: str) -> list[str]:
    """The distinct entries of lists written one per line (the Excel listing) or separated
    by ", " before a capital (the detail pages), in order, without "no information"."""
    seen: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            pieces = re.split(r",\s+", line)
            entries = [pieces[0]]
            for piece in pieces[1:]:
                if _starts_upper(piece):
                    entries.append(piece)
                else:  # "Tòa án nhân dân cấp huyện, quận, ..." is one entry
                    entries[-1] = f"{entries[-1]}, {piece}"
            for entry in entries:
                entry = normalize(entry)
                if not _is_no_information(entry):
                    seen.setdefault(fold(entry), entry)
    return list(seen.values())


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


def _parse_amount(text: str) -> Decimal | None:
    """A money amount with optional thousands separators ("10,000", "10.000", "1.200.000")
    or decimals ("12.5"). None when the separators make it ambiguous ("1.200,5")."""
    if text.isdigit():
        return Decimal(text)
    if _THOUSANDS.fullmatch(text):
        return Decimal(re.sub(r"[.,]", "", text))
    match = re.fullmatch(r"(\d+)[.,](\d{1,2})", text)
    if match:
        return Decimal(f"{match[1]}.{match[2]}")
    return None


def _parse_quantity(text: str) -> Decimal | None:
    """A time amount: an integer or a decimal with comma or dot ("0,5", "1.5"). A separator
    followed by exactly three digits could be a thousands separator: None."""
    match = re.fullmatch(r"(\d+)(?:[.,](\d+))?", text)
    if match is None or (match[2] is not None and len(match[2]) == 3):
        return None
    try:
        return Decimal(f"{match[1]}.{match[2]}" if match[2] else match[1])
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return None


# --------------------------------------------------------------------------------------
# Time limits
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    amount: Decimal | None
    unit: Unit | None
    text: str


_TIME_UNITS: Sequence[tuple[str, Unit, int]] = (
    ("ngày làm việc", Unit.WORKING_DAY, 1),
    ("giờ làm việc", Unit.WORKING_HOUR, 1),
    ("ngày", Unit.CALENDAR_DAY, 1),
    ("giờ", Unit.WORKING_HOUR, 1),
    ("tháng", Unit.MONTH, 1),
    ("năm", Unit.MONTH, 12),
)
_NUMBER = r"\d+(?:[.,]\d+)?"
_TIME_UNIT_WORDS = "|".join(re.escape(word) for word, _, _ in _TIME_UNITS)
_TIME = re.compile(rf"(?P<amount>{_NUMBER})\s*(?P<unit>{_TIME_UNIT_WORDS})", re.IGNORECASE)
_SAME_DAY = re.compile(r"(?:ngay\s+)?trong\s+(?:ngày|ngày\s+làm\s+việc)\.?", re.IGNORECASE)


def parse_time_limit(text: str) -> tuple[TimeLimit, list[Issue]]:
    """Read the "Thời gian" cell: "7 Ngày làm việc", "15 Ngày", "8 Giờ", "3 Tháng",
    "1 Năm", "0,5 Ngày làm việc", "Trong ngày". Anything else keeps its text only."""
    text = normalize(text)
    match = _TIME.fullmatch(text)
    if match:
        amount = _parse_quantity(match["amount"])
        word = match["unit"].lower()
        unit, factor = next((u, f) for w, u, f in _TIME_UNITS if w == word)
        if amount is not None and amount > 0:
            return TimeLimit(amount * factor, unit, text), []
        return TimeLimit(None, None, text), [(Reason.TIME_UNRECOGNISED, text)]
    if _SAME_DAY.fullmatch(text):
        return TimeLimit(None, Unit.SAME_DAY, text), []
    if re.fullmatch(_NUMBER, text):
        return TimeLimit(None, None, text), [(Reason.TIME_NO_UNIT, text)]
    if _is_no_information(text):
        return TimeLimit(None, None, text), [(Reason.TIME_NOT_STATED, text)]
    return TimeLimit(None, None, text), [(Reason.TIME_UNRECOGNISED, text)]


# --------------------------------------------------------------------------------------
# Fees
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fee:
    kind: FeeKind
    amount: Decimal | None = None
    currency: str = "VND"
    text: str = ""


_CURRENCIES: Mapping[str, str] = {
    "việt nam đồng": "VND",
    "vnđ": "VND",
    "đồng": "VND",
    "usd": "USD",
}
_CURRENCY_WORDS = "|".join(re.escape(word) for word in _CURRENCIES)
_FEE_AMOUNT = rf"(?P<amount>\d[\d.,]*)\s?(?P<currency>{_CURRENCY_WORDS})"
_FEE_TOKEN = re.compile(rf"Miễn phí|{re.escape(NO_INFORMATION)}|{_FEE_AMOUNT}", re.IGNORECASE)
# Amounts written in prose inside a fee note: "50.000 đồng/lần", "1.200.000đ/thẻ", "155 USD".
_NOTE_AMOUNT = re.compile(
    r"(?<![\d.,/])(?P<amount>\d{1,3}(?:[.,]\d{3})+|\d+)\s?"
    r"(?P<currency>việt nam đồng|đồng|vnđ|vnd|đ(?![a-zà-ỹ])|usd)",
    re.IGNORECASE,
)
_COUNCIL = re.compile(r"hội đồng nhân dân|hđnd", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;\n]")


def _says_council_decides(text: str) -> bool:
    """Whether a sentence says the provincial People's Council sets the fee: "Mức lệ phí
    cụ thể do Hội đồng nhân dân tỉnh quyết định", "phí ... theo quy định của Hội đồng nhân
    dân cấp tỉnh"."""
    for match in _COUNCIL.finditer(text):
        ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, match.start())]
        start = ends[-1] if ends else 0
        stop = _SENTENCE_END.search(text, match.end())
        sentence = text[start : stop.start() if stop else len(text)].lower()
        if "phí" in sentence and ("quyết định" in sentence or "quy định" in sentence):
            return True
    return False


_SMALLEST_VND_FEE = Decimal(1000)


def _note_amounts(note: str) -> set[tuple[Decimal, str]]:
    amounts = set()
    for match in _NOTE_AMOUNT.finditer(note):
        value = _parse_amount(match["amount"])
        currency = "USD" if match["currency"].lower() == "usd" else "VND"
        if value is not None and value > 0:
            amounts.add((value, currency))
    return amounts


def parse_fee(token: str, note: str = "", description: str = "") -> tuple[Fee, list[Issue]]:
    """Read the "Phí, lệ phí" cell: its headline (`token`: "Miễn phí", "Không có thông tin",
    "10,000 Việt Nam Đồng", "25 USD") and the parenthesised note that follows it. The row's
    description is consulted for a council decision when the cell says nothing, and for
    other amounts (a reduced rate, a second fee) when the cell states one."""
    token = normalize(token)
    text = normalize(f"{token}{note}")
    if _says_council_decides(text) or (
        _is_no_information(token) and _says_council_decides(description)
    ):
        return Fee(FeeKind.COUNCIL, text=text), []
    if fold(token) == fold("Miễn phí"):
        if _note_amounts(note):
            return Fee(FeeKind.VARIES, text=text), [(Reason.FEE_FREE_WITH_AMOUNTS, text)]
        return Fee(FeeKind.FREE, text=text), []
    if _is_no_information(token):
        return Fee(FeeKind.UNKNOWN, text=text), [(Reason.FEE_NOT_STATED, text)]
    match = re.fullmatch(_FEE_AMOUNT, token, re.IGNORECASE)
    amount = _parse_amount(match["amount"]) if match else None
    if match is None or amount is None:
        return Fee(FeeKind.UNKNOWN, text=text), [(Reason.FEE_UNRECOGNISED, text)]
    currency = _CURRENCIES[match["currency"].lower()]
    if amount == 0:
        return Fee(FeeKind.FREE, text=text), []
    if currency == "VND" and amount < _SMALLEST_VND_FEE:
        return Fee(FeeKind.UNKNOWN, currency=currency, text=text), [(Reason.FEE_IMPLAUSIBLE, text)]
    if (_note_amounts(note) | _note_amounts(description)) - {(amount, currency)}:
        return Fee(FeeKind.VARIES, currency=currency, text=text), [
            (Reason.FEE_SEVERAL_AMOUNTS, text)
        ]
    return Fee(FeeKind.AMOUNT, amount, currency, text), []


# --------------------------------------------------------------------------------------
# Channels: "Hình thức nộpThời gianPhí, lệ phíMô tả" + rows
# --------------------------------------------------------------------------------------

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_CHANNELS: Mapping[str, Channel] = {
    "Trực tuyến": Channel.ONLINE,
    "Trực tiếp": Channel.COUNTER,
    "Dịch vụ bưu chính": Channel.POSTAL,
}
# A row starts with the channel name glued to its time cell. The same words inside a
# description are followed by a space, a colon or a dash ("- Trực tuyến: nộp hồ sơ ...").
_CHANNEL_WORD = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=[^\s:,.;)\-])")
_FEE_AT = rf"(?:Miễn phí|{re.escape(NO_INFORMATION)}|\d[\d.,]*\s?(?:{_CURRENCY_WORDS}))"
# The time cell followed by the start of the fee cell, tried in this order:
_ROW_SHAPES: Sequence[re.Pattern[str]] = (
    # "7 Ngày làm việc" + fee
    re.compile(rf"(?P<time>{_NUMBER}\s?(?:{_TIME_UNIT_WORDS}))(?={_FEE_AT})", re.IGNORECASE),
    # bare number + a worded fee: "1Miễn phí"
    re.compile(rf"(?P<time>{_NUMBER})(?=Miễn phí|{re.escape(NO_INFORMATION)})"),
    # digits glued to an amount: "1100 VNĐ" is "1" + "100 VNĐ", or "11" + "00 VNĐ", ...
    re.compile(rf"(?P<run>\d[\d.,]*)(?=\s?(?:{_CURRENCY_WORDS}))", re.IGNORECASE),
    # worded time: "Không có thông tin", "Trong ngày", "Không quy định", a sentence
    re.compile(rf"(?P<time>[^\W\d][^\n]{{0,200}}?)(?={_FEE_AT})", re.IGNORECASE),
)


# "a)", "b)" opening an item of a list: not the end of a parenthesis ("(a) ...; b) ...)").
_ENUMERATOR = re.compile(r"[(\s][a-zđ]\)")


def _balanced_parenthesis(text: str, start: int) -> int:
    """The index after the parenthesis group opening at `start` (or the end of `text` when
    it never closes). List items "a)", "b)" inside it do not close it."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")" and not _ENUMERATOR.match(text, index - 2):
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


@dataclass(frozen=True)
class _Row:
    channel: Channel
    time: str
    fee_token: str
    fee_note: str
    description: str
    run_together: bool = False


def _row_at(text: str, start: int) -> tuple[str, bool] | None:
    """(time cell, run_together) when a row's time and fee cells start at `start`."""
    for shape in _ROW_SHAPES:
        match = shape.match(text, start)
        if match is None:
            continue
        if match.lastgroup == "run":
            return "", True
        time = match["time"]
        if any(word in time for word in _CHANNELS):
            continue
        return time, False
    return None


def _split_rows(body: str) -> tuple[list[_Row], str]:
    """The channel rows of the flattened table and the text before the first one."""
    starts = [m for m in _CHANNEL_WORD.finditer(body) if _row_at(body, m.end()) is not None]
    rows = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        segment = body[match.end() : end]
        time, run_together = _row_at(segment, 0) or ("", False)
        rest = segment[len(time) :]
        # When digits run into an amount the whole run is the fee text: nothing is the time.
        fee = _FEE_TOKEN.match(rest)
        after = fee.end() if fee else 0
        note = ""
        if rest[after : after + 1] == "(":
            close = _balanced_parenthesis(rest, after)
            note = rest[after:close]
            after = close
        rows.append(
            _Row(
                channel=_CHANNELS[match.group(1)],
                time=time,
                fee_token=fee.group(0) if fee else "",
                fee_note=note,
                description=rest[after:],
                run_together=run_together,
            )
        )
    leading = body[: starts[0].start()] if starts else body
    return rows, leading


def parse_channels(text: str) -> tuple[list[ChannelSpec], list[Issue]]:
    """Read `cach_thuc_thuc_hien` into one ChannelSpec per row, in the portal's order."""
    body = text.strip()
    if body.startswith(CHANNEL_HEADER):
        body = body[len(CHANNEL_HEADER) :]
    rows, leading = _split_rows(body)
    issues: list[Issue] = []
    if not rows:
        if body.strip():
            issues.append((Reason.CHANNELS_NONE, normalize(body)[:200]))
        else:
            issues.append((Reason.CHANNELS_NONE, ""))
        return [], issues
    if leading.strip():
        issues.append((Reason.CHANNELS_LEADING_TEXT, normalize(leading)[:200]))
    specs = []
    for row in rows:
        if row.run_together:
            time = TimeLimit(None, None, "")
            fee = Fee(FeeKind.UNKNOWN, text=normalize(row.fee_token + row.fee_note))
            issues.append((Reason.TIME_FEE_RUN_TOGETHER, f"{row.channel.value}: {row.fee_token}"))
        else:
            time, time_issues = parse_time_limit(row.time)
            fee, fee_issues = parse_fee(row.fee_token, row.fee_note, row.description)
            issues.extend(
                (reason, f"{row.channel.value}: {detail}")
                for reason, detail in [*time_issues, *fee_issues]
            )
        specs.append(
            ChannelSpec(
                channel=row.channel,
                time_limit_amount=time.amount,
                time_limit_unit=time.unit,
                time_limit_text=time.text,
                fee_kind=fee.kind,
                fee_amount=fee.amount,
                fee_currency=fee.currency,
                fee_text=fee.text,
                description=_block(row.description),
            )
        )
    return specs, issues


# --------------------------------------------------------------------------------------
# Documents: "<case>Tên giấy tờMẫu đơn, tờ khaiSố lượng" + "<name>[<file>]<n> bản chính..."
# --------------------------------------------------------------------------------------

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The quantity cell is "1 bản chính" or "0 bản chính,1 bản sao". It is glued to the name,
# which may itself end in digits ("... Nghị định 116" + "1 bản chính"), so the quantity is
# the single digit before "bản chính"; every longer run in the export is such a join. A
# zero-padded "01 bản chính" is prose inside a name, not a quantity.
_QUANTITY = re.compile(
    r"(?<![\s:(]0)(?P<originals>\d) bản chính(?:,(?P<copies>\d+) bản sao)?(?!;|\s+[a-zà-ỹđ])"
)
_TEMPLATE_FILE = re.compile(
    r".+?\.(?:docx|doc|xlsx|xls|pdf|odt|rtf|zip|rar)(?=$|\S)", re.IGNORECASE
)
_TEMPLATE_END = re.compile(r"\.(?:docx?|xlsx?|pdf|odt|rtf|zip|rar)$", re.IGNORECASE)
# Where a template file name glued to the document name starts: the words form files are
# usually named with ("Mẫu số 30.docx", "Phụ lục I.docx", "Don de nghi.docx",
# "TTHC2-Mu02a-....docx", the "~$" of a temporary file), right after a character that is
# neither a space nor "(" ("(mẫu TK06)" is part of a name).
_TEMPLATE_START = re.compile(
    r"(?<=[^\s(])(?=~\$|\d+-(?:Mẫu|Mau)|(?:Mẫu|Mau|MẪU|MAU|Phụ lục|Phu luc|PL|Đơn|Don|TTHC"
    r"|Tờ khai|To khai|BM|Biểu|Bieu|Form)(?![a-zà-ỹđ]))"
)
# Otherwise: a capital glued to a lower-case letter or a full stop.
_GLUED_CAPITAL = re.compile(r"(?<=[a-zà-ỹđ.;:)\]])(?=[^\W\d_])")
_NOT_REQUIRED = re.compile(r"\(\s*nếu có\s*\)", re.IGNORECASE)
_PRESENTED_CASE = re.compile(r"xuất trình", re.IGNORECASE)
_DASHES = "-\u2013 "  # hyphen, en dash, space: a case heading of "--" means "no case"


def _split_template(name: str) -> tuple[str, str]:
    """("document name", "template files") from a name with file names glued to its end:
    "Đơn đề nghịMẫu số 01.docx" -> ("Đơn đề nghị", "Mẫu số 01.docx"); several files are
    joined with "; ". When the start of the file name cannot be found it stays in the name."""
    if not _TEMPLATE_END.search(name):
        return name, ""
    start = next(_TEMPLATE_START.finditer(name, max(0, len(name) - 200)), None)
    if start is None:
        start = next(
            (
                m
                for m in _GLUED_CAPITAL.finditer(name, max(0, len(name) - 120))
                if name[m.start()].isupper()
            ),
            None,
        )
    if start is None or start.start() == 0:
        return name, ""
    files = (normalize(f) for f in _TEMPLATE_FILE.findall(name[start.start() :]))
    return name[: start.start()], "; ".join(f for f in files if f)


def _document(name: str, case: str, originals: int, copies: int) -> DocumentSpec | None:
    name, template = _split_template(name.strip())
    name = normalize(name).lstrip("-+*• ").strip()
    if not name:
        return None
    if _PRESENTED_CASE.search(case):
        form = DocumentForm.PRESENTED
    elif originals == 0 and copies > 0:
        form = DocumentForm.COPY
    else:
        form = DocumentForm.ORIGINAL
    return DocumentSpec(
        name=name,
        case=case,
        originals=originals,
        copies=copies,
        form=form,
        template_name=normalize(template),
        is_required=not _NOT_REQUIRED.search(name),
    )


def _case_heading(text: str) -> str:
    heading = normalize(text)
    return "" if heading.strip(_DASHES) == "" else heading


def parse_documents(text: str) -> tuple[list[DocumentSpec], list[Issue]]:
    """Read `thanh_phan_ho_so`: groups headed by a case ("Trường hợp ...", or "--" for
    none), each a run of documents ending in their quantity cell."""
    if DOCUMENT_HEADER not in text:
        detail = normalize(text)[:200]
        return [], [(Reason.DOCUMENTS_NONE, detail or "(empty)")]
    documents: list[DocumentSpec] = []
    issues: list[Issue] = []
    groups = text.split(DOCUMENT_HEADER)
    case = _case_heading(groups[0])
    for index, group in enumerate(groups[1:], start=1):
        position = 0
        for match in _QUANTITY.finditer(group):
            document = _document(
                group[position : match.start()],
                case,
                int(match["originals"]),
                int(match["copies"] or 0),
            )
            if document is not None:
                documents.append(document)
            position = match.end()
        rest = group[position:]
        if index + 1 < len(groups):
            # What follows the last quantity is the next group's case heading.
            case = _case_heading(rest)
        elif normalize(rest).strip(_DASHES):
            document = _document(rest, case, 0, 0)
            if document is not None:
                documents.append(document)
                issues.append((Reason.DOCUMENT_NO_QUANTITY, document.name[:200]))
    if not documents:
        issues.append((Reason.DOCUMENTS_NONE, normalize(text)[:200]))
    return documents, issues


# --------------------------------------------------------------------------------------
# Legal basis: "Tên văn bản pháp lýMã văn bản" + "<title><number>" rows
# --------------------------------------------------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# "68/2013/TT-BCA", "02/2011/QH13", "66.7/2025/NQ-CP", "1523/QĐ-BCA-C06", "24/2024": the
# number and year, then a code of capitals. Digits belong to the code only after "QH" (the
# legislature, two digits) or after a single letter ("C06"): any other digit glued to a code
# starts the next number.
_LEGAL_HEAD = re.compile(r"\d+[a-z]?(?:\.\d+)?/\d{4}")
_LEGAL_SEGMENT = re.compile(r"TTg|[A-ZĐ]+")
_YEAR_GLUED = re.compile(r"(?:19|20)\d\d(?=\d{1,4}/)")
_VIETNAMESE_ONSET = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]")


def _legal_code_end(body: str, position: int) -> int:
    """Where the code ("/TT-BCA", "/QH13") that may start at `position` ends."""
    if body[position : position + 1] != "/":
        return position
    end = position + 1
    while segment := _LEGAL_SEGMENT.match(body, end):
        end = segment.end()
        letters = segment.group()
        digits = re.match(r"\d{1,2}", body[end:])
        if digits and (letters.endswith("QH") or len(letters) == 1):
            end += len(digits.group())
        if body[end : end + 1] != "-" or not body[end + 1 : end + 2].isalpha():
            break
        end += 1
    return end if end > position + 1 else position


def _is_word_start(text: str) -> bool:
    """Whether `text` starts like a Vietnamese word ("Luật", "Nghị", "quy"), not like the
    tail of a code glued to one ("Tquy", "MTquy")."""
    return _VIETNAMESE_ONSET.match(fold(text[:4])) is not None


def _legal_rows(body: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each document number that ends a row. A number ends a row when the
    text ends or a letter is glued to it (the next row's title); a number followed by a
    space, punctuation or another number is quoted inside a title."""
    position = 0
    while head := _LEGAL_HEAD.search(body, position):
        start = head.start()
        glued_year = _YEAR_GLUED.match(body, start)
        if glued_year:  # "... năm 2011" + "02/2011/QH13"
            start = glued_year.end()
        end = _legal_code_end(body, head.end())
        position = end
        if end == len(body):
            yield start, end
        elif body[end].isalpha():
            cut = _title_start(body, head.end() + 1, end)
            if cut is not None:
                yield start, cut
                position = cut


def _title_start(body: str, code_start: int, end: int) -> int | None:
    """Where the title glued after a code ending at `end` starts. The code's capitals may
    have swallowed the capital of the title ("TT-BCALuật"): give back as few as make the
    title start like a word; else the title starts with a lower-case word ("TT-BNNMTquy")
    or a capital word ("QH13Luật")."""
    for give_back in range(1, 4):
        cut = end - give_back
        if cut <= code_start or not body[cut].isupper():
            break
        if body[cut + 1].islower() and _is_word_start(body[cut:]):
            return cut
    if body[end].islower() or _is_word_start(body[end:]):
        return end
    return None


def parse_legal_basis(text: str) -> tuple[tuple[tuple[str, str], ...], list[Issue]]:
    """Read `can_cu_phap_ly` into (number, title) pairs: "Luật Khiếu nại02/2011/QH13" ->
    ("02/2011/QH13", "Luật Khiếu nại")."""
    body = _strip_page_junk(text).strip()
    if body.startswith(LEGAL_HEADER):
        body = body[len(LEGAL_HEADER) :]
    if _is_no_information(body[: len(NO_INFORMATION)]):
        return (), []
    pairs = []
    position = 0
    for start, end in _legal_rows(body):
        pairs.append((body[start:end], normalize(body[position:start]).strip(" ;,.:")))
        position = end
    if not pairs:
        return (("", normalize(body)),), [(Reason.LEGAL_BASIS_UNPARSED, normalize(body)[:200])]
    rest = normalize(body[position:]).strip(" ;,.:")
    if rest:
        pairs.append(("", rest))
    return tuple(pairs), []


# --------------------------------------------------------------------------------------
# Result, levels
# --------------------------------------------------------------------------------------

_RESULT_CODE = re.compile(r"Mã:\s?KQ\.[A-Z]\d+\.\d+")
_RESULT_LAST_CODE = re.compile(r"Mã:[^\n]*$")


def parse_result(text: str) -> str:
    """Read `ket_qua_xu_ly`: the result names (each before its "Mã: KQ..." code), one per
    line, plus the portal's free description when it has one; page navigation dropped."""
    head, _, tail = text.partition("Từ khóa")
    head = head.split("Chọn cơ quan thực hiện")[0]
    names = [_RESULT_LAST_CODE.sub("", part) for part in _RESULT_CODE.split(head)]
    lines = [_block(name) for name in names if _block(name)]
    _, found, description = tail.partition("Mô tả")
    if found:
        extra = _informative(description.split("Chọn cơ quan thực hiện")[0])
        if extra:
            lines.append(extra)
    return "\n".join(lines)


_LEVELS: Mapping[str, ImplementingLevel] = {
    fold("Cấp bộ"): ImplementingLevel.MINISTRY,
    fold("Cấp tỉnh"): ImplementingLevel.PROVINCE,
    fold("Cấp xã"): ImplementingLevel.COMMUNE,
    fold("Cơ quan khác"): ImplementingLevel.OTHER,
}


def parse_levels(text: str) -> tuple[frozenset[ImplementingLevel], list[Issue]]:
    """Read `cap_thuc_hien`: "Cấp bộ, Cấp tỉnh, Cấp xã", "Cơ quan khác", ..."""
    levels = set()
    issues: list[Issue] = []
    for part in text.split(","):
        key = fold(part)
        if not key:
            continue
        if key in _LEVELS:
            levels.add(_LEVELS[key])
        else:
            issues.append((Reason.LEVELS_UNRECOGNISED, normalize(part)))
    return frozenset(levels), issues


# --------------------------------------------------------------------------------------
# One record -> ProcedureSpec
# --------------------------------------------------------------------------------------

_SAME_PROCEDURE_RATIO = 0.6
_LEGAL_WORDS = "Căn cứ pháp lý"


def _describes_same_procedure(listing: ListingRow, detail: Mapping[str, str]) -> bool:
    """The scraper sometimes saved another (local) procedure's page under a national code:
    its name then has nothing in common with the listing's."""
    ours, theirs = fold(listing.name), fold(detail.get("ten_thu_tuc", ""))
    if not ours or not theirs or ours == theirs:
        return True
    return difflib.SequenceMatcher(None, ours, theirs).ratio() >= _SAME_PROCEDURE_RATIO


def build_spec(record: SourceRecord) -> tuple[ProcedureSpec, list[Problem]]:
    """Turn what the inputs say about one code into a ProcedureSpec and the problems met."""
    issues: list[Issue] = []
    listing, detail = record.listing, record.detail
    if record.duplicated:
        issues.append((Reason.DUPLICATE_CODE, ""))
    if (
        listing is not None
        and detail is not None
        and not _describes_same_procedure(listing, detail)
    ):
        issues.append((Reason.DETAIL_MISMATCH, normalize(detail.get("ten_thu_tuc", ""))[:200]))
        detail = None
    if detail is None:
        if record.detail is None:
            issues.append((Reason.DETAIL_MISSING, ""))
        detail = {}

    def get(key: str) -> str:
        return detail.get(key, "")

    listing_fields = _unique_lines(listing.field_name) if listing else []
    field_name = normalize(get("linh_vuc")) or (listing_fields[0] if listing_fields else "")
    issuing_authority = (listing.issuing_authority if listing else "") or MINISTRY_FOLDERS.get(
        get("_bo_nganh_folder"), ""
    )
    levels, level_issues = parse_levels(get("cap_thuc_hien"))
    issues.extend(level_issues)

    implementing_agencies = ", ".join(
        _unique_lines(get("co_quan_thuc_hien"), listing.implementing_agencies if listing else "")
    )
    if detail:
        channel_text, legal_text = get("cach_thuc_thuc_hien"), get("can_cu_phap_ly")
        if legal_text.startswith(":") and channel_text.rstrip().endswith("("):
            channel_text, legal_text = f"{channel_text}{_LEGAL_WORDS}{legal_text}", ""
            issues.append((Reason.LEGAL_BASIS_MISPLACED, ""))
        channels, channel_issues = parse_channels(channel_text)
        documents, document_issues = parse_documents(get("thanh_phan_ho_so"))
        legal_basis, legal_issues = parse_legal_basis(legal_text)
        issues.extend([*channel_issues, *document_issues, *legal_issues])
        version = VersionSpec(
            publishing_decision=normalize(get("so_quyet_dinh")),
            competent_authority=_informative(get("co_quan_co_tham_quyen")),
            implementing_agencies=implementing_agencies,
            coordinating_agencies=_informative(get("co_quan_phoi_hop")),
            subjects=_informative(get("doi_tuong_thuc_hien")),
            steps_description=_informative(get("trinh_tu_thuc_hien")),
            conditions=_informative(_strip_page_junk(get("yeu_cau_dieu_kien"))),
            result_description=parse_result(get("ket_qua_xu_ly")),
            legal_basis=legal_basis,
            channels=tuple(channels),
            documents=tuple(documents),
        )
    else:
        version = VersionSpec(implementing_agencies=implementing_agencies)
    spec = ProcedureSpec(
        code=record.code,
        name=(listing.name if listing else "") or normalize(get("ten_thu_tuc")),
        field_name=field_name,
        levels=levels,
        kind=normalize(get("loai_thu_tuc")),
        issuing_authority=issuing_authority,
        source=ProcedureSource.NATIONAL_PORTAL,
        source_url=get("detail_url").strip(),
        version=version,
    )
    return spec, [Problem(record.code, reason, text) for reason, text in issues]


# --------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------


@dataclass
class ParseStats:
    """How many channel rows had their time limit and their fee read."""

    channel_rows: int = 0
    time_parsed: int = 0
    fee_parsed: int = 0
    both_parsed: int = 0
    fee_kinds: Counter[str] = field(default_factory=Counter)
    time_units: Counter[str] = field(default_factory=Counter)

    def add(self, spec: ProcedureSpec) -> None:
        for channel in spec.version.channels:
            time_ok = channel.time_limit_unit is not None
            # A fee that varies by case is kept as text and reported, not counted as read.
            fee_ok = channel.fee_kind not in (FeeKind.UNKNOWN, FeeKind.VARIES)
            self.channel_rows += 1
            self.time_parsed += time_ok
            self.fee_parsed += fee_ok
            self.both_parsed += time_ok and fee_ok
            self.fee_kinds[channel.fee_kind.value] += 1
            self.time_units[channel.time_limit_unit.value if channel.time_limit_unit else "-"] += 1

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{100 * part / whole:.1f}% ({part:,}/{whole:,})" if whole else "- (0/0)"
