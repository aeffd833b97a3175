"""The evaluation of dossier handling: the 9-criterion scoring tool of Circular
01/2018/TT-VPCP (DOMAIN.md section 1.5), per dossier and per agency, with the grade bands as
versioned data (`GradeBand`, from `reports/data/evaluation.json`).

Each criterion scores 2 / 1 / 0. What the system records decides what it can score:

1. total time vs the legal time: the dossier's timeliness, early 2, on time 1, late 0;
2. each participating body's time: as 1, but 0 when a consulted agency answered after its
   deadline or not at all (deemed agreement); per-step budgets are on the control slip,
   computed in Python per dossier, not summed here;
3. contacts needed to complete the dossier: supplement requests, none 2, one 1, more 0;
4. bodies the applicant had to contact: none (no supplement) 2, else only the one-stop
   desk (supplements go through it; other agencies are reached by the system) 1;
5. handled end-to-end at the one-stop desk, 6. publication of the procedures: not
   recorded by the system, not scored (shown as None);
7. officials' attitude: 0 with a complaint about an officer on the dossier (unless
   refused); else early 2, on time 1, late 0;
8. complaints and recommendations, per agency: those handled in the period, none or all on
   time, and none still open past its answer deadline at the period end 2; >= 90 % on time
   and none so open 1; else 0;
9. online service, per agency: of the dossiers received in the period >= 30 % online and
   no late online dossier (resolved late in the period, or overdue at its end) 2; 15-<30 %
   and none late 1; else 0.

The dossiers evaluated are those of the agency subtree whose handling ended in the period
(resolved or rejected; withdrawn ones are not judged). An agency's score per dossier
criterion is the mean over its dossiers; its total is scaled to the tool's maximum (18)
over the criteria scored (`scaled`), and graded by the bands in force on the period's last
day. All of it is SQL aggregation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from motcua.agencies.models import Agency
from motcua.dossiers.models import Consultation, Dossier, Status, Timeliness
from motcua.feedback.models import Complaint, ComplaintAbout, ComplaintState
from motcua.procedures.models import Channel

from .models import GradeBand
from .periods import Period

TWO_PLACES = Decimal("0.01")
MAX_POINTS = Decimal(18)
DOSSIER_CRITERIA = ("c1", "c2", "c3", "c4", "c7")
ONLINE_FULL, ONLINE_PART = Decimal(30), Decimal(15)  # criterion 9, per cent
COMPLAINTS_PART = Decimal(90)  # criterion 8, per cent


def _points(q2: Q, q1: Q) -> Case:
    return Case(
        When(q2, then=Value(2)),
        When(q1, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def evaluated_dossiers(agency: Agency, period: Period) -> QuerySet[Dossier]:
    """The dossiers of the agency subtree whose handling ended in the period, each with its
    criteria c1, c2, c3, c4, c7 (the per-dossier evaluation, and its drill-down)."""
    late_consultation = Consultation.objects.filter(dossier=OuterRef("pk")).filter(
        Q(deemed_agreed=True) | Q(replied_at__gt=F("due_at"))
    )
    officer_complaint = Complaint.objects.filter(
        dossier=OuterRef("pk"), about=ComplaintAbout.OFFICER
    ).exclude(state=ComplaintState.REFUSED)
    early = Q(timeliness=Timeliness.EARLY)
    on_time = Q(timeliness=Timeliness.ON_TIME) | Q(timeliness="")
    c1 = _points(early, on_time)
    return (
        Dossier.objects.filter(
            handling_agency__path__startswith=agency.path,
            received_at__isnull=False,
            finished_at__gte=period.start,
            finished_at__lt=period.end,
        )
        .exclude(status=Status.WITHDRAWN)
        .annotate(
            c1=c1,
            c2=Case(
                When(Exists(late_consultation), then=Value(0)),
                default=c1,
                output_field=IntegerField(),
            ),
            c3=_points(Q(supplement_count=0), Q(supplement_count=1)),
            c4=_points(Q(supplement_count=0), Q(supplement_count__gte=1)),
            c7=Case(
                When(Exists(officer_complaint), then=Value(0)),
                default=c1,
                output_field=IntegerField(),
            ),
        )
    )


@dataclass(frozen=True)
class AgencyEvaluation:
    agency_id: int
    name: str
    dossiers: int
    criteria: dict[int, Decimal | None]  # 1..9; None: not scored
    total: Decimal  # of the scored criteria
    scored_max: Decimal
    scaled: Decimal  # total scaled to 18
    grade: str  # the band's label ("" when nothing was scored)

    @property
    def scored(self) -> list[int]:
        return [n for n, v in self.criteria.items() if v is not None]


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _rate(part: int, whole: int) -> Decimal:
    return Decimal(100) * part / whole if whole else Decimal(0)


def _complaint_points(agency_ids: list[int], period: Period) -> dict[int, int]:
    """Criterion 8 per agency: complaints handled (refused or answered) in the period and
    those still open at its end after their answer deadline (protracted)."""
    end = period.end
    rows = (
        Complaint.objects.filter(agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(
            handled=Count("pk", filter=Q(finished_at__gte=period.start, finished_at__lt=end)),
            late=Count(
                "pk",
                filter=Q(
                    finished_at__gte=period.start,
                    finished_at__lt=end,
                    handling_timeliness=Timeliness.LATE,
                ),
            ),
            protracted=Count(
                "pk",
                filter=Q(received_at__lt=end, answer_due_at__lt=end)
                & (Q(finished_at__isnull=True) | Q(finished_at__gte=end)),
            ),
        )
        .order_by()
    )
    points: dict[int, int] = {}
    for row in rows:
        on_time = _rate(row["handled"] - row["late"], row["handled"]) if row["handled"] else None
        if row["protracted"]:
            points[row["agency_id"]] = 0
        elif on_time is None or on_time == 100:
            points[row["agency_id"]] = 2
        else:
            points[row["agency_id"]] = 1 if on_time >= COMPLAINTS_PART else 0
    return points


def _online_points(agency_ids: list[int], period: Period) -> dict[int, int]:
    """Criterion 9 per agency: the online share of the dossiers received in the period,
    and whether an online dossier was resolved late in it or was overdue at its end."""
    start, end = period.start, period.end
    online = Q(channel=Channel.ONLINE)
    rows = (
        Dossier.objects.filter(handling_agency_id__in=agency_ids, received_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        .values("handling_agency_id")
        .annotate(
            received=Count("pk", filter=Q(received_at__gte=start)),
            online=Count("pk", filter=online & Q(received_at__gte=start)),
            late_online=Count(
                "pk",
                filter=online
                & (
                    Q(finished_at__lt=end, timeliness=Timeliness.LATE)
                    | (
                        (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
                        & Q(due_at__lt=end)
                        & ~Q(status=Status.AWAITING_SUPPLEMENT)
                    )
                ),
            ),
        )
        .order_by()
    )
    points: dict[int, int] = {}
    for row in rows:
        share = _rate(row["online"], row["received"])
        if row["late_online"] or share < ONLINE_PART:
            points[row["handling_agency_id"]] = 0
        else:
            points[row["handling_agency_id"]] = 2 if share >= ONLINE_FULL else 1
    return points


def grade_for(scaled: Decimal, period: Period) -> str:
    """The label of the band in force on the period's last day that `scaled` reaches."""
    for band in GradeBand.objects.effective_on(period.last_day).order_by("-min_points"):
        if scaled >= band.min_points:
            return band.label
    return ""


def evaluation(*, agency: Agency, period: Period) -> list[AgencyEvaluation]:
    """One evaluation per handling agency of the subtree with dossiers evaluated in the
    period, by name; three aggregate queries and one for the bands."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in evaluated_dossiers(agency, period)
        .values("handling_agency_id", "handling_agency__name")
        .annotate(n=Count("pk"), **{f"avg_{c}": Avg(c) for c in DOSSIER_CRITERIA})
        .order_by("handling_agency__name")
    ]
    ids = [row["handling_agency_id"] for row in rows]
    complaints = _complaint_points(ids, period)
    online = _online_points(ids, period)
    bands = list(GradeBand.objects.effective_on(period.last_day).order_by("-min_points"))
    result = []
    for row in rows:
        criteria: dict[int, Decimal | None] = {n: None for n in range(1, 10)}
        for c in DOSSIER_CRITERIA:
            criteria[int(c[1:])] = _q(Decimal(str(row[f"avg_{c}"])))
        criteria[8] = Decimal(complaints.get(row["handling_agency_id"], 2))
        criteria[9] = Decimal(online.get(row["handling_agency_id"], 0))
        scored = [v for v in criteria.values() if v is not None]
        total = _q(sum(scored, Decimal(0)))
        scored_max = Decimal(2 * len(scored))
        scaled = _q(total * MAX_POINTS / scored_max) if scored_max else Decimal(0)
        grade = next((b.label for b in bands if scaled >= b.min_points), "")
        result.append(
            AgencyEvaluation(
                agency_id=row["handling_agency_id"],
                name=row["handling_agency__name"],
                dossiers=row["n"],
                criteria=criteria,
                total=total,
                scored_max=scored_max,
                scaled=scaled,
                grade=grade,
            )
        )
    return result
