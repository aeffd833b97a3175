import pytest

from motcua.domain.masking import mask_email, mask_phone


@pytest.mark.parametrize(
    ("phone", "shown"),
    [("0912345678", "091*****78"), ("02438251234", "024******34"), ("123", "***")],
)
def test_mask_phone(phone: str, shown: str) -> None:
    assert mask_phone(phone) == shown


@pytest.mark.parametrize(
    ("address", "shown"),
    [("lan@mail.vn", "l**@mail.vn"), ("a@x.vn", "a*@x.vn")],
)
def test_mask_email(address: str, shown: str) -> None:
    assert mask_email(address) == shown
