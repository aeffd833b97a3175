"""The editable parts of the working calendar: announced days off and make-up working days,
and working sessions, nationally or per agency, effective-dated.

The national base (weekends, statutory and lunar holidays, observed days, announced swaps)
comes from the `holidays` package inside `domain.calendar`; these rows override it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.domain import calendar as domain_calendar


class DayKind(models.TextChoices):
    DAY_OFF = domain_calendar.DayKind.DAY_OFF.value, _("Day off")
    WORKING_DAY = domain_calendar.DayKind.WORKING_DAY.value, _("Working day")


class CalendarOverride(models.Model):
    """One date that the Government (national, `agency` empty) or an agency declared a day
    off or a working day, with the reason and the legal basis of the announcement."""

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Empty for the national calendar."),
    )
    reason = models.CharField(_("reason"), max_length=255)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        blank=True,
        help_text=_("E.g. TB 9441/TB-BNV of 16/10/2025."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(agency__isnull=True),
                name="calendar_override_national_day_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "day"], name="calendar_override_agency_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.get_kind_display()}"


class WorkingSchedule(models.Model):
    """Working sessions from `effective_from` on (until the next schedule of the same
    scope). `agency` empty is the national default."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_schedules",
        help_text=_("Empty for the national default."),
    )
    effective_from = models.DateField(_("effective from"))
    sessions = models.CharField(
        _("working sessions"),
        max_length=100,
        default=domain_calendar.format_sessions(domain_calendar.DEFAULT_SESSIONS),
        help_text=_("Local times, e.g. 07:30-11:30, 13:00-17:00."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("working schedule")
        verbose_name_plural = _("working schedules")
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(agency__isnull=True),
                name="working_schedule_national_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "effective_from"], name="working_schedule_agency_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y}: {self.sessions}"

    def clean(self) -> None:
        try:
            domain_calendar.parse_sessions(self.sessions)
        except ValueError as exc:
            raise ValidationError({"sessions": str(exc)}, code="invalid_sessions") from exc
