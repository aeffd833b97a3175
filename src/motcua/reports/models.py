"""Versioned definitions of the indicators of Decision 766/QĐ-TTg.

The points, thresholds and formulas of the national index change over time (the portal's
formula notes carry "=====Update=====" sections): each version of an indicator is one row,
valid from `effective_from` to `effective_to`, loaded from `reports/data/index766.json` by
`motcua load-indicators` (and by the data migration). The scoring code reads the rows in
force at the end of the period; it holds no points of its own."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorDefinitionQuerySet(models.QuerySet["IndicatorDefinition"]):
    def effective_on(self, day: object) -> IndicatorDefinitionQuerySet:
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class IndicatorDefinition(models.Model):
    code = models.CharField(_("indicator code"), max_length=16)
    group = models.CharField(_("group code"), max_length=16)
    group_name = models.CharField(pgettext_lazy("indicator", "group"), max_length=255)
    name = models.CharField(_("name"), max_length=500)
    formula = models.CharField(
        _("formula"),
        max_length=64,
        blank=True,
        help_text=_("Key of the formula the system computes; empty when it has no data for it."),
    )
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    threshold = models.DecimalField(
        _("threshold (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Full points from this rate on; below it, points in proportion."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    objects = IndicatorDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["position", "code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="indicator_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="indicator_points_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gt=0, threshold__lte=100),
                name="indicator_threshold_is_a_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.effective_from:%d/%m/%Y})"


# --- pre-aggregated facts for Biểu 06 ---------------------------------------------------------

NO_DAY = dt.date(9999, 12, 31)  # "not finished" / "no due moment": later than any period


class Outcome(models.TextChoices):
    OPEN = "open", _("In progress")
    EARLY = "early", _("Resolved early")
    ON_TIME = "on_time", _("Resolved on time")
    LATE = "late", _("Resolved late")
    REJECTED = "rejected", _("Not resolved (written reasons)")
    WITHDRAWN = "withdrawn", _("Stopped at the applicant's request")


class DossierFact(models.Model):
    """What Biểu 06 needs of one received dossier, at day precision in Vietnam's time
    (periods start and end at midnight), and the key of its `FactCell`. Derived from the
    dossier row by `reports.facts`; kept to undo a dossier's old cell when it changes."""

    dossier_id = models.BigIntegerField(primary_key=True)
    handling_agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    online = models.BooleanField()
    received_day = models.DateField()
    finished_day = models.DateField()  # NO_DAY while open
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    due_day = models.DateField()  # NO_DAY without a due moment; unused when paused
    paused = models.BooleanField(help_text="The clock stopped at least once.")

    class Meta:
        indexes = [
            # The open dossiers whose clock stopped: the only ones read live at a period end.
            models.Index(
                fields=["finished_day", "received_day"],
                name="fact_paused_idx",
                condition=Q(paused=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.outcome}"


class FactCell(models.Model):
    """The number of dossiers sharing one combination of the facts Biểu 06 counts by."""

    handling_agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    online = models.BooleanField()
    received_day = models.DateField()
    finished_day = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    due_day = models.DateField()
    paused = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "handling_agency_id",
                    "procedure_id",
                    "online",
                    "received_day",
                    "finished_day",
                    "outcome",
                    "due_day",
                    "paused",
                ],
                name="fact_cell_key",
            )
        ]
        indexes = [models.Index(fields=["received_day"], name="fact_cell_received_idx")]

    def __str__(self) -> str:
        return f"{self.handling_agency_id}/{self.procedure_id} {self.received_day}: {self.n}"


class FactWatermark(models.Model):
    """How far the facts go (one row): every dossier event up to `last_event_id` is folded
    in, but for the ids in `pending`, missing when last read: their transactions had not
    committed yet or rolled back. Each is `[id, first seen missing (ISO 8601)]` and is
    looked for again until MOTCUA_FACTS_SETTLE_SECONDS have passed."""

    last_event_id = models.BigIntegerField(default=0)
    pending = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return str(self.last_event_id)


# --- the evaluation of dossier handling (the 9-criterion tool) ----------------------------------


class GradeBandQuerySet(models.QuerySet["GradeBand"]):
    def effective_on(self, day: object) -> GradeBandQuerySet:
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class GradeBand(models.Model):
    """One grade of the evaluation of dossier handling: from `min_points` (out of the
    tool's maximum, 18) up to the next band. Versioned like the 766 definitions: loaded
    from `reports/data/evaluation.json` by `motcua load-indicators`."""

    code = models.CharField(_("grade code"), max_length=16)
    label = models.CharField(_("grade"), max_length=64)
    min_points = models.DecimalField(_("from points"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)

    objects = GradeBandQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="grade_band_unique"),
            models.CheckConstraint(
                condition=Q(min_points__gte=0), name="grade_band_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.min_points})"
