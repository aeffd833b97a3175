import datetime as dt

import pytest

from motcua.accounts.identifiers import parse_identifier
from motcua.domain.personal_id import personal_id_problem

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("0912345678", "phone", "0912345678"),
        ("091 234 5678", "phone", "0912345678"),
        ("+84 912 345 678", "phone", "0912345678"),
        ("84912345678", "phone", "0912345678"),
        (" An.Nguyen@Example.VN ", "email", "an.nguyen@example.vn"),
    ],
)
def test_identifiers_are_normalised(raw: str, kind: str, value: str) -> None:
    identifier = parse_identifier(raw)
    assert identifier is not None
    assert (identifier.kind, identifier.value) == (kind, value)


@pytest.mark.parametrize(
    "raw",
    ["", "12345", "0212345678", "02438123456", "an@", "an@example", "a b@example.vn", "09123"],
    ids=["empty", "short", "not-mobile", "landline", "no-domain", "no-tld", "space", "digits"],
)
def test_other_input_is_not_an_identifier(raw: str) -> None:
    assert parse_identifier(raw) is None


def test_masking_hides_the_middle() -> None:
    phone = parse_identifier("0912345678")
    email = parse_identifier("an.nguyen@example.vn")
    assert phone is not None and email is not None
    assert "2345" not in phone.masked and phone.masked.endswith("78")
    assert "n.nguyen" not in email.masked and email.masked.endswith("@example.vn")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("001203004567", ""),  # Hà Nội, male born 2003
        ("079190123456", ""),  # TP Hồ Chí Minh, female born 1990
        ("00120300456", "shape"),
        ("0012030045678", "shape"),
        ("00120300456a", "shape"),
        ("003203004567", "province"),  # 003 is not a province code
        ("123203004567", "province"),
        ("001299004567", "future"),  # century digit 2 + 99 -> 2099
        ("001403004567", "future"),  # century digit 4 -> 2100s
    ],
)
def test_personal_id_structure(value: str, problem: str) -> None:
    assert personal_id_problem(value, today=TODAY) == problem
