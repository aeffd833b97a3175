"""The Decision 766/QĐ-TTg index for an agency subtree and a period.

Each indicator in force at the period's last day (`IndicatorDefinition`) is scored from its
rate R = numerator / denominator (per cent): with a threshold T, full points when R >= T,
else points x R / T; without one, points x R / 100 (DOMAIN.md section 4). Rates and points
are rounded to 2 decimals; an indicator whose denominator is 0, or whose formula the system
cannot compute (no data for it), has no score and shows N/A. Every number has its dossiers
(`index766_dossiers`).

`FORMULAS` define the indicators (one query each, the drill-down's rows); `index766`
counts the dossier indicators by their `SCANS` instead, all in one pass over the dossiers
plus a few joined counts (`scan_counts`), which give the same numbers
(`tests/test_index766_fast.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual

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
from motcua.national.models import NationalSync
from motcua.payments.models import PaymentMethod, PaymentRequest, PaymentState
from motcua.procedures.models import (
    Channel,
    ChannelOption,
    OnlineLevel,
    ProcedureVersion,
    ResultType,
)

from .bieu06 import _overdue_at, population, rejected_q
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


def _requests_at_end(end: dt.datetime) -> Case:
    """The supplement requests of the outer dossier before `end`, counted from the events
    only for the dossiers asked twice or more by now (only those may have been asked twice
    by `end`); 0 for the others."""
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
    return Case(
        When(supplement_count__gte=2, then=Coalesce(requests_by_end, Value(0))),
        default=Value(0),
    )


def _population_q(period: Period) -> Q:
    """`population()`'s row conditions: received before the end, not finished before the
    start."""
    return Q(received_at__lt=period.end) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=period.start)
    )


def _on_time_q(
    period: Period,
    overdue: Expression | F | None = None,
    requests: Expression | F | None = None,
) -> Q:
    """2.1's numerator on `population()` annotated with `overdue_flag` and
    `requests_at_end` (or with the expressions given for them)."""
    overdue = F("overdue_flag") if overdue is None else overdue
    requests = F("requests_at_end") if requests is None else requests
    start, end = period.start, period.end
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    open_at_end = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    good = (finished & (rejected_q() | ~Q(timeliness=Timeliness.LATE))) | (
        open_at_end & Q(Exact(overdue, 0))
    )
    repeated = Q(GreaterThanOrEqual(requests, 2))
    return good & ~repeated


def _reads_events_q(end: dt.datetime) -> Q:
    """The dossiers for which `overdue_flag` (`bieu06._overdue_at`) or `requests_at_end`
    (`_requests_at_end`) read the events, by their guards: in progress at `end` with a
    first due moment before it, or asked for a supplement twice or more. Both are 0 for
    the others."""
    open_at_end = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    return (open_at_end & Q(due_at__isnull=False, initial_due_at__lt=end)) | Q(
        supplement_count__gte=2
    )


def _on_time(agency: Agency, period: Period) -> Formula:
    """2.1: dossiers finished or in progress on time / in time, over the dossiers received or
    handled in the period (those of Biểu 06 column 3 plus those withdrawn in the period,
    a terminal state for 766). Finished: not late against the legal due moment (a
    rejection on the merits counts as on time, as in Biểu 06); in progress: not overdue
    at the period end. A dossier asked for a supplement more than once by the period end
    counts as late whatever its dates."""
    qs = population(agency, period).annotate(requests_at_end=_requests_at_end(period.end))
    return Formula(qs, _on_time_q(period))


def _received_in(period: Period) -> Q:
    return Q(received_at__gte=period.start, received_at__lt=period.end)


def _versions(**conditions: Any) -> QuerySet[ProcedureVersion, Any]:
    """The procedure versions meeting `conditions`, as a subquery: a hashed set that the
    dossiers are tested against without a join."""
    return ProcedureVersion.objects.filter(**conditions).values("pk")


def _online_full_q(period: Period) -> Q:
    return _received_in(period) & Q(
        procedure_version_id__in=_versions(online_level=OnlineLevel.FULL)
    )


def _online_full(agency: Agency, period: Period) -> Formula:
    """3.0: dossiers received online in the period for procedures offered as full online
    service (toàn trình), over all dossiers received in the period for those procedures."""
    return Formula(_subtree(agency).filter(_online_full_q(period)), Q(channel=Channel.ONLINE))


def _electronic_result_q(period: Period) -> Q:
    return (
        Q(finished_at__gte=period.start, finished_at__lt=period.end)
        & Q(status__in=[Status.RESOLVED, Status.RETURNED])
        & ~rejected_q()
        & Q(procedure_version_id__in=_versions(result_type__in=[ResultType.PAPER, ResultType.BOTH]))
    )


def _electronic_result(agency: Agency, period: Period) -> Formula:
    """4.1: dossiers resolved in the period with an electronic result, over the dossiers
    resolved in the period of procedures whose result is (also) on paper. Rejections and
    withdrawals issue no result and are left out."""
    qs = _subtree(agency).filter(_electronic_result_q(period))
    return Formula(qs, Q(result_electronic=True))


def _components() -> Exists:
    return Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.SUBMISSION))


def _result_file() -> Exists:
    return Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.RESULT))


def _without_result_or_electronic(period: Period) -> Q:
    """Not (yet) resolved with a result at the period end, or with an electronic one by the
    dossier's flag (4.2's numerator also takes a kept result file)."""
    with_result = Q(status__in=[Status.RESOLVED, Status.RETURNED], finished_at__lt=period.end) & ~Q(
        result_number=""
    )
    return ~with_result | Q(result_electronic=True)


def _digitised(agency: Agency, period: Period) -> Formula:
    """4.2: dossiers received in the period whose documents were digitised (at least one
    file handed in with the dossier is kept) and, once resolved with a result before the
    period end, whose result is electronic too; over the dossiers received in the
    period."""
    qs = _subtree(agency).filter(_received_in(period))
    electronic = _without_result_or_electronic(period) | Q(_result_file())
    return Formula(qs, Q(_components()) & electronic)


def _reused_exists() -> Exists:
    return Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), reused_from__isnull=False))


def _reused(agency: Agency, period: Period) -> Formula:
    """4.3: dossiers received in the period that reuse digitised data (at least one
    document taken from the applicant's data store instead of handed in again), over the
    dossiers received in the period."""
    return Formula(_subtree(agency).filter(_received_in(period)), Q(_reused_exists()))


ONLINE_METHODS = (PaymentMethod.QR, PaymentMethod.GATEWAY)


def _fee_listed_q() -> Q:
    # The versions listing a fee are few: one hashed set, not a probe per dossier.
    fee_listed = ChannelOption.objects.filter(fee_amount__gt=0).values("version_id")
    return Q(procedure_version_id__in=fee_listed)


def _fee_requested() -> Exists:
    return Exists(PaymentRequest.objects.filter(dossier=OuterRef("pk"), amount__gt=0))


def _paid_online_exists() -> Exists:
    return Exists(
        PaymentRequest.objects.filter(
            dossier=OuterRef("pk"),
            amount__gt=0,
            state=PaymentState.PAID,
            method__in=ONLINE_METHODS,
        )
    )


def _paid_online(agency: Agency, period: Period) -> Formula:
    """3.6: dossiers received in the period that were paid online (VietQR transfer or the
    gateway; not an officer's confirmation of cash or transfer), over the fee-bearing
    dossiers received in the period: a fee above zero was requested, or the procedure
    version lists a fee above zero for a channel (an all-zero fee list is not
    fee-bearing)."""
    qs = _subtree(agency).filter(_fee_listed_q() | Q(_fee_requested()), _received_in(period))
    return Formula(qs, Q(_paid_online_exists()))


def _synced() -> Exists:
    return Exists(NationalSync.objects.filter(dossier=OuterRef("pk")))


def _synced_formula(agency: Agency, period: Period) -> Formula:
    """1.4: dossiers received in the period that the national portal took a record of
    (`national.sync`), over the dossiers received in the period."""
    return Formula(_subtree(agency).filter(_received_in(period)), Q(_synced()))


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


def _satisfaction_q(period: Period) -> Q:
    return (
        Q(received_at__isnull=False, finished_at__gte=period.start)
        & Q(finished_at__lt=period.end)
        & ~Q(status=Status.WITHDRAWN)
    )


def _not_late_q() -> Q:
    return ~((Q(timeliness=Timeliness.LATE) & ~rejected_q()) | Q(supplement_count__gte=2))


def _complained() -> Exists:
    return Exists(Complaint.objects.filter(dossier=OuterRef("pk")))


def _dissatisfied() -> Exists:
    return Exists(
        Rating.objects.filter(dossier=OuterRef("pk"), level=SatisfactionLevel.DISSATISFIED)
    )


def _satisfaction(agency: Agency, period: Period) -> Formula:
    """5.4: satisfaction in receiving and handling, 100 % - (late-dossier rate + rate of
    dossiers with a complaint or a "dissatisfied" rating), over the dossiers whose handling
    ended in the period (withdrawn ones excepted). Late as in 2.1: finished after the due
    moment (a rejection is on time), or asked for a supplement more than once. A late
    dossier that also drew a complaint is counted once (the union), so the rate is the
    share of dossiers neither late nor complained about nor rated dissatisfied."""
    qs = _subtree(agency).filter(_satisfaction_q(period))
    return Formula(qs, _not_late_q() & ~Q(_complained()) & ~Q(_dissatisfied()))


FORMULAS: dict[str, Callable[[Agency, Period], Formula]] = {
    "synced": _synced_formula,
    "on_time": _on_time,
    "online_full": _online_full,
    "electronic_result": _electronic_result,
    "paid_online": _paid_online,
    "digitised": _digitised,
    "reused": _reused,
    "complaints_on_time": _complaints_on_time,
    "satisfaction": _satisfaction,
}


@dataclass(frozen=True)
class Scan:
    """How a dossier indicator is counted in the shared pass of `scan_counts`: its
    denominator and numerator as conditions on the rows of `_scan_base` (None: nothing
    there), plus counts taken apart (`apart`: the part, +1 or -1, and the filters of a
    dossier query whose `Exists` are top-level conjuncts, so that the database joins the
    files, payments, complaints or ratings instead of probing them dossier by dossier,
    and the condition counted among them, None: all; 2.1's reads the events).
    `test_index766_fast` checks that they give the numbers of `FORMULAS`."""

    denominator: Q | None
    numerator: Q | None
    apart: tuple[tuple[str, int, tuple[Q | Exists, ...], Q | None], ...] = ()


def _scan_on_time(period: Period) -> Scan:
    # The events are read apart, for the few dossiers that need them, so that the shared
    # pass has no query per row (and may run in parallel); for the others both
    # annotations are 0.
    population, reads_events = _population_q(period), _reads_events_q(period.end)
    return Scan(
        population,
        population & ~reads_events & _on_time_q(period, Value(0), Value(0)),
        (("numerator", 1, (population, reads_events), _on_time_q(period)),),
    )


def _scan_online_full(period: Period) -> Scan:
    return Scan(_online_full_q(period), _online_full_q(period) & Q(channel=Channel.ONLINE))


def _scan_electronic_result(period: Period) -> Scan:
    q = _electronic_result_q(period)
    return Scan(q, q & Q(result_electronic=True))


def _scan_paid_online(period: Period) -> Scan:
    # Fee-bearing: a fee listed (a row condition), or else a fee requested. Paid online
    # implies a fee requested, so the numerator needs no fee-bearing test of its own.
    received = _received_in(period)
    return Scan(
        received & _fee_listed_q(),
        None,
        (
            ("denominator", 1, (received, ~_fee_listed_q(), _fee_requested()), None),
            ("numerator", 1, (received, _paid_online_exists()), None),
        ),
    )


def _scan_digitised(period: Period) -> Scan:
    # Components kept, and either no result to check or an electronic one by the flag;
    # or else a kept result file.
    received, flagged = _received_in(period), _without_result_or_electronic(period)
    return Scan(
        received,
        None,
        (
            ("numerator", 1, (received, _components(), flagged), None),
            ("numerator", 1, (received, _components(), ~flagged, _result_file()), None),
        ),
    )


def _scan_satisfaction(period: Period) -> Scan:
    # Neither late nor complained about nor rated dissatisfied: the not-late ones less
    # those complained about, less those rated dissatisfied and not complained about.
    ended, not_late = _satisfaction_q(period), _not_late_q()
    return Scan(
        ended,
        ended & not_late,
        (
            ("numerator", -1, (ended, not_late, _complained()), None),
            ("numerator", -1, (ended, not_late, ~Q(_complained()), _dissatisfied()), None),
        ),
    )


def _scan_reused(period: Period) -> Scan:
    received = _received_in(period)
    return Scan(received, None, (("numerator", 1, (received, _reused_exists()), None),))


def _scan_synced(period: Period) -> Scan:
    received = _received_in(period)
    return Scan(received, None, (("numerator", 1, (received, _synced()), None),))


SCANS: dict[str, Callable[[Period], Scan]] = {
    "synced": _scan_synced,
    "on_time": _scan_on_time,
    "online_full": _scan_online_full,
    "electronic_result": _scan_electronic_result,
    "paid_online": _scan_paid_online,
    "digitised": _scan_digitised,
    "reused": _scan_reused,
    "satisfaction": _scan_satisfaction,
}


def _annotated(agency: Agency, period: Period) -> QuerySet[Dossier]:
    """The dossiers of the subtree by its ids (no join: the dossier rows alone), with 2.1's
    annotations (computed only where a condition reads them)."""
    subtree = Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True)
    return Dossier.objects.filter(handling_agency_id__in=list(subtree)).annotate(
        overdue_flag=_overdue_at(period.end), requests_at_end=_requests_at_end(period.end)
    )


def _scan_base(dossiers: QuerySet[Dossier], period: Period) -> QuerySet[Dossier]:
    """Every dossier of the subtree some dossier indicator counts: the population of Biểu 06
    (2.1), those received in the period (3.0, 3.6, 4.2) and those finished in it (4.1,
    5.4)."""
    finished_in = Q(finished_at__gte=period.start, finished_at__lt=period.end)
    return dossiers.filter(_population_q(period) | _received_in(period) | finished_in)


def scan_counts(agency: Agency, period: Period, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of the dossier indicators `names` (keys of `SCANS`): one
    aggregate pass over the dossiers for all of them, plus a few joined counts."""
    scans = {name: SCANS[name](period) for name in names}
    aggregates = {}
    for i, scan in enumerate(scans.values()):
        if scan.denominator is not None:
            aggregates[f"d{i}"] = Count("pk", filter=scan.denominator)
        if scan.numerator is not None:
            aggregates[f"n{i}"] = Count("pk", filter=scan.numerator)
    dossiers = _annotated(agency, period)
    row = _scan_base(dossiers, period).aggregate(**aggregates) if aggregates else {}
    numbers = {
        name: {"numerator": row.get(f"n{i}", 0), "denominator": row.get(f"d{i}", 0)}
        for i, name in enumerate(scans)
    }
    # The counts apart in one round trip: a UNION ALL of one-row aggregates, each planned
    # on its own (its EXISTS a semi-join).
    aparts = [(name, *apart) for name, scan in scans.items() for apart in scan.apart]
    branches = [
        dossiers.filter(*filters)
        .order_by()
        .annotate(k=Value(k))
        .values("k")
        .annotate(n=Count("pk", filter=counted))
        for k, (_name, _part, _sign, filters, counted) in enumerate(aparts)
    ]
    if branches:
        found = {r["k"]: r["n"] for r in branches[0].union(*branches[1:], all=True)}
        for k, (name, part, sign, _filters, _counted) in enumerate(aparts):
            numbers[name][part] += sign * found.get(k, 0)
    return {name: (n["numerator"], n["denominator"]) for name, n in numbers.items()}


def plain_counts(agency: Agency, period: Period, name: str) -> tuple[int, int]:
    """(numerator, denominator) of one indicator straight from its `FORMULAS` definition:
    one aggregate query (the rows of `index766_dossiers`)."""
    parts = FORMULAS[name](agency, period)
    numbers = parts.denominator.aggregate(
        denominator=Count("pk"), numerator=Count("pk", filter=parts.numerator)
    )
    return numbers["numerator"], numbers["denominator"]


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


def _result(
    definition: IndicatorDefinition,
    agency: Agency,
    period: Period,
    scanned: dict[str, tuple[int, int]],
) -> IndicatorResult:
    base = IndicatorResult(
        code=definition.code,
        group=definition.group,
        group_name=definition.group_name,
        name=definition.name,
        max_points=definition.max_points,
        threshold=definition.threshold,
        computed=False,
    )
    if definition.formula in scanned:
        numerator, denominator = scanned[definition.formula]
    elif definition.formula in FORMULAS:
        numerator, denominator = plain_counts(agency, period, definition.formula)
    else:
        return base
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
    """Every indicator in force at the period's last day, grouped. The dossier indicators
    are counted together (`scan_counts`), the others by their own query."""
    definitions = _definitions(period)
    scanned = scan_counts(agency, period, sorted({d.formula for d in definitions} & SCANS.keys()))
    groups: dict[str, GroupResult] = {}
    for definition in definitions:
        result = _result(definition, agency, period, scanned)
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
