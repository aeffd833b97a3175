import pytest

from motcua.domain.files import JPEG, PDF, PNG, sniff


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(b"%PDF-1.7\n", PDF, id="pdf"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG, id="jpeg"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00", PNG, id="png"),
        pytest.param(b"MZ\x90\x00", None, id="windows executable"),
        pytest.param(b"<html>", None, id="html named .pdf"),
        pytest.param(b"PK\x03\x04", None, id="zip or docx"),
        pytest.param(b"", None, id="empty"),
        pytest.param(b"%PD", None, id="truncated pdf signature"),
    ],
)
def test_the_type_comes_from_the_first_bytes(head: bytes, expected: object) -> None:
    assert sniff(head) == expected
