from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@dataclass
class Outbox:
    """A notifier that keeps what it was asked to send, as a phone or a mailbox would."""

    sms: list[tuple[str, str]] = field(default_factory=list)
    email: list[tuple[str, str, str]] = field(default_factory=list)
    failing: bool = False
    delivers = True

    def send_sms(self, phone: str, text: str, *, key: str | None = None) -> None:
        from motcua.integrations.notifications import NotificationError

        if self.failing:
            raise NotificationError("gateway down")
        self.sms.append((phone, text))

    def send_email(self, address: str, subject: str, text: str) -> None:
        self.email.append((address, subject, text))

    def last_code(self) -> str:
        texts = [text for _to, text in self.sms] + [text for *_rest, text in self.email]
        match = re.search(r"\b(\d{6})\b", texts[-1])
        assert match, texts[-1]
        return match.group(1)


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Outbox:
    box = Outbox()
    monkeypatch.setattr("motcua.accounts.services.notifier", lambda: box)
    return box
