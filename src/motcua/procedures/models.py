"""The procedure catalogue (danh mục thủ tục hành chính), versioned by effective date.

A `Procedure` is the stable identity (national code, name, field, levels). Everything the
law may change by a new publishing decision (time limits, fees, documents, process) lives
on a `ProcedureVersion`; a dossier keeps the version it was received under, so catalogue
changes never re-time old dossiers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Role
from motcua.domain import deadlines
from motcua.domain.text import fold


class Field(models.Model):
    """Field of administrative work (lĩnh vực), e.g. Hộ tịch."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    code = models.CharField(_("code"), max_length=32, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ImplementingLevel(models.TextChoices):
    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")
    OTHER = "other", _("Other agency")


class ProcedureSource(models.TextChoices):
    NATIONAL_PORTAL = "national_portal", _("National public service portal")
    LOCAL = "local", _("Entered locally")


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def search(self, query: str) -> ProcedureQuerySet:
        """Accent- and case-insensitive search on the name and the code: every word of the
        query must appear. On PostgreSQL a trigram index serves these LIKE patterns."""
        words = fold(query).split()
        qs = self
        for word in words:
            qs = qs.filter(Q(name_folded__contains=word) | Q(code__startswith=word))
        return qs

    def at_level(self, level: ImplementingLevel) -> ProcedureQuerySet:
        return self.filter(**{f"level_{level.value}": True})


class Procedure(models.Model):
    code = models.CharField(
        _("national code"),
        max_length=32,
        unique=True,
        help_text=_("Mã thủ tục on the national database, e.g. 1.001193."),
    )
    name = models.TextField(_("name"))
    name_folded = models.TextField(editable=False)
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("field"),
        null=True,
        blank=True,
    )
    level_ministry = models.BooleanField(_("ministry level"), default=False)
    level_province = models.BooleanField(_("province level"), default=False)
    level_commune = models.BooleanField(_("commune level"), default=False)
    level_other = models.BooleanField(_("other agency"), default=False)
    kind = models.CharField(_("kind of procedure"), max_length=255, blank=True)
    issuing_authority = models.CharField(
        _("issuing authority"),
        max_length=255,
        blank=True,
        help_text=_("The ministry or body that publishes the procedure."),
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=ProcedureSource.choices,
        default=ProcedureSource.LOCAL,
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        indexes = [models.Index(fields=["field"], name="procedure_field_idx")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def levels(self) -> list[ImplementingLevel]:
        return [lvl for lvl in ImplementingLevel if getattr(self, f"level_{lvl.value}")]

    def version_on(self, day: dt.date) -> ProcedureVersion | None:
        """The version in force on `day` (the one a dossier received that day gets)."""
        return self.versions.effective_on(day).order_by("-effective_from").first()


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full online service")
    PARTIAL = "partial", _("Partial online service")
    NONE = "none", _("No online service")


class ResultType(models.TextChoices):
    UNSPECIFIED = "unspecified", _("Not stated")
    PAPER = "paper", _("Paper result")
    ELECTRONIC = "electronic", _("Electronic result")
    BOTH = "both", _("Paper and electronic result")


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def effective_on(self, day: dt.date) -> ProcedureVersionQuerySet:
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("procedure"),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    publishing_decision = models.CharField(_("publishing decision"), max_length=255, blank=True)
    competent_authority = models.TextField(
        _("competent authority"),
        blank=True,
        help_text=_("As published, e.g. Ủy ban nhân dân cấp xã."),
    )
    competent_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competent_for",
        verbose_name=_("handling agency"),
        help_text=_("The agency of this deployment that handles the dossiers."),
    )
    implementing_agencies = models.TextField(_("implementing agencies"), blank=True)
    coordinating_agencies = models.TextField(_("coordinating agencies"), blank=True)
    subjects = models.TextField(_("who may apply"), blank=True)
    steps_description = models.TextField(_("sequence of steps"), blank=True)
    conditions = models.TextField(_("requirements and conditions"), blank=True)
    result_description = models.TextField(_("result"), blank=True)
    result_type = models.CharField(
        _("result type"), max_length=16, choices=ResultType.choices, default=ResultType.UNSPECIFIED
    )
    online_level = models.CharField(
        _("online service level"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    consultation_counts_toward_deadline = models.BooleanField(
        _("consultation time counts toward the time limit"),
        default=True,
        help_text=_(
            "Untick when the law excludes the time other agencies take to give their "
            "opinion from the time limit."
        ),
    )
    payment_counts_toward_deadline = models.BooleanField(
        _("time awaiting payment counts toward the time limit"), default=False
    )
    legal_basis = models.JSONField(
        _("legal basis"),
        default=list,
        blank=True,
        help_text=_('A list of {"number": ..., "title": ...}.'),
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "effective_from"], name="procedure_version_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="procedure_version_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} ({self.effective_from:%d/%m/%Y})"


class Channel(models.TextChoices):
    """How a dossier reaches the agency (118/2025 Art. 15). The values follow the national
    `KenhThucHien` codes in `national_code`."""

    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")

    @property
    def national_code(self) -> int:
        return {"counter": 1, "online": 2, "postal": 3}[self.value]


class TimeUnit(models.TextChoices):
    WORKING_HOUR = deadlines.Unit.WORKING_HOUR.value, _("working hours")
    WORKING_DAY = deadlines.Unit.WORKING_DAY.value, _("working days")
    CALENDAR_DAY = deadlines.Unit.CALENDAR_DAY.value, _("days")
    MONTH = deadlines.Unit.MONTH.value, _("months")
    SAME_DAY = deadlines.Unit.SAME_DAY.value, _("within the day")


class FeeKind(models.TextChoices):
    AMOUNT = "amount", _("Amount")
    FREE = "free", _("Free of charge")
    COUNCIL = "council", _("Decided by the provincial People's Council")
    VARIES = "varies", _("Varies by case (see the published fee)")
    UNKNOWN = "unknown", _("No information")


class ChannelOption(models.Model):
    """Time limit and fee for one channel of a version. A channel may have several rows
    (cases with their own time or fee); the first in `position` order is the default."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="channel_options",
        verbose_name=_("procedure version"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    time_limit_amount = models.DecimalField(
        _("time limit"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=16, choices=TimeUnit.choices, blank=True
    )
    time_limit_text = models.CharField(_("time limit as published"), max_length=255, blank=True)
    fee_kind = models.CharField(
        _("fee kind"), max_length=16, choices=FeeKind.choices, default=FeeKind.UNKNOWN
    )
    fee_amount = models.DecimalField(
        _("fee amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fee_currency = models.CharField(_("currency"), max_length=3, default="VND")
    fee_text = models.TextField(_("fee as published"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("channel option")
        verbose_name_plural = _("channel options")
        ordering = ["version", "channel", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_amount__isnull=True) | ~Q(time_limit_unit=""),
                name="channel_option_amount_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(fee_kind="amount") | Q(fee_amount__isnull=False),
                name="channel_option_fee_amount_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.time_limit_text or '?'}"

    @property
    def has_time_limit(self) -> bool:
        return self.time_limit_unit == TimeUnit.SAME_DAY or self.time_limit_amount is not None

    def limit_in_working_hours(self) -> Decimal | None:
        """The most working time the limit can hold: exact for working-time units, an upper
        bound (8 h a day) for calendar units. None when the limit is unknown."""
        if not self.has_time_limit:
            return None
        return deadlines.max_working_hours(
            Decimal(self.time_limit_amount or 0), deadlines.Unit(self.time_limit_unit)
        )


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ORIGINAL_OR_COPY = "original_or_copy", _("Original or copy")
    PRESENTED = "presented", _("Presented only")


class RequiredDocument(models.Model):
    """One component of the dossier (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("procedure version"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    case = models.TextField(
        _("case"), blank=True, help_text=_("The applicant's case this document belongs to.")
    )
    name = models.TextField(_("name"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    form = models.CharField(
        _("form"), max_length=20, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL
    )
    template_name = models.CharField(_("template form"), max_length=255, blank=True)
    is_eform = models.BooleanField(_("electronic form"), default=False)
    is_required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ) of a procedure version."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("procedure version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_steps",
        verbose_name=_("agency"),
        help_text=_("Empty: the handling agency of the version."),
    )
    budget_hours = models.DecimalField(
        _("time budget (working hours)"), max_digits=8, decimal_places=2
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="process_step_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(budget_hours__gt=0), name="process_step_budget_positive"
            ),
            models.CheckConstraint(
                condition=~Q(role="") | Q(agency__isnull=False),
                name="process_step_role_or_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def clean(self) -> None:
        if not self.role and self.agency_id is None:
            raise ValidationError(_("A step needs a role, an agency, or both."))
