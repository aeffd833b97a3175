"""What the sender of a complaint or recommendation is told, by SMS and e-mail: that it was
refused and why, that the agency asks for more information, and its answer (the actions
whose service writes a `complaint.*` outbox message with `notify`). The contact details are
the ones the sender gave with it. Sent by the outbox worker through `integrations.notices`."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.links import public_url
from motcua.integrations.models import NoticeChannel, OutboxMessage, SentNotice
from motcua.integrations.notices import (
    Notice,
    NoticeDestination,
    Untold,
    Wording,
    email_text,
    sent_for,
    untold_for,
)

from .models import ComplaintAction, ComplaintEvent

NAME = "complaint-notices"
TOPICS = ("complaint.*",)


def message_key(action: str, event_id: int) -> str:
    """The outbox key of the message written for an event (its idempotency key)."""
    return f"complaint.{action}:{event_id}"


def sent_by_event(events: Iterable[ComplaintEvent]) -> dict[int, list[SentNotice]]:
    """The notices sent to the sender for each of `events` (by event id)."""
    return sent_for({message_key(e.action, e.pk): e.pk for e in events})


def untold_by_event(events: Iterable[ComplaintEvent]) -> dict[int, Untold]:
    """The events whose notices did not all reach the sender yet, by event id."""
    return untold_for({message_key(e.action, e.pk): e.pk for e in events}, NAME)


def complaint_notices() -> NoticeDestination:
    """The outbox destination of the senders' notices (`FeedbackConfig`)."""
    return NoticeDestination(name=NAME, topics=TOPICS, compose=compose)


# What the sender is told of each action: the e-mail's subject, the SMS, the e-mail's
# paragraph (the greeting and the footer are added).
TEXTS: dict[str, Wording] = {
    ComplaintAction.REFUSE: Wording(
        gettext_lazy("Your complaint or recommendation %(code)s will not be handled"),
        gettext_lazy("Complaint or recommendation %(code)s will not be handled. Reason: %(note)s"),
        gettext_lazy(
            "%(agency)s will not handle your complaint or recommendation %(code)s "
            "(“%(subject)s”).\nReason: %(note)s"
        ),
    ),
    ComplaintAction.REQUEST_INFORMATION: Wording(
        gettext_lazy("Complaint or recommendation %(code)s: more information needed"),
        gettext_lazy(
            "%(agency)s needs more information about complaint or recommendation "
            "%(code)s. Answer at %(follow)s"
        ),
        gettext_lazy(
            "To handle your complaint or recommendation %(code)s (“%(subject)s”), "
            "%(agency)s asks:\n%(note)s\nAnswer at %(follow)s with the access key you "
            "were given, or from your account."
        ),
    ),
    ComplaintAction.ANSWER: Wording(
        gettext_lazy("Complaint or recommendation %(code)s: the answer"),
        gettext_lazy(
            "%(agency)s answered complaint or recommendation %(code)s. Read it by "
            "e-mail or at %(follow)s"
        ),
        gettext_lazy(
            "%(agency)s answers your complaint or recommendation %(code)s "
            "(“%(subject)s”):\n%(note)s"
        ),
    ),
}


def compose(message: OutboxMessage) -> list[Notice]:
    payload = message.payload if isinstance(message.payload, dict) else {}
    event_id, to = payload.get("event"), payload.get("to")
    if not isinstance(event_id, int) or not isinstance(to, dict):
        return []
    event = (
        ComplaintEvent.objects.select_related("complaint", "complaint__agency")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action not in TEXTS:
        return []
    complaint = event.complaint
    with translation.override(settings.LANGUAGE_CODE):
        follow = public_url(
            f"{reverse('portal:complaint_follow')}?{urlencode({'code': complaint.tracking_code})}"
        )
        facts = {
            "code": complaint.tracking_code,
            "agency": complaint.agency.name,
            "subject": complaint.subject,
            "note": event.note,
            "follow": follow,
        }
        text = TEXTS[event.action].fill(facts)
        email = email_text(to.get("name") or _("Sir or Madam"), text.body)
    notices = []
    if to.get("phone"):
        notices.append(Notice(NoticeChannel.SMS, str(to["phone"]), text.sms))
    if to.get("email"):
        notices.append(Notice(NoticeChannel.EMAIL, str(to["email"]), email, text.subject))
    return notices
