"""What the applicant is told, by SMS and e-mail, when their dossier changes (DOMAIN.md §1):

| action | told when it came | SMS and e-mail say |
|---|---|---|
| receive | online, by post | received, the code, the return appointment |
| request a supplement at reception | online, by post | not received yet: what to complete |
| refuse reception | online, by post | not received, and why |
| request a supplement | any way | what to supplement and why; the clock waits |
| request the financial obligation | any way | the amount, where to pay |
| apologise and extend | any way | the apology, the reason, the new return time |
| reject on the merits | any way | not resolved, and why |
| resolve | any way | the result is ready, and how it is returned |
| stop at the applicant's request | any way | the handling is stopped |

A walk-in applicant at the counter gets the reception's papers in hand, so the reception
and its refusals are not sent to them; every later step is, since they are no longer there.
The other actions (forward, assign, consult...) are the agencies' own business. The SMS goes
to the applicant's phone, else the representative's; the e-mail to the applicant's address.
Texts are in the deployment's language (`LANGUAGE_CODE`, Vietnamese). The outbox worker
sends them through `integrations.notices`, which keeps each one sent (shown in the dossier's
timeline)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.domain.masking import mask_email, mask_phone
from motcua.integrations.models import NoticeChannel, OutboxMessage, SentNotice
from motcua.integrations.notices import (
    Notice,
    NoticeDestination,
    Untold,
    Wording,
    email_text,
    sent_for,
    told_by_hand,
    untold_for,
)
from motcua.procedures.models import Channel

from .exceptions import DossierNotFound
from .links import lookup_url, payment_url, public_url
from .models import Action, Dossier, DossierEvent, ReturnChannel
from .selectors import event_of_message, visible_to

NAME = "applicant-notices"
TOPICS = ("dossier.*",)
# The topics of the messages `services` writes for an event, each keyed by `message_key`.
MESSAGE_TOPICS = ("dossier.changed", "dossier.received")
# Told only when the applicant was not at the counter to be handed the papers.
AT_RECEPTION = frozenset(
    {Action.RECEIVE, Action.REQUEST_SUPPLEMENT_AT_RECEPTION, Action.REFUSE_RECEPTION}
)


def message_key(topic: str, event_id: int) -> str:
    """The outbox key of the message written for an event (its idempotency key)."""
    return f"{topic}:{event_id}"


def sent_by_event(events: Iterable[DossierEvent]) -> dict[int, list[SentNotice]]:
    """The notices sent to the applicant for each of `events` (by event id)."""
    return sent_for({message_key(t, e.pk): e.pk for e in events for t in MESSAGE_TOPICS})


def untold_by_event(events: Iterable[DossierEvent]) -> dict[int, Untold]:
    """The events whose notices did not all reach the applicant yet, by event id."""
    return untold_for({message_key(t, e.pk): e.pk for e in events for t in MESSAGE_TOPICS}, NAME)


@dataclass(frozen=True)
class UntoldRow:
    """A step the applicant could not be told of: the desk's to tell another way."""

    message_id: int
    dossier: Dossier
    event: DossierEvent
    untold: Untold


def untold_for_user(user: Any, *, now: dt.datetime, days: int = 30) -> list[UntoldRow]:
    """The given-up notices of the last `days` days of the dossiers `user` may see, newest
    first, that nobody has told another way yet: the desk's list of applicants to call."""
    messages = OutboxMessage.objects.filter(
        topic__in=MESSAGE_TOPICS, failed_at__gte=now - dt.timedelta(days=days)
    ).order_by("-failed_at", "-pk")
    by_key: dict[str, int] = {}
    ids: dict[str, int] = {}
    for message in messages[:5000]:
        event_id = message.payload.get("event") if isinstance(message.payload, dict) else None
        if isinstance(event_id, int) and NAME not in message.delivered_to:
            by_key[message.key], ids[message.key] = event_id, message.pk
    untold = untold_for(by_key, NAME)
    events = {
        e.pk: e
        for e in DossierEvent.objects.filter(
            pk__in=list(untold), dossier__in=visible_to(user, on=timezone.localdate(now))
        ).select_related("dossier", "dossier__procedure")
    }
    return [
        UntoldRow(ids[key], events[event_id].dossier, events[event_id], untold[event_id])
        for key, event_id in by_key.items()
        if event_id in events and event_id in untold
    ]


def record_told_by_hand(user: Any, *, message_id: int, now: dt.datetime) -> SentNotice:
    """The desk told the applicant another way what the given-up message `message_id` was
    to tell them: kept as the proof (with the officer's name) and off the desk's list.
    DossierNotFound when `user` may not see the dossier or the message is no notice's."""
    message = OutboxMessage.objects.filter(pk=message_id, topic__in=MESSAGE_TOPICS).first()
    event = event_of_message(message.payload) if message is not None else None
    if message is None or event is None:
        raise DossierNotFound
    if not visible_to(user, on=timezone.localdate(now)).filter(pk=event.dossier_id).exists():
        raise DossierNotFound
    dossier = event.dossier
    phone = dossier.applicant_phone or dossier.representative_phone
    recipient = mask_phone(phone) if phone else mask_email(dossier.applicant_email)
    officer = user.get_full_name() or user.get_username()
    return told_by_hand(message, recipient=recipient, officer=officer, now=now)


def applicant_notices() -> NoticeDestination:
    """The outbox destination of the applicant's notices (`DossiersConfig`)."""
    return NoticeDestination(name=NAME, topics=TOPICS, compose=compose)


def _moment(value: Any) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else ""


def _amount(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:,.0f}".replace(",", ".")


def _items(event: DossierEvent) -> str:
    return "\n".join(f"- {item}" for item in event.payload.get("items", []))


# For each action the applicant is told of: the e-mail's subject, the SMS (the code and what
# the applicant must know, short), and the e-mail's paragraph (the greeting, the lookup link
# and the footer are added).
TEXTS: dict[str, Wording] = {
    Action.RECEIVE: Wording(
        gettext_lazy("Dossier %(code)s received"),
        gettext_lazy("Dossier %(code)s was received. Result due %(due)s. Look it up: %(site)s"),
        gettext_lazy(
            "%(agency)s received your dossier %(code)s for the procedure “%(procedure)s”. "
            "The result is due at %(due)s."
        ),
    ),
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: Wording(
        gettext_lazy("Your dossier needs completing before it can be received"),
        gettext_lazy(
            "Your dossier (reference %(reference)s) for %(procedure_short)s is not received "
            "yet: it needs completing. See the details by e-mail or on %(site)s"
        ),
        gettext_lazy(
            "%(agency)s cannot receive your dossier (reference %(reference)s) for the "
            "procedure “%(procedure)s” yet. Please complete:\n%(items)s\nReasons: %(note)s"
        ),
    ),
    Action.REFUSE_RECEPTION: Wording(
        gettext_lazy("Your dossier was not received"),
        gettext_lazy(
            "Your dossier (reference %(reference)s) for %(procedure_short)s was not "
            "received. Reasons: %(note)s"
        ),
        gettext_lazy(
            "%(agency)s refused to receive your dossier (reference %(reference)s) for the "
            "procedure “%(procedure)s”.\nReasons: %(note)s"
        ),
    ),
    Action.REQUEST_SUPPLEMENT: Wording(
        gettext_lazy("Dossier %(code)s: please supplement it"),
        gettext_lazy(
            "Dossier %(code)s must be supplemented; handling waits until you do. "
            "Details by e-mail or on %(site)s"
        ),
        gettext_lazy(
            "Your dossier %(code)s for the procedure “%(procedure)s” must be supplemented "
            "with:\n%(items)s\nReasons: %(note)s\nThe time limit is paused until the "
            "supplement arrives, and resumes then."
        ),
    ),
    Action.REQUEST_PAYMENT: Wording(
        gettext_lazy("Dossier %(code)s: fees to pay"),
        gettext_lazy("Dossier %(code)s: please pay %(amount)s VND. Pay at %(payment)s"),
        gettext_lazy(
            "To go on with your dossier %(code)s for the procedure “%(procedure)s”, please "
            "pay %(amount)s VND (the financial obligation). Pay by bank transfer with the "
            "QR code at %(payment)s or at the counter of %(agency)s."
        ),
    ),
    Action.APOLOGISE_AND_EXTEND: Wording(
        gettext_lazy("Dossier %(code)s: letter of apology and new return time"),
        gettext_lazy(
            "%(agency)s apologises: dossier %(code)s will be late. New return time: "
            "%(new_due)s. Reason: %(note)s"
        ),
        gettext_lazy(
            "%(agency)s apologises: your dossier %(code)s for the procedure “%(procedure)s” "
            "could not be resolved by %(original_due)s as appointed.\nReason: %(note)s\n"
            "New time to return the result: %(new_due)s. The letter of apology (form 04) is "
            "kept with the dossier."
        ),
    ),
    Action.REJECT: Wording(
        gettext_lazy("Dossier %(code)s was not resolved"),
        gettext_lazy("Dossier %(code)s was not resolved. Reasons: %(note)s"),
        gettext_lazy(
            "%(agency)s did not resolve your dossier %(code)s for the procedure "
            "“%(procedure)s”.\nReasons: %(note)s"
        ),
    ),
    Action.RESOLVE: Wording(
        gettext_lazy("Dossier %(code)s: the result is ready"),
        gettext_lazy("The result of dossier %(code)s is ready: %(return)s"),
        gettext_lazy(
            "The result of your dossier %(code)s for the procedure “%(procedure)s” is "
            "ready: %(return)s"
        ),
    ),
    Action.WITHDRAW: Wording(
        gettext_lazy("Dossier %(code)s: handling stopped at your request"),
        gettext_lazy("Handling of dossier %(code)s was stopped at your request."),
        gettext_lazy(
            "As you asked, %(agency)s stopped handling your dossier %(code)s for the "
            "procedure “%(procedure)s” (form 05)."
        ),
    ),
}


def _return_way(event: DossierEvent) -> str:
    dossier = event.dossier
    if dossier.requested_return_channel == ReturnChannel.ONLINE and event.payload.get("electronic"):
        return _("download it on the public service portal.")
    if dossier.requested_return_channel == ReturnChannel.POSTAL:
        return _("it will be sent to you by post.")
    return _("please collect it at %(agency)s.") % {"agency": dossier.handling_agency.name}


def _facts(event: DossierEvent) -> dict[str, str]:
    dossier = event.dossier
    procedure = dossier.procedure.name
    return {
        "code": dossier.code or "",
        "reference": str(dossier.pk),
        "agency": dossier.handling_agency.name,
        "procedure": procedure,
        "procedure_short": procedure if len(procedure) <= 60 else procedure[:59] + "…",
        "due": _moment(event.to_due_at),  # as it was then, not as it is now
        "original_due": _moment(event.payload.get("original_due_at")),
        "new_due": _moment(event.payload.get("new_due_at")),
        "amount": _amount(event.payload.get("amount", "")),
        "note": event.note,
        "items": _items(event),
        "site": public_url(reverse("portal:lookup")),
        "payment": payment_url(dossier) if dossier.code else "",
        "return": _return_way(event) if event.action == Action.RESOLVE else "",
    }


# The legal form each action issues to the applicant (Circular 03/2025, Annex I), linked
# from the e-mail for an applicant with an account (who may download it, signed).
FORM_OF: dict[str, str] = {
    Action.RECEIVE: "01",
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: "02",
    Action.REQUEST_SUPPLEMENT: "02",
    Action.REFUSE_RECEPTION: "03",
    Action.APOLOGISE_AND_EXTEND: "04",
    Action.WITHDRAW: "05",
}


def to_applicant(dossier: Dossier, text: Wording, *, form: str = "") -> list[Notice]:
    """The notices of `text` (filled, in the deployment's language) to the dossier's
    applicant: the SMS to their phone, else the representative's; the e-mail, with the link
    to `form` (the paper the action issued) for an applicant with an account, and the link
    to follow the dossier once it has a code, to their address."""
    notices = []
    phone = dossier.applicant_phone or dossier.representative_phone
    if phone:
        notices.append(Notice(NoticeChannel.SMS, phone, text.sms))
    if dossier.applicant_email:
        links = []
        if form and dossier.applicant_user_id:
            reference = dossier.code or str(dossier.pk)
            url = public_url(reverse("printing:dossier_form", args=[reference, form]))
            links.append(
                _("The agency's paper (form %(number)s, PDF; sign in to open it): %(url)s")
                % {"number": form, "url": url}
            )
        if dossier.code:
            links.append(_("Follow your dossier: %(url)s") % {"url": lookup_url(dossier)})
        email = email_text(dossier.applicant_name, text.body, *links)
        notices.append(Notice(NoticeChannel.EMAIL, dossier.applicant_email, email, text.subject))
    return notices


def compose(message: OutboxMessage) -> list[Notice]:
    """The notices for a dossier's outbox message (see the module docstring)."""
    event = event_of_message(message.payload)
    if event is None or event.action not in TEXTS:
        return []
    dossier = event.dossier
    if event.action in AT_RECEPTION and dossier.channel == Channel.COUNTER:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        text = TEXTS[event.action].fill(_facts(event))
        return to_applicant(dossier, text, form=FORM_OF.get(event.action, ""))
