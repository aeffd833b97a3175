"""Officers' reminders (nhắc việc): one e-mail each working morning to every officer with
work coming due, so that nothing runs late unnoticed and a leader signs the letter of
apology in time.

- **At your step:** the dossiers at the officer's step or assigned to them (the inbox's
  "mine" and "step" tabs, for each of their memberships) whose clock runs and whose due
  moment is past, today, or within the next two working days.
- **Letters of apology due (leaders):** the dossiers their agency handles, still open, with
  no apology yet, due by the end of the next working day: the agency must send the
  applicant its letter at the latest one working day before the due moment (DOMAIN §1).

The worker (`motcua worker`) runs `reminders_job` every 15 minutes; it acts on working days
(the national calendar) from `MOTCUA_OFFICER_REMINDER_HOUR` (7, local time), once per
officer and day: the e-mail is kept as a `SentNotice` keyed `reminder:<day>:<user id>`,
claimed before sending (several workers never send it twice) and released when the mail
server refused it (tried again at the next run). A pass with no refusal marks the day done
in the shared cache, so the later runs of the day look at no officer. An officer without
an e-mail address, or with nothing coming due, gets nothing. `MOTCUA_OFFICER_REMINDERS=0`
turns it off."""

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

from motcua.agencies.models import Agency, Membership, Role
from motcua.calendars.selectors import calendar_for
from motcua.conf import setting
from motcua.domain.masking import mask_email
from motcua.dossiers.links import public_url
from motcua.dossiers.models import Dossier, Status
from motcua.integrations.models import NoticeChannel, SentNotice
from motcua.integrations.notices import email_text
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
    return subject, email_text(name, *paragraphs)


def _officers(day: dt.date) -> dict[int, list[Membership]]:
    found: dict[int, list[Membership]] = {}
    memberships = (
        Membership.objects.active_on(day)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("agency", "user")
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
        key = f"reminder:{day.isoformat()}:{user.pk}"
        if SentNotice.objects.filter(key=key).exists():
            continue
        with translation.override(settings.LANGUAGE_CODE):
            digest = digest_for(user, memberships, now)
            if not digest:
                continue
            subject, text = compose(user, digest, now)
        try:
            with transaction.atomic():
                claim = SentNotice.objects.create(
                    key=key,
                    channel=NoticeChannel.EMAIL,
                    recipient=mask_email(user.email),
                    text=text,
                    sent_at=timezone.now(),
                )
        except IntegrityError:
            continue  # another worker has it
        try:
            mailer = mailer or backend()
            mailer.send_email(user.email, subject, text)
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
