"""Agencies (cơ quan, đơn vị), their history of mergers, and officers' memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from motcua import db
from motcua.domain import agency_codes
from motcua.domain.agency_codes import AgencyCodeScheme


class AgencyLevel(models.TextChoices):
    """Administrative level, as used in the reports' row groups."""

    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Province level")
    DEPARTMENT = "department", _("Provincial department")
    SERVICE_CENTER = "service_center", _("Public administration service center")
    DISTRICT = "district", _("District level (before 1/7/2025)")
    COMMUNE = "commune", _("Commune level")
    DIVISION = "division", _("Division")
    OTHER = "other", _("Other agency")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, day: dt.date) -> AgencyQuerySet:
        """Agencies that existed on `day` (their validity interval contains it)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Agency(models.Model):
    """A node of the agency tree: province -> departments, service center, communes ->
    divisions. Rows are never deleted or renamed in place when units merge: the old unit
    gets a `valid_to` and a succession link, so old dossiers and reports keep pointing at
    the unit that handled them."""

    code = models.CharField(
        _("electronic identifier code"),
        max_length=agency_codes.MAX_LENGTH,
        unique=True,
        help_text=_("Mã định danh điện tử, e.g. H56.14 or 000.17.22.H56."),
    )
    code_scheme = models.CharField(
        _("code scheme"),
        max_length=16,
        choices=[
            (AgencyCodeScheme.QD20_2020.value, _("QĐ 20/2020/QĐ-TTg")),
            (AgencyCodeScheme.QCVN102_2016.value, _("QCVN 102:2016/BTTTT (legacy)")),
        ],
        default=AgencyCodeScheme.QD20_2020.value,
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(
        max_length=255,
        editable=False,
        db_index=True,
        default="",
        help_text="Ids from the root down, '/1/5/9/': subtree queries are one LIKE 'prefix%'.",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent"], name="agency_parent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep `path` (and the paths of the whole subtree, when the parent changed) in step
        with `parent`: a derived column, not flow."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            parent_path = (
                Agency.objects.values_list("path", flat=True).get(pk=self.parent_id)
                if self.parent_id
                else "/"
            )
            new_path = f"{parent_path}{self.pk}/"
            if new_path != self.path:
                old_path = self.path
                if old_path:
                    Agency.objects.filter(path__startswith=old_path).update(
                        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                    )
                else:
                    Agency.objects.filter(pk=self.pk).update(path=new_path)
                self.path = new_path

    def clean(self) -> None:
        try:
            agency_codes.validate(self.code, AgencyCodeScheme(self.code_scheme))
        except agency_codes.InvalidAgencyCode as exc:
            if exc.kind == "too_long":
                message = _("The code %(code)s is longer than %(max)s characters.")
            else:
                message = _("The code %(code)s does not have the shape of a %(scheme)s code.")
            raise ValidationError(
                {
                    "code": message
                    % {
                        "code": self.code,
                        "max": agency_codes.MAX_LENGTH,
                        "scheme": self.get_code_scheme_display(),
                    }
                },
                code="invalid_agency_code",
            ) from exc
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agency cannot be its own parent.")})

    def subtree(self) -> AgencyQuerySet:
        """This agency and every agency under it."""
        return Agency.objects.filter(path__startswith=self.path)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class SuccessionKind(models.TextChoices):
    FULL = "full", _("Merged whole")
    PARTIAL = "partial", _("Split: part of it")
    RENAMED = "renamed", _("Renamed or re-coded")


class AgencySuccession(models.Model):
    """`predecessor` ceased (wholly or partly) and `successor` took over its work on
    `effective_on`; e.g. the communes merged on 1/7/2025."""

    predecessor = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="successions",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="predecessions",
        verbose_name=_("successor"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("effective on"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("agency succession")
        verbose_name_plural = _("agency successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="agency_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="agency_succession_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} -> {self.successor.code}"


class Role(models.TextChoices):
    """What an officer may do in an agency. One membership row per role."""

    RECEIVER = "receiver", _("Receiving officer")
    SPECIALIST = "specialist", _("Specialist")
    DIVISION_HEAD = "division_head", _("Division head")
    LEADER = "leader", _("Agency leader")
    CLERK = "clerk", _("Clerk")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    MONITOR = "monitor", _("Monitor")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: dt.date) -> MembershipQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def of_user_on(self, user_id: int, day: dt.date) -> list[Membership]:
        """`active_on(day).filter(user_id=user_id).select_related("agency")`, in SQL built
        once per process: every authenticated request reads its caller's memberships."""
        return db.select_joined(
            self.model,
            "agency",
            f"b.user_id = %s AND {active_on_sql('b')} ORDER BY b.id",
            [user_id, *self.active_on_params(day)],
            using=self.db,
        )

    def active_on_params(self, day: dt.date) -> list[Any]:
        """The parameters of `active_on_sql`."""
        on = connections[self.db].ops.adapt_datefield_value(day)
        return [on, on]


def active_on_sql(alias: str) -> str:
    """`MembershipQuerySet.active_on` in SQL over the membership table aliased `alias`,
    for statements written by hand (two placeholders: `active_on_params(day)`)."""
    return (
        f"({alias}.valid_from IS NULL OR {alias}.valid_from <= %s) "
        f"AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= %s)"
    )


class Membership(models.Model):
    """An officer holds `role` in `agency` during the validity interval."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_user_agency_role_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "role"], name="membership_agency_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency.code}"
