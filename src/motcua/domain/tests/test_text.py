import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.domain.text import fold, normalize, strip_marks

VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ĐĂÂÊÔƠƯ"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Đăng ký khai sinh", "dang ky khai sinh", id="d-with-stroke-and-tones"),
        pytest.param("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon", id="upper-case"),
        pytest.param("  Chứng   thực\tbản sao ", "chung thuc ban sao", id="whitespace"),
        pytest.param("Hộ tịch", "ho tich", id="dot-below"),
        pytest.param("Giấy phép xây dựng", "giay phep xay dung", id="hook-above"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_ignores_unicode_composition() -> None:
    composed = unicodedata.normalize("NFC", "Thường trú")
    decomposed = unicodedata.normalize("NFD", "Thường trú")
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "thuong tru"


def test_normalize_composes_and_collapses() -> None:
    assert normalize(unicodedata.normalize("NFD", " Hộ  tịch ")) == unicodedata.normalize(
        "NFC", "Hộ tịch"
    )


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=VIETNAMESE_LETTERS))
def test_fold_of_vietnamese_text_is_plain_ascii(text: str) -> None:
    assert fold(text).isascii()


def test_strip_marks_keeps_case_and_everything_but_the_marks() -> None:
    assert strip_marks("Hồ sơ ĐẠT yêu cầu, hẹn 14:00") == "Ho so DAT yeu cau, hen 14:00"


@given(st.text(alphabet=VIETNAMESE_LETTERS))
def test_strip_marks_of_vietnamese_text_is_ascii_and_folds_alike(text: str) -> None:
    assert strip_marks(text).isascii()
    assert fold(strip_marks(text)) == fold(text)
