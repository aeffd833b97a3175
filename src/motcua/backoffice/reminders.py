"""Officers' reminders (nhắc việc): one e-mail or SMS each working morning to every officer with
work coming due, so that nothing runs late unnoticed and a leader signs the letter of
apology in time.

- **At your step:** the dossiers at the officer's step or assigned to them (the inbox's
  "mine" and "step" tabs, for each of their memberships) whose clock runs and whose due
  moment is past, today, or within the next two working days.
- **Letters of apology due (leaders):** the dossiers their agency handles, still open, with
  no apology yet, due by the end of the next working day: the agency must send the
  applicant its letter at the latest one working day before the due moment (DOMAIN §1).

Each officer chooses how on the back office's page "Nhắc việc" (`OfficerPreferences`): by
e-mail (the default, to the account's address), by SMS (a short count and the link to the
back office, to the number they gave) or not at all; the e-mail ends with the link to that
page. An officer with nothing coming due, or no address for the chosen way, gets nothing.

The worker (`motcua worker`) runs `reminders_job` every 15 minutes; it acts on working days
(the national calendar) from `MOTCUA_OFFICER_REMINDER_HOUR` (7, local time), once per
officer and day: the reminder is kept as a `SentNotice` keyed `reminder:<day>:<user id>`,
claimed before sending (several workers never send it twice) and released when the mail
server or the SMS gateway refused it (tried again at the next run). A pass with no refusal
marks the day done in the shared cache, so the later runs of the day look at no officer.
`MOTCUA_OFFICER_REMINDERS=0` turns it off for everyone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.accounts.models import OfficerPreferences, ReminderChannel
from motcua.agencies.models import Agency, Membership, Role
from motcua.calendars.selectors import calendar_for
from motcua.conf import setting
from motcua.dossiers.links import public_url
from motcua.dossiers.models import Dossier, Status
from motcua.integrations.models import NoticeChannel, SentNotice
from motcua.integrations.notices import Notice, email_text, sms_text
from motcua.integrations.notifications import NotificationError, Notifier, notifier

from .selectors import Acting, in_hand, soon_limit

# The clock runs: the officers must act before the due moment.
RUNNING = (Status.PROCESSING, Status.CONSULTING, Status.AWAITING_PAYMENT)
LISTED = 20  # dossiers named per section; the rest are counted


@dataclass
class Digest:
    """What one officer is reminded of."""

    at_step: list[Dossier] = field(default_factory=list)
    at_step_count: int = 0
    apologies: list[Dossier] = field(default_factory=list)
    apologies_count: int = 0

    def __bool__(self) -> bool:
        return bool(self.at_step_count or self.apologies_count)


def _running() -> Q:
    return Q(status__in=RUNNING, paused_since__isnull=True)


def _at_step(user: User, membership: Membership, now: dt.datetime) -> QuerySet[Dossier]:
    acting = Acting(membership.pk, membership.agency, membership.role)
    return in_hand(user, acting, on=timezone.localdate(now)).filter(
        _running(), due_at__lte=soon_limit(membership.agency, now=now)
    )


def _apologies_due(agency: Agency, now: dt.datetime) -> QuerySet[Dossier]:
    calendar = calendar_for(agency)
    tomorrow = calendar.next_working_day(timezone.localdate(now))
    return Dossier.objects.filter(
        _running(),
        handling_agency_id=agency.pk,
        extended_due_at__isnull=True,
        due_at__lte=calendar.close_of_business(tomorrow),
    )


def digest_for(user: User, memberships: Iterable[Membership], now: dt.datetime) -> Digest:
    digest = Digest()
    at_step: QuerySet[Dossier] | None = None
    apologies: QuerySet[Dossier] | None = None
    for membership in memberships:
        mine = _at_step(user, membership, now)
        at_step = mine if at_step is None else at_step | mine
        if membership.role == Role.LEADER:
            due = _apologies_due(membership.agency, now)
            apologies = due if apologies is None else apologies | due
    if at_step is not None:
        at_step = at_step.distinct().order_by("due_at", "pk")
        digest.at_step = list(at_step[:LISTED])
        digest.at_step_count = at_step.count()
    if apologies is not None:
        apologies = apologies.distinct().order_by("due_at", "pk")
        digest.apologies = list(apologies[:LISTED])
        digest.apologies_count = apologies.count()
    return digest


def _line(dossier: Dossier, now: dt.datetime) -> str:
    due = timezone.localtime(dossier.due_at) if dossier.due_at else None
    when = f"{due:%H:%M %d/%m/%Y}" if due else ""
    late = f" ({_('overdue')})" if due and due < now else ""
    url = public_url(reverse("backoffice:dossier", args=[dossier.code or str(dossier.pk)]))
    return f"- {dossier.code or dossier.pk}: {when}{late} {url}"


def _more(shown: int, total: int) -> list[str]:
    if total <= shown:
        return []
    return [_("… and %(count)s more in the back office.") % {"count": total - shown}]


def compose(user: User, digest: Digest, now: dt.datetime) -> tuple[str, str]:
    """(subject, text) of the reminder, in the deployment's language."""
    paragraphs = []
    if digest.at_step_count:
        lines = [_line(d, now) for d in digest.at_step]
        paragraphs.append(
            "\n".join(
                [
                    _("Dossiers at your step due within two working days or overdue:"),
                    *lines,
                    *_more(len(lines), digest.at_step_count),
                ]
            )
        )
    if digest.apologies_count:
        lines = [_line(d, now) for d in digest.apologies]
        paragraphs.append(
            "\n".join(
                [
                    _(
                        "Dossiers your agency handles, due by the end of the next working day "
                        "and without a letter of apology yet (if one will be late, form 04 "
                        "must reach the applicant at the latest one working day before the "
                        "due moment):"
                    ),
                    *lines,
                    *_more(len(lines), digest.apologies_count),
                ]
            )
        )
    parts = []
    if digest.at_step_count:
        parts.append(_("%(count)s dossier(s) coming due") % {"count": digest.at_step_count})
    if digest.apologies_count:
        parts.append(
            _("%(count)s dossier(s) to consider for a letter of apology")
            % {"count": digest.apologies_count}
        )
    subject = _("Reminder: %(what)s") % {"what": "; ".join(parts)}
    name = user.get_full_name() or user.get_username()
    paragraphs.append(
        _("To take the reminders another way, or not at all: %(url)s")
        % {"url": public_url(reverse("backoffice:reminders"))}
    )
    return subject, email_text(name, *paragraphs)


def compose_sms(digest: Digest) -> str:
    """The reminder as one short SMS: the counts, the most urgent dossier, the link."""
    parts = []
    if digest.at_step_count:
        first = digest.at_step[0]
        due = timezone.localtime(first.due_at) if first.due_at else None
        parts.append(
            _("%(count)s dossier(s) at your step coming due (first: %(code)s, %(due)s)")
            % {
                "count": digest.at_step_count,
                "code": first.code or first.pk,
                "due": f"{due:%H:%M %d/%m}" if due else "",
            }
        )
    if digest.apologies_count:
        parts.append(
            _("%(count)s dossier(s) to consider for a letter of apology")
            % {"count": digest.apologies_count}
        )
    text = _("Reminder: %(what)s. %(url)s") % {
        "what": "; ".join(parts),
        "url": public_url(reverse("backoffice:home")),
    }
    return sms_text(text)


def address_of(user: User) -> tuple[NoticeChannel, str] | None:
    """Where `user` takes the reminders (`OfficerPreferences`): the channel and the number
    or address; None when nowhere."""
    try:
        preferences: OfficerPreferences | None = user.officer_preferences
    except OfficerPreferences.DoesNotExist:
        preferences = None
    chosen = preferences.reminders if preferences else ReminderChannel.EMAIL
    if chosen == ReminderChannel.SMS and preferences and preferences.phone:
        return NoticeChannel.SMS, preferences.phone
    if chosen == ReminderChannel.EMAIL and user.email:
        return NoticeChannel.EMAIL, user.email
    return None


def _officers(day: dt.date) -> dict[int, list[Membership]]:
    """The memberships of the officers who take reminders somewhere, by user id."""
    found: dict[int, list[Membership]] = {}
    memberships = (
        Membership.objects.active_on(day)
        .filter(user__is_active=True)
        .exclude(user__officer_preferences__reminders=ReminderChannel.OFF)
        .select_related("agency", "user", "user__officer_preferences")
        .order_by("user_id", "agency__code", "role")
    )
    for membership in memberships:
        found.setdefault(membership.user_id, []).append(membership)
    return found


def send_reminders(*, now: dt.datetime, backend: Callable[[], Notifier] = notifier) -> int:
    """Send today's reminders not sent yet (see the module docstring); returns how many."""
    local = timezone.localtime(now)
    hour = int(setting("MOTCUA_OFFICER_REMINDER_HOUR", "7"))
    if local.hour < hour or not calendar_for(None).is_working_day(local.date()):
        return 0
    day = local.date()
    done_key = f"motcua:reminders-done:{day.isoformat()}"
    if cache.get(done_key):
        return 0
    sent, failed = 0, False
    mailer: Notifier | None = None
    for memberships in _officers(day).values():
        user = memberships[0].user
        address = address_of(user)
        key = f"reminder:{day.isoformat()}:{user.pk}"
        if address is None or SentNotice.objects.filter(key=key).exists():
            continue
        channel, to = address
        with translation.override(settings.LANGUAGE_CODE):
            digest = digest_for(user, memberships, now)
            if not digest:
                continue
            if channel == NoticeChannel.SMS:
                notice = Notice(channel, to, compose_sms(digest))
            else:
                subject, text = compose(user, digest, now)
                notice = Notice(channel, to, text, subject)
        try:
            with transaction.atomic():
                claim = SentNotice.objects.create(
                    key=key,
                    channel=channel,
                    recipient=notice.masked_to,
                    text=notice.text,
                    sent_at=timezone.now(),
                )
        except IntegrityError:
            continue  # another worker has it
        try:
            mailer = mailer or backend()
            if channel == NoticeChannel.SMS:
                mailer.send_sms(to, notice.text, key=key)
            else:
                mailer.send_email(to, notice.subject, notice.text)
        except NotificationError:
            claim.delete()  # tried again at the next run
            failed = True
            continue
        if not mailer.delivers:
            claim.delete()  # printed on the console: nobody was told
        sent += 1
    if not failed:
        # The day's pass is complete: the next runs need not look at every officer again.
        cache.set(done_key, True, timeout=26 * 3600)
    return sent


def reminders_job() -> str:
    if setting("MOTCUA_OFFICER_REMINDERS", "1").strip().lower() in ("0", "false", "no"):
        return ""
    sent = send_reminders(now=timezone.now())
    return f"{sent} reminder(s) sent" if sent else ""
