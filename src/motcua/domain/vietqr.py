"""VietQR payloads: the NAPAS profile of the EMVCo merchant-presented QR code.

A payload is a string of TLV fields (two-digit tag, two-digit length, value), in ascending
tag order, closed by the CRC field `63`:

    00 payload format "01"          01 point of initiation: "11" static, "12" dynamic
    38 NAPAS merchant account:      00 GUID A000000727
                                    01 beneficiary organisation: 00 bank BIN, 01 account/card
                                    02 service: QRIBFTTA (to account), QRIBFTTC (to card),
                                       absent for a merchant payment (QRPUSH)
    52 merchant category (MCC)      53 currency "704" (VND)       54 amount
    58 country "VN"                 59 merchant name              60 merchant city
    62 additional data: 01 bill number, 03 store label, 08 purpose of transaction
    63 CRC-16/CCITT-FALSE over everything before its value, "6304" included

`build` and `parse` are inverse: `parse(build(q)) == q` for every valid `q`. Both raise
`VietQRError` with a stable `code` and the field at fault, for interfaces to word the error.
Text values use the EMVCo common character set (printable ASCII): Vietnamese diacritics are
not allowed, `plain_text` strips them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
SERVICES = frozenset({SERVICE_ACCOUNT, SERVICE_CARD})
CURRENCY_VND = "704"
COUNTRY_VN = "VN"

# EMVCo maximum lengths.
MAX_AMOUNT_LENGTH = 13
MAX_ACCOUNT_LENGTH = 19
MAX_TEXT_LENGTH = 25  # bill number, store label, purpose, merchant name
MAX_CITY_LENGTH = 15
MAX_FIELD_LENGTH = 99

_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]+")
_MCC = re.compile(r"\d{4}")
_TEXT = re.compile(r"[\x20-\x7e]*")  # the EMVCo common character set
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D"})


class VietQRError(ValueError):
    """A payload or a field that is not valid VietQR. `code` is stable: `bin`, `account`,
    `service`, `amount`, `text`, `too_long`, `format`, `crc`, `missing`."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.code = code
        self.field = field
        self.message = message


@dataclass(frozen=True)
class VietQR:
    """The fields of one VietQR payload. `amount` is in dong (VND has no minor unit); None
    lets the payer type it. `service` None is a merchant payment (QRPUSH)."""

    bin: str
    account: str
    service: str | None = SERVICE_ACCOUNT
    amount: int | None = None
    purpose: str = ""
    bill_number: str = ""
    store_label: str = ""
    merchant_category: str = ""
    merchant_name: str = ""
    merchant_city: str = ""
    dynamic: bool = True


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) as 4 upper hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def plain_text(text: str) -> str:
    """`text` without Vietnamese diacritics ("Lệ phí hộ tịch" -> "Le phi ho tich"), the
    form banks accept in a transfer's purpose. Characters with no ASCII form are dropped."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped if "\x20" <= ch <= "\x7e")


def _tlv(tag: str, value: str) -> str:
    if len(value) > MAX_FIELD_LENGTH:
        raise VietQRError("too_long", tag, f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _text(field: str, value: str, limit: int) -> str:
    if not _TEXT.fullmatch(value):
        raise VietQRError(
            "text", field, "only unaccented letters, digits, spaces and ASCII punctuation"
        )
    if len(value) > limit:
        raise VietQRError("too_long", field, f"at most {limit} characters")
    return value


def amount_text(amount: int | Decimal) -> str:
    """The amount field's value: a positive whole number of dong, at most 13 digits."""
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise VietQRError("amount", "amount", "the amount must be a whole number of dong")
    if isinstance(amount, Decimal):
        if not amount.is_finite() or amount != amount.to_integral_value():
            raise VietQRError("amount", "amount", "the amount must be a whole number of dong")
        amount = int(amount)
    if amount <= 0:
        raise VietQRError("amount", "amount", "the amount must be positive")
    text = str(amount)
    if len(text) > MAX_AMOUNT_LENGTH:
        raise VietQRError("too_long", "amount", f"at most {MAX_AMOUNT_LENGTH} digits")
    return text


def validate(qr: VietQR) -> None:
    """Raise VietQRError for the first field that VietQR does not allow."""
    if not _BIN.fullmatch(qr.bin):
        raise VietQRError("bin", "bin", "the bank BIN must be 6 digits")
    if not _ACCOUNT.fullmatch(qr.account):
        raise VietQRError("account", "account", "the account may hold only letters and digits")
    if len(qr.account) > MAX_ACCOUNT_LENGTH:
        raise VietQRError("too_long", "account", f"at most {MAX_ACCOUNT_LENGTH} characters")
    if qr.service is not None and qr.service not in SERVICES:
        raise VietQRError("service", "service", "the service must be QRIBFTTA or QRIBFTTC")
    if qr.amount is not None:
        amount_text(qr.amount)
    if qr.merchant_category and not _MCC.fullmatch(qr.merchant_category):
        raise VietQRError("format", "merchant_category", "the MCC must be 4 digits")
    _text("purpose", qr.purpose, MAX_TEXT_LENGTH)
    _text("bill_number", qr.bill_number, MAX_TEXT_LENGTH)
    _text("store_label", qr.store_label, MAX_TEXT_LENGTH)
    _text("merchant_name", qr.merchant_name, MAX_TEXT_LENGTH)
    _text("merchant_city", qr.merchant_city, MAX_CITY_LENGTH)


def build(qr: VietQR) -> str:
    """The payload of `qr`, CRC included; VietQRError if a field is not allowed."""
    validate(qr)
    beneficiary = _tlv("00", qr.bin) + _tlv("01", qr.account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary)
    if qr.service is not None:
        merchant += _tlv("02", qr.service)
    parts = [_tlv("00", "01"), _tlv("01", "12" if qr.dynamic else "11"), _tlv("38", merchant)]
    if qr.merchant_category:
        parts.append(_tlv("52", qr.merchant_category))
    parts.append(_tlv("53", CURRENCY_VND))
    if qr.amount is not None:
        parts.append(_tlv("54", amount_text(qr.amount)))
    parts.append(_tlv("58", COUNTRY_VN))
    if qr.merchant_name:
        parts.append(_tlv("59", qr.merchant_name))
    if qr.merchant_city:
        parts.append(_tlv("60", qr.merchant_city))
    additional = "".join(
        _tlv(tag, value)
        for tag, value in (("01", qr.bill_number), ("03", qr.store_label), ("08", qr.purpose))
        if value
    )
    if additional:
        parts.append(_tlv("62", additional))
    body = "".join(parts) + "6304"
    return body + crc16(body)


def _fields(data: str, where: str) -> dict[str, str]:
    """TLV fields of `data`; VietQRError on a malformed or repeated field."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        header = data[pos : pos + 4]
        if len(header) < 4 or not (header.isascii() and header.isdigit()):
            raise VietQRError("format", where, f"malformed field at position {pos}")
        tag, length = header[:2], int(header[2:])
        value = data[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise VietQRError("format", where, f"field {tag} is cut short")
        if tag in fields:
            raise VietQRError("format", where, f"field {tag} appears twice")
        fields[tag] = value
        pos += 4 + length
    return fields


def _required(fields: dict[str, str], tag: str, where: str) -> str:
    try:
        return fields[tag]
    except KeyError:
        raise VietQRError("missing", where, f"field {tag} is missing") from None


def parse(payload: str) -> VietQR:
    """The fields of a VietQR payload after checking its CRC and its NAPAS account
    information; VietQRError otherwise."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("format", "63", "the payload must end with the CRC field 6304")
    if crc16(payload[:-4]) != payload[-4:].upper():
        raise VietQRError("crc", "63", "the CRC does not match the payload")
    top = _fields(payload[:-8], "payload")
    if _required(top, "00", "00") != "01":
        raise VietQRError("format", "00", "unknown payload format")
    initiation = _required(top, "01", "01")
    if initiation not in {"11", "12"}:
        raise VietQRError("format", "01", "the point of initiation must be 11 or 12")
    merchant = _fields(_required(top, "38", "38"), "38")
    if _required(merchant, "00", "38.00") != NAPAS_GUID:
        raise VietQRError("format", "38.00", "not a NAPAS (VietQR) account")
    beneficiary = _fields(_required(merchant, "01", "38.01"), "38.01")
    if _required(top, "53", "53") != CURRENCY_VND:
        raise VietQRError("format", "53", "the currency must be 704 (VND)")
    if _required(top, "58", "58") != COUNTRY_VN:
        raise VietQRError("format", "58", "the country must be VN")
    amount: int | None = None
    if "54" in top:
        if not (top["54"].isascii() and top["54"].isdigit()):
            raise VietQRError("amount", "amount", "the amount must be a whole number of dong")
        amount = int(top["54"])
    additional = _fields(top.get("62", ""), "62")
    qr = VietQR(
        bin=_required(beneficiary, "00", "38.01.00"),
        account=_required(beneficiary, "01", "38.01.01"),
        service=merchant.get("02"),
        amount=amount,
        purpose=additional.get("08", ""),
        bill_number=additional.get("01", ""),
        store_label=additional.get("03", ""),
        merchant_category=top.get("52", ""),
        merchant_name=top.get("59", ""),
        merchant_city=top.get("60", ""),
        dynamic=initiation == "12",
    )
    validate(qr)
    return qr
