"""Test doubles shared by the apps' tests."""

from __future__ import annotations

from motcua.integrations.notifications import NotificationError


class Inbox:
    """A notification backend that keeps what it is given; a channel in `down` fails as
    the SMS gateway or the mail server would."""

    def __init__(self) -> None:
        self.sms: list[tuple[str, str]] = []
        self.email: list[tuple[str, str, str]] = []
        self.down: set[str] = set()

    def send_sms(self, phone: str, text: str) -> None:
        if "sms" in self.down:
            raise NotificationError("gateway away")
        self.sms.append((phone, text))

    def send_email(self, address: str, subject: str, text: str) -> None:
        if "email" in self.down:
            raise NotificationError("SMTP refused")
        self.email.append((address, subject, text))
