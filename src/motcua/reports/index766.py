"""The Decision 766/QĐ-TTg index for an agency subtree and a period.

Each indicator in force at the period's last day (`IndicatorDefinition`) is scored from its
rate R = numerator / denominator (per cent): with a threshold T, full points when R >= T,
else points x R / T; without one, points x R / 100 (DOMAIN.md section 4). Rates and points
are rounded to 2 decimals; an indicator whose denominator is 0, or whose formula the system
cannot compute (no data for it), has no score and shows N/A. Every number has its dossiers
(`index766_dossiers`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from motcua.agencies.models import Agency
from motcua.dossiers.models import (
    Action,
    Dossier,
    DossierEvent,
    DossierFile,
    FileKind,
    Status,
    Timeliness,
)
from motcua.feedback.models import Complaint, Rating, SatisfactionLevel
from motcua.payments.models import PaymentMethod, PaymentRequest, PaymentState
from motcua.procedures.models import Channel, ChannelOption, OnlineLevel, ResultType

from .bieu06 import population, rejected_q
from .models import IndicatorDefinition
from .periods import Period

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Formula:
    """The rows counted in the denominator (dossiers; complaints for 5.2), and the
    condition for the numerator."""

    denominator: QuerySet[Any]
    numerator: Q


def _subtree(agency: Agency) -> QuerySet[Dossier]:
    return Dossier.objects.filter(handling_agency__path__startswith=agency.path)


def _on_time(agency: Agency, period: Period) -> Formula:
    """2.1: dossiers finished or in progress on time / in time, over the dossiers received or
    handled in the period (those of Biểu 06 column 3 plus those withdrawn in the period,
    a terminal state for 766). Finished: not late against the legal due moment (a
    rejection on the merits counts as on time, as in Biểu 06); in progress: not overdue
    at the period end. A dossier asked for a supplement more than once by the period end
    counts as late whatever its dates."""
    start, end = period.start, period.end
    requests_by_end = Subquery(
        DossierEvent.objects.filter(
            dossier=OuterRef("pk"), action=Action.REQUEST_SUPPLEMENT, at__lt=end
        )
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    qs = population(agency, period).annotate(
        # Only dossiers asked twice or more by now may have been asked twice by the end:
        # the events are counted for those alone.
        requests_at_end=Case(
            When(supplement_count__gte=2, then=Coalesce(requests_by_end, Value(0))),
            default=Value(0),
        )
    )
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    open_at_end = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    good = (finished & (rejected_q() | ~Q(timeliness=Timeliness.LATE))) | (
        open_at_end & Q(overdue_flag=0)
    )
    repeated = Q(requests_at_end__gte=2)
    return Formula(qs, good & ~repeated)


def _online_full(agency: Agency, period: Period) -> Formula:
    """3.0: dossiers received online in the period for procedures offered as full online
    service (toàn trình), over all dossiers received in the period for those procedures."""
    qs = _subtree(agency).filter(
        received_at__gte=period.start,
        received_at__lt=period.end,
        procedure_version__online_level=OnlineLevel.FULL,
    )
    return Formula(qs, Q(channel=Channel.ONLINE))


def _electronic_result(agency: Agency, period: Period) -> Formula:
    """4.1: dossiers resolved in the period with an electronic result, over the dossiers
    resolved in the period of procedures whose result is (also) on paper. Rejections and
    withdrawals issue no result and are left out."""
    qs = (
        _subtree(agency)
        .filter(finished_at__gte=period.start, finished_at__lt=period.end)
        .filter(status__in=[Status.RESOLVED, Status.RETURNED])
        .exclude(rejected_q())
        .filter(procedure_version__result_type__in=[ResultType.PAPER, ResultType.BOTH])
    )
    return Formula(qs, Q(result_electronic=True))


def _digitised(agency: Agency, period: Period) -> Formula:
    """4.2: dossiers received in the period whose documents were digitised (at least one
    file handed in with the dossier is kept) and, once resolved with a result before the
    period end, whose result is electronic too; over the dossiers received in the
    period."""
    end = period.end
    components = DossierFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.SUBMISSION)
    result_file = DossierFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.RESULT)
    with_result = Q(status__in=[Status.RESOLVED, Status.RETURNED], finished_at__lt=end) & ~Q(
        result_number=""
    )
    qs = _subtree(agency).filter(received_at__gte=period.start, received_at__lt=end)
    electronic = Q(result_electronic=True) | Q(Exists(result_file))
    return Formula(qs, Q(Exists(components)) & (~with_result | electronic))


ONLINE_METHODS = (PaymentMethod.QR, PaymentMethod.GATEWAY)


def _paid_online(agency: Agency, period: Period) -> Formula:
    """3.6: dossiers received in the period that were paid online (VietQR transfer or the
    gateway; not an officer's confirmation of cash or transfer), over the fee-bearing
    dossiers received in the period: a fee above zero was requested, or the procedure
    version lists a fee above zero for a channel (an all-zero fee list is not
    fee-bearing)."""
    fee_requested = PaymentRequest.objects.filter(dossier=OuterRef("pk"), amount__gt=0)
    # The versions listing a fee are few: one hashed set, not a probe per dossier.
    fee_listed = ChannelOption.objects.filter(fee_amount__gt=0).values("version_id")
    paid_online = PaymentRequest.objects.filter(
        dossier=OuterRef("pk"),
        amount__gt=0,
        state=PaymentState.PAID,
        method__in=ONLINE_METHODS,
    )
    qs = _subtree(agency).filter(
        Q(procedure_version_id__in=fee_listed) | Q(Exists(fee_requested)),
        received_at__gte=period.start,
        received_at__lt=period.end,
    )
    return Formula(qs, Q(Exists(paid_online)))


def _complaints_on_time(agency: Agency, period: Period) -> Formula:
    """5.2: complaints and recommendations (PAKN) of the subtree handled on time: refused
    or answered in the period with every step on time (refusal or answer, the request for
    information, the publication), over those handled in the period plus those still
    open at its end past their answer deadline (protracted: late whatever comes next)."""
    start, end = period.start, period.end
    handled = Q(finished_at__gte=start, finished_at__lt=end)
    protracted = Q(received_at__lt=end, answer_due_at__lt=end) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    )
    qs = Complaint.objects.filter(agency__path__startswith=agency.path).filter(handled | protracted)
    late = (
        Q(handling_timeliness=Timeliness.LATE)
        | Q(information_timeliness=Timeliness.LATE)
        | Q(publish_timeliness=Timeliness.LATE)
    )
    return Formula(qs, handled & ~late)


def _satisfaction(agency: Agency, period: Period) -> Formula:
    """5.4: satisfaction in receiving and handling, 100 % - (late-dossier rate + rate of
    dossiers with a complaint or a "dissatisfied" rating), over the dossiers whose handling
    ended in the period (withdrawn ones excepted). Late as in 2.1: finished after the due
    moment (a rejection is on time), or asked for a supplement more than once. A late
    dossier that also drew a complaint is counted once (the union), so the rate is the
    share of dossiers neither late nor complained about nor rated dissatisfied."""
    complained = Complaint.objects.filter(dossier=OuterRef("pk"))
    dissatisfied = Rating.objects.filter(
        dossier=OuterRef("pk"), level=SatisfactionLevel.DISSATISFIED
    )
    qs = (
        _subtree(agency)
        .filter(received_at__isnull=False, finished_at__gte=period.start)
        .filter(finished_at__lt=period.end)
        .exclude(status=Status.WITHDRAWN)
    )
    late = (Q(timeliness=Timeliness.LATE) & ~rejected_q()) | Q(supplement_count__gte=2)
    return Formula(qs, ~late & ~Q(Exists(complained)) & ~Q(Exists(dissatisfied)))


FORMULAS: dict[str, Callable[[Agency, Period], Formula]] = {
    "on_time": _on_time,
    "online_full": _online_full,
    "electronic_result": _electronic_result,
    "paid_online": _paid_online,
    "digitised": _digitised,
    "complaints_on_time": _complaints_on_time,
    "satisfaction": _satisfaction,
}


def score(points: Decimal, threshold: Decimal | None, rate: Decimal) -> Decimal:
    """Points for a rate in per cent: full from the threshold on, else in proportion."""
    if threshold is not None:
        value = points if rate >= threshold else points * rate / threshold
    else:
        value = points * rate / 100
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    group: str
    group_name: str
    name: str
    max_points: Decimal
    threshold: Decimal | None
    computed: bool  # False: the system has no formula or data for it
    numerator: int | None = None
    denominator: int | None = None
    rate: Decimal | None = None  # per cent, 2 decimals; None when the denominator is 0
    score: Decimal | None = None


@dataclass(frozen=True)
class GroupResult:
    code: str
    name: str
    indicators: list[IndicatorResult]

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((i.score for i in self.indicators if i.score is not None), Decimal(0))

    @property
    def scored_max_points(self) -> Decimal:
        """The maximum of the indicators that have a score (for a fair percentage)."""
        return sum((i.max_points for i in self.indicators if i.score is not None), Decimal(0))


@dataclass(frozen=True)
class Index766:
    agency_id: int
    period: Period
    groups: list[GroupResult] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((g.score for g in self.groups), Decimal(0))

    @property
    def scored_max_points(self) -> Decimal:
        return sum((g.scored_max_points for g in self.groups), Decimal(0))

    def indicator(self, code: str) -> IndicatorResult:
        for group in self.groups:
            for item in group.indicators:
                if item.code == code:
                    return item
        raise KeyError(code)


def _definitions(period: Period) -> list[IndicatorDefinition]:
    return list(IndicatorDefinition.objects.effective_on(period.last_day))


def _result(definition: IndicatorDefinition, agency: Agency, period: Period) -> IndicatorResult:
    base = IndicatorResult(
        code=definition.code,
        group=definition.group,
        group_name=definition.group_name,
        name=definition.name,
        max_points=definition.max_points,
        threshold=definition.threshold,
        computed=False,
    )
    formula = FORMULAS.get(definition.formula)
    if formula is None:
        return base
    parts = formula(agency, period)
    numbers = parts.denominator.aggregate(
        denominator=Count("pk"), numerator=Count("pk", filter=parts.numerator)
    )
    numerator, denominator = numbers["numerator"], numbers["denominator"]
    if not denominator:
        return replace(base, computed=True, numerator=0, denominator=0)
    rate = (Decimal(100) * numerator / denominator).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return replace(
        base,
        computed=True,
        numerator=numerator,
        denominator=denominator,
        rate=rate,
        score=score(definition.max_points, definition.threshold, rate),
    )


def index766(*, agency: Agency, period: Period) -> Index766:
    """Every indicator in force at the period's last day, grouped; one aggregate query per
    computed indicator."""
    groups: dict[str, GroupResult] = {}
    for definition in _definitions(period):
        result = _result(definition, agency, period)
        group = groups.setdefault(
            definition.group, GroupResult(definition.group, definition.group_name, [])
        )
        group.indicators.append(result)
    return Index766(agency.pk, period, list(groups.values()))


def index766_dossiers(
    agency: Agency, period: Period, code: str, *, part: str = "numerator"
) -> QuerySet[Any]:
    """The rows behind an indicator's numerator or denominator (drill-down): dossiers, or
    complaints for 5.2 (`queryset.model` tells). Raises
    LookupError for an indicator not in force or not computed by the system."""
    definition = next((d for d in _definitions(period) if d.code == code), None)
    if definition is None or definition.formula not in FORMULAS:
        raise LookupError(code)
    parts = FORMULAS[definition.formula](agency, period)
    if part == "denominator":
        return parts.denominator
    if part == "numerator":
        return parts.denominator.filter(parts.numerator)
    raise ValueError(f"part must be 'numerator' or 'denominator', not {part!r}")
