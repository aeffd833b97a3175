"""What the sender of a complaint or recommendation is told, by SMS and e-mail: that it was
refused and why, that the agency asks for more information, and its answer (the actions
whose service writes a `complaint.*` outbox message with `notify`). The contact details are
the ones the sender gave with it. Sent by the outbox worker through `integrations.notices`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.dossiers.links import public_url
from motcua.integrations.models import NoticeChannel, OutboxMessage
from motcua.integrations.notices import Notice, NoticeDestination, email_text

from .models import ComplaintAction, ComplaintEvent

NAME = "complaint-notices"
TOPICS = ("complaint.*",)


def complaint_notices() -> NoticeDestination:
    """The outbox destination of the senders' notices (`FeedbackConfig`)."""
    return NoticeDestination(name=NAME, topics=TOPICS, compose=compose)


def _texts(action: str, facts: dict[str, str]) -> tuple[str, str, str] | None:
    """(subject, SMS, e-mail paragraph) for `action`, None when the sender is not told."""
    if action == ComplaintAction.REFUSE:
        return (
            _("Your complaint or recommendation %(code)s will not be handled") % facts,
            _("Complaint or recommendation %(code)s will not be handled. Reason: %(note)s") % facts,
            _(
                "%(agency)s will not handle your complaint or recommendation %(code)s "
                "(“%(subject)s”).\nReason: %(note)s"
            )
            % facts,
        )
    if action == ComplaintAction.REQUEST_INFORMATION:
        return (
            _("Complaint or recommendation %(code)s: more information needed") % facts,
            _(
                "%(agency)s needs more information about complaint or recommendation "
                "%(code)s. Answer at %(follow)s"
            )
            % facts,
            _(
                "To handle your complaint or recommendation %(code)s (“%(subject)s”), "
                "%(agency)s asks:\n%(note)s\nAnswer at %(follow)s with the access key you "
                "were given, or from your account."
            )
            % facts,
        )
    if action == ComplaintAction.ANSWER:
        return (
            _("Complaint or recommendation %(code)s: the answer") % facts,
            _(
                "%(agency)s answered complaint or recommendation %(code)s. Read it by "
                "e-mail or at %(follow)s"
            )
            % facts,
            _(
                "%(agency)s answers your complaint or recommendation %(code)s "
                "(“%(subject)s”):\n%(note)s"
            )
            % facts,
        )
    return None


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
    if event is None:
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
        texts = _texts(event.action, facts)
        if texts is None:
            return []
        subject, sms, paragraph = texts
        email = email_text(to.get("name") or _("Sir or Madam"), paragraph)
    notices = []
    if to.get("phone"):
        notices.append(Notice(NoticeChannel.SMS, str(to["phone"]), sms))
    if to.get("email"):
        notices.append(Notice(NoticeChannel.EMAIL, str(to["email"]), email, subject))
    return notices
