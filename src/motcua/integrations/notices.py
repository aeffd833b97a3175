"""Notices to people by SMS and e-mail, sent from the outbox.

The law makes the desk tell the applicant what happens to an online or postal dossier (its
reception, a supplement request within 1 working day, the letter of apology for a late one,
the result), and a complaint's sender the answer. A change writes its outbox message in its
own transaction; an app that has people to tell declares a destination for its topics (its
`AppConfig.outbox_destinations`), built here as a `NoticeDestination` with the app's own
`compose`, which turns a message into the notices to send. The outbox worker then hands the
message to it as to a webhook (`integrations.delivery`), with the same retries.

Each notice that reached the notification backend (`integrations.notifications`) is kept as
a `SentNotice`, one per message and channel (not those the console backend of development
and the demo only prints: nobody was told): the proof that the person was told, shown in
the dossier's timeline, and what keeps a retry from sending it twice (when the SMS went and
the e-mail did not, the next attempt sends only the e-mail).

Settings: `MOTCUA_NOTICE_CHANNELS` (the channels used, comma-separated among `sms` and
`email`; both by default, empty for none: a deployment without an SMS contract drops `sms`),
and `MOTCUA_SMS_WITHOUT_MARKS` (`1` by default: an SMS goes without diacritics, so that a
part holds 160 characters instead of 70 and costs a third as much; `0` keeps them)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.conf import setting
from motcua.domain.masking import mask_email, mask_phone
from motcua.domain.text import strip_marks

from .models import NoticeChannel, OutboxMessage, SentNotice
from .notifications import DeliveryFailed, NotificationError, Notifier, notifier


@dataclass(frozen=True)
class Notice:
    """One message to one person on one channel; `subject` is the e-mail's."""

    channel: NoticeChannel
    to: str
    text: str
    subject: str = ""

    @property
    def masked_to(self) -> str:
        return mask_phone(self.to) if self.channel == NoticeChannel.SMS else mask_email(self.to)


def channels() -> frozenset[NoticeChannel]:
    """The channels the deployment uses (`MOTCUA_NOTICE_CHANNELS`)."""
    raw = setting("MOTCUA_NOTICE_CHANNELS", "sms,email")
    names = {name.strip().lower() for name in raw.split(",") if name.strip()}
    unknown = names - set(NoticeChannel.values)
    if unknown:
        raise ImproperlyConfigured(
            f"MOTCUA_NOTICE_CHANNELS: unknown channel(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(NoticeChannel.values)}."
        )
    return frozenset(NoticeChannel(name) for name in names)


def sms_text(text: str) -> str:
    """What an SMS carries of `text` (see `MOTCUA_SMS_WITHOUT_MARKS`)."""
    keep = setting("MOTCUA_SMS_WITHOUT_MARKS", "1").strip().lower() in ("0", "false", "no")
    return text if keep else strip_marks(text)


@dataclass(frozen=True)
class Wording:
    """What a notice says: the e-mail's subject, the SMS, the e-mail's paragraph. Written
    with `gettext_lazy` and `%(name)s` placeholders; `fill` gives the text in the active
    language."""

    subject: Any
    sms: Any
    body: Any

    def fill(self, facts: Mapping[str, str]) -> Wording:
        return Wording(str(self.subject) % facts, str(self.sms) % facts, str(self.body) % facts)


Compose = Callable[[OutboxMessage], Iterable[Notice]]
K = TypeVar("K")


@dataclass(frozen=True)
class NoticeDestination:
    """An outbox destination that tells people (see the module docstring). `compose` gives
    at most one notice per channel for a message, none when there is no one to tell."""

    name: str
    topics: tuple[str, ...]
    compose: Compose
    backend: Callable[[], Notifier] = notifier

    def accepts(self, topic: str) -> bool:
        return any(fnmatch.fnmatchcase(topic, pattern) for pattern in self.topics)

    def send(self, message: OutboxMessage) -> None:
        used = channels()
        wanted = [n for n in self.compose(message) if n.channel in used and n.to]
        if not wanted:
            return
        if len({n.channel for n in wanted}) != len(wanted):
            raise ValueError(f"{self.name}: one notice per channel, for {message.key}.")
        sent = set(SentNotice.objects.filter(key=message.key).values_list("channel", flat=True))
        errors, final = [], True
        backend = None
        for notice in wanted:
            if notice.channel in sent:
                continue
            try:
                backend = backend or self.backend()
                text = self._send(backend, notice, key=f"{message.key}:{notice.channel}")
            except NotificationError as exc:
                errors.append(f"{notice.channel}: {exc}")
                final = final and exc.final
                continue
            if not backend.delivers:
                continue  # printed on the console: nobody was told
            SentNotice.objects.create(
                key=message.key,
                channel=notice.channel,
                recipient=notice.masked_to,
                text=text,
                sent_at=timezone.now(),
            )
        if errors:
            # Given up at once only when every channel that failed refused for good (a
            # number the gateway rejects); a passing failure is retried, for all of them.
            raise DeliveryFailed("; ".join(errors), final=final)

    @staticmethod
    def _send(backend: Notifier, notice: Notice, *, key: str) -> str:
        """Hand the notice to the backend; returns the text as sent."""
        if notice.channel == NoticeChannel.SMS:
            text = sms_text(notice.text)
            backend.send_sms(notice.to, text, key=key)
            return text
        backend.send_email(notice.to, notice.subject, notice.text)
        return notice.text


def email_text(name: str, *paragraphs: str) -> str:
    """An e-mail notice's text: the greeting, `paragraphs`, and the line saying not to reply.
    Call it in the language of the notice."""
    return "\n\n".join(
        [
            _("Dear %(name)s,") % {"name": name},
            *paragraphs,
            _("This message was sent by the administrative procedure system; please do not reply."),
        ]
    )


def sent_for(keys: Mapping[str, K]) -> dict[K, list[SentNotice]]:
    """The notices sent for the outbox messages of `keys`, grouped by what each key maps to
    (an event's id), each group in the order sent."""
    found: dict[K, list[SentNotice]] = {}
    for notice in SentNotice.objects.filter(key__in=list(keys)).order_by("sent_at", "id"):
        found.setdefault(keys[notice.key], []).append(notice)
    return found


@dataclass(frozen=True)
class Untold:
    """Notices of a message that did not all reach the person: still tried (`attempts` so
    far), or given up (`failed`: tell them another way), and why."""

    failed: bool
    attempts: int
    reason: str


def untold_for(keys: Mapping[str, K], destination: str) -> dict[K, Untold]:
    """For the outbox messages of `keys` that `destination` has not taken yet, by what each
    key maps to (an event's id): why. A message not tried yet (the worker sends it within
    seconds), or whose person an officer told another way (`told_by_hand`), is left out."""
    prefix = f"{destination}: "
    untaken = [
        message
        for message in OutboxMessage.objects.filter(key__in=list(keys), delivered_at__isnull=True)
        if destination not in message.delivered_to
        and (message.attempts or message.failed_at is not None)
    ]
    if not untaken:
        return {}
    told = set(
        SentNotice.objects.filter(
            key__in=[m.key for m in untaken], channel=NoticeChannel.BY_HAND
        ).values_list("key", flat=True)
    )
    found: dict[K, Untold] = {}
    for message in untaken:
        if message.key in told:
            continue
        reasons = [
            part.strip().removeprefix(prefix)
            for part in message.last_error.split("; ")
            if part.strip().startswith(prefix)
        ]
        found[keys[message.key]] = Untold(
            message.failed_at is not None, message.attempts, "; ".join(reasons)
        )
    return found


def told_by_hand(message: OutboxMessage, *, recipient: str, officer: str, now: Any) -> SentNotice:
    """Record that an officer told the person another way (a call, a letter) what the
    failed `message` was to tell them: the proof, as a notice sent."""
    notice, _created = SentNotice.objects.get_or_create(
        key=message.key,
        channel=NoticeChannel.BY_HAND,
        defaults={"recipient": recipient, "text": officer, "sent_at": now},
    )
    return notice
