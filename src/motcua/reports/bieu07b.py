"""Biểu số II.07b/VPCP/KSTT: the number of administrative procedures, by unit, under the
one-stop mechanism (DOMAIN.md section 3; layout as in practice [P: DVC
`XuatBaoCaoTongHop07b.tsx`]). For the catalogue in force on the period's last day:

    (3)-(5)  procedures the unit handles (total; province level; commune level), by the
             implementing levels of the procedure;
    (6)-(8)  of those, procedures handled under the one-stop mechanism (received at the
             one-stop desk: the version offers at least one channel), by the level of the
             desk (the level of the handling agency);
    (9)-(11) of those, procedures whose internal process (quy trình nội bộ) is issued: the
             version has its steps, by the level of the handling agency.

A procedure belongs to the unit named as handling agency (`competent_agency`) of its
version in force; procedures without one belong to no unit and are not counted. The
district columns of the pre-2025 form are left out: the district level is gone since
1/7/2025 and the catalogue records no district level. Counted in one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from motcua.agencies.models import Agency, AgencyLevel
from motcua.domain.text import fold
from motcua.procedures.models import ChannelOption, ProcedureVersion, ProcessStep

from .bieu06 import LEVEL_GROUP, LevelGroup
from .periods import Period


@dataclass(frozen=True)
class Counts07b:
    total: int = 0  # (3)
    province: int = 0  # (4)
    commune: int = 0  # (5)
    one_stop: int = 0  # (6)
    one_stop_province: int = 0  # (7)
    one_stop_commune: int = 0  # (8)
    process: int = 0  # (9)
    process_province: int = 0  # (10)
    process_commune: int = 0  # (11)

    def __add__(self, other: Counts07b) -> Counts07b:
        return Counts07b(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in COLUMNS_07B)


COLUMNS_07B: tuple[str, ...] = tuple(f.name for f in fields(Counts07b))


@dataclass(frozen=True)
class Row07b:
    agency_id: int
    label: str
    counts: Counts07b


@dataclass(frozen=True)
class Group07b:
    level: LevelGroup
    rows: list[Row07b]

    @property
    def label(self) -> str:
        return self.level.label

    @property
    def counts(self) -> Counts07b:
        return sum((r.counts for r in self.rows), Counts07b())


@dataclass(frozen=True)
class Bieu07b:
    agency_id: int
    agency_name: str
    period: Period
    groups: list[Group07b] = field(default_factory=list)

    @property
    def totals(self) -> Counts07b:
        return sum((g.counts for g in self.groups), Counts07b())


def _versions(agency: Agency, period: Period) -> QuerySet[ProcedureVersion]:
    """The procedure versions the form counts: in force on the period's last day, of a
    procedure in use, handled by `agency` or a unit under it."""
    return ProcedureVersion.objects.effective_on(period.last_day).filter(
        procedure__is_active=True, competent_agency__path__startswith=agency.path
    )


def _conditions() -> dict[str, Q]:
    province_desk = Q(
        competent_agency__level__in=[
            AgencyLevel.PROVINCE,
            AgencyLevel.DEPARTMENT,
            AgencyLevel.SERVICE_CENTER,
        ]
    )
    commune_desk = Q(competent_agency__level=AgencyLevel.COMMUNE)
    on = Q(Exists(ChannelOption.objects.filter(version=OuterRef("pk"))))
    issued = on & Q(Exists(ProcessStep.objects.filter(version=OuterRef("pk"))))
    return {
        "total": Q(pk__isnull=False),
        "province": Q(procedure__level_province=True),
        "commune": Q(procedure__level_commune=True),
        "one_stop": on,
        "one_stop_province": on & province_desk,
        "one_stop_commune": on & commune_desk,
        "process": issued,
        "process_province": issued & province_desk,
        "process_commune": issued & commune_desk,
    }


def bieu07b_versions(agency: Agency, period: Period, column: str) -> QuerySet[ProcedureVersion]:
    """The procedure versions behind one number of the form (drill-down)."""
    conditions = _conditions()
    if column not in conditions:
        raise ValueError(f"unknown column {column!r}")
    return _versions(agency, period).filter(conditions[column])


def bieu07b(*, agency: Agency, period: Period) -> Bieu07b:
    """The form for the units of `agency`'s subtree, one row per unit, grouped by level."""
    lines = (
        _versions(agency, period)
        .values("competent_agency_id", "competent_agency__level", "competent_agency__name")
        .annotate(
            **{
                # A procedure counts once, even with two versions in force that day.
                name: Count(Case(When(q, then="procedure_id")), distinct=True)
                for name, q in _conditions().items()
            }
        )
        .order_by()
    )
    by_level: dict[LevelGroup, list[Row07b]] = {}
    for line in lines:
        values: dict[str, Any] = dict(line)
        level = LEVEL_GROUP.get(AgencyLevel(values["competent_agency__level"]), LevelGroup.OTHER)
        counts = Counts07b(**{name: values[name] for name in COLUMNS_07B})
        by_level.setdefault(level, []).append(
            Row07b(values["competent_agency_id"], values["competent_agency__name"], counts)
        )
    groups = [
        Group07b(level, sorted(by_level[level], key=lambda r: fold(r.label)))
        for level in LevelGroup
        if level in by_level
    ]
    return Bieu07b(agency.pk, agency.name, period, groups)


def header_spans_07b() -> list[tuple[int, int, int, int, str]]:
    """Header cells as in `exports.header_spans` (columns from 1, rows from 0)."""
    return [
        (1, 1, 0, 1, pgettext("report row number", "No.")),
        (2, 2, 0, 1, pgettext("report row label", "Unit")),
        (3, 5, 0, 0, _("Administrative procedures under the local authority")),
        (3, 3, 1, 1, _("Total procedures")),
        (4, 4, 1, 1, pgettext("report column", "Province level")),
        (5, 5, 1, 1, pgettext("report column", "Commune level")),
        (6, 8, 0, 0, _("Procedures handled under the one-stop mechanism")),
        (6, 6, 1, 1, _("Total procedures")),
        (7, 7, 1, 1, _("At the province-level one-stop desk")),
        (8, 8, 1, 1, _("At the commune-level one-stop desk")),
        (9, 11, 0, 0, _("Internal processes issued")),
        (9, 9, 1, 1, _("Total processes")),
        (10, 10, 1, 1, pgettext("report column", "Province level")),
        (11, 11, 1, 1, pgettext("report column", "Commune level")),
    ]
