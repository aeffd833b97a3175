"""What a page or a log may show of a person's contact details (Decree 13/2023: no more
personal data than the purpose needs): enough to recognise them, not to use them."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """The first three and the last two digits: `0912345678` -> `091*****78`."""
    if len(phone) <= 5:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]


def mask_email(address: str) -> str:
    """The first letter of the mailbox and the whole domain: `lan@mail.vn` -> `l**@mail.vn`."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}{'*' * max(1, len(local) - 1)}@{domain}"
