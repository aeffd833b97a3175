import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.domain import vietqr
from motcua.domain.vietqr import VietQR, VietQRError

# The shared vectors live beside the repository: <repo>/../shared/data/vietqr/.
REPO_ROOT = Path(__file__).resolve().parents[4]
VECTORS_PATH = REPO_ROOT.parent / "shared" / "data" / "vietqr" / "vietqr_test_vectors.json"


def _vectors() -> list[Any]:
    data = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    return [pytest.param(v, id=v["description"][:40]) for v in data["vectors"]]


def test_crc_check_value() -> None:
    assert vietqr.crc16("123456789") == "29B1"


@pytest.mark.parametrize("vector", _vectors())
def test_shared_vector_round_trips_byte_for_byte(vector: dict[str, str]) -> None:
    qr = vietqr.parse(vector["payload"])
    assert vietqr.build(qr) == vector["payload"]
    assert vector["payload"].endswith(vector["crc"])


def test_fee_payment_payload_built_from_its_fields() -> None:
    # The first shared vector, from the fields a fee payment has.
    payload = vietqr.build(
        VietQR(bin="970436", account="1023456789", amount=1943000, purpose="TT000069")
    )
    expected = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))["vectors"][0]["payload"]
    assert payload == expected


def test_merchant_payment_fields_are_read_back() -> None:
    vector = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))["vectors"][2]["payload"]
    qr = vietqr.parse(vector)
    assert (qr.service, qr.dynamic, qr.amount) == (None, False, None)
    assert (qr.merchant_name, qr.merchant_city, qr.merchant_category) == (
        "PHUONG CAC",
        "HANOI",
        "5812",
    )


BASE = VietQR(bin="970436", account="1023456789", amount=50000, purpose="H99-261123-0001")


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        pytest.param({"amount": 0}, "amount", "amount", id="zero-amount"),
        pytest.param({"amount": -5}, "amount", "amount", id="negative-amount"),
        pytest.param({"amount": Decimal("10.5")}, "amount", "amount", id="fractional-dong"),
        pytest.param({"amount": 10**13}, "too_long", "amount", id="amount-14-digits"),
        pytest.param({"bin": "97043"}, "bin", "bin", id="bin-5-digits"),
        pytest.param({"bin": "97043A"}, "bin", "bin", id="bin-letter"),
        pytest.param({"account": ""}, "account", "account", id="empty-account"),
        pytest.param({"account": "12 34"}, "account", "account", id="account-space"),
        pytest.param({"account": "1" * 20}, "too_long", "account", id="account-20"),
        pytest.param({"service": "QRPUSH"}, "service", "service", id="unknown-service"),
        pytest.param({"purpose": "x" * 26}, "too_long", "purpose", id="purpose-26"),
        pytest.param({"purpose": "Lệ phí hộ tịch"}, "text", "purpose", id="purpose-diacritics"),
        pytest.param({"purpose": "a\nb"}, "text", "purpose", id="purpose-newline"),
        pytest.param({"merchant_city": "x" * 16}, "too_long", "merchant_city", id="city-16"),
    ],
)
def test_bad_fields_are_refused_with_a_stable_code(
    changes: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(VietQRError) as err:
        vietqr.build(VietQR(**{**BASE.__dict__, **changes}))
    assert (err.value.code, err.value.field) == (code, field)


def test_a_changed_character_breaks_the_crc() -> None:
    payload = vietqr.build(BASE)
    tampered = payload.replace("50000", "90000")
    with pytest.raises(VietQRError) as err:
        vietqr.parse(tampered)
    assert err.value.code == "crc"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("", id="empty"),
        pytest.param("hello", id="garbage"),
        pytest.param("000201" + "6304", id="no-crc-value"),
        pytest.param("00020101021253037045802VN6304", id="cut"),
    ],
)
def test_malformed_payloads_are_refused(payload: str) -> None:
    body = payload
    if payload.endswith("6304"):
        body = payload + vietqr.crc16(payload)
    with pytest.raises(VietQRError):
        vietqr.parse(body)


def test_plain_text_strips_vietnamese_diacritics() -> None:
    assert vietqr.plain_text("Lệ phí đăng ký Hộ tịch") == "Le phi dang ky Ho tich"
    assert vietqr.plain_text("ĐỒNG") == "DONG"


_printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=25)
qr_fields = st.builds(
    VietQR,
    bin=st.from_regex(r"\A[0-9]{6}\Z"),
    account=st.from_regex(r"\A[0-9A-Za-z]{1,19}\Z"),
    service=st.sampled_from([vietqr.SERVICE_ACCOUNT, vietqr.SERVICE_CARD, None]),
    amount=st.none() | st.integers(min_value=1, max_value=10**13 - 1),
    purpose=_printable,
    bill_number=_printable,
    store_label=_printable,
    merchant_category=st.just("") | st.from_regex(r"\A[0-9]{4}\Z"),
    merchant_name=_printable,
    merchant_city=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=15),
    dynamic=st.booleans(),
)


@given(qr_fields)
def test_every_payload_decodes_back_to_its_fields_and_its_crc_checks(qr: VietQR) -> None:
    payload = vietqr.build(qr)
    assert vietqr.crc16(payload[:-4]) == payload[-4:]
    assert vietqr.parse(payload) == qr


@given(
    st.text(max_size=200)
    | st.builds(lambda body: body + "6304" + vietqr.crc16(body + "6304"), st.text(max_size=120))
)
def test_any_text_either_parses_or_fails_with_a_vietqr_error(text: str) -> None:
    try:
        qr = vietqr.parse(text)
    except VietQRError as exc:
        assert exc.code in {
            "format",
            "crc",
            "missing",
            "amount",
            "bin",
            "account",
            "service",
            "text",
            "too_long",
        }
    else:
        assert vietqr.parse(vietqr.build(qr)) == qr
