"""The 766 index on a hand-built week, one indicator at a time, with the points of the
definition file (2.1: 20 points, 3.0: 12, 4.1: 6, no thresholds) and a new version of a
definition taking over from its effective date.

The test world's procedure: 3 working days; a dossier received on a working day at hh:mm
is due 3 working days later at hh:mm. March 2026: Mon 16 ... Fri 20, Sat 21, Mon 23."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, at
from motcua.procedures.models import OnlineLevel, ProcedureVersion, ResultType
from motcua.reports.index766 import index766, index766_dossiers, score
from motcua.reports.models import IndicatorDefinition
from motcua.reports.periods import date_range

from .conftest import Driver

WEEK = date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 20))


@pytest.fixture
def week(world: World, drive: Driver) -> dict[str, Dossier]:
    ProcedureVersion.objects.filter(pk=world.home.version.pk).update(
        online_level=OnlineLevel.FULL, result_type=ResultType.PAPER
    )
    d: dict[str, Dossier] = {}
    # A: online 17/3 09:00 (due 20/3 09:00), resolved 19/3 with an e-result: on time.
    d["A"] = drive.online(at(17, 9))
    drive.resolve(d["A"], at(19, 10), electronic=True)
    # B: counter 16/3 08:00 (due 19/3 08:00), open at the end: overdue.
    d["B"] = drive.counter(at(16, 8))
    # D: counter 9/3 09:00 (due 12/3 09:00), resolved 16/3 on paper: late.
    d["D"] = drive.counter(at(9, 9))
    drive.resolve(d["D"], at(16, 10))
    # F: counter 9/3 09:20 (due 12/3 09:20), withdrawn 17/3, after its due moment: late.
    d["F"] = drive.counter(at(9, 9, 20))
    drive.withdraw(d["F"], at(17, 9))
    # G: counter 10/3 (due 13/3), rejected 18/3: a rejection counts as on time.
    d["G"] = drive.counter(at(10, 9))
    drive.reject(d["G"], at(18, 9))
    # S1: online 16/3 09:00, one supplement (16/3 10:00 -> 11:00), resolved 18/3 with an
    #     e-result: on time.
    d["S1"] = drive.online(at(16, 9))
    drive.ask_supplement(d["S1"], at(16, 10))
    drive.supplement(d["S1"], at(16, 11))
    drive.resolve(d["S1"], at(18, 10), electronic=True)
    # S2: online 16/3 09:30, asked twice for a supplement, resolved 18/3 on paper, before
    #     its due moment: late all the same (more than one supplement request).
    d["S2"] = drive.online(at(16, 9, 30))
    drive.ask_supplement(d["S2"], at(16, 10))
    drive.supplement(d["S2"], at(16, 14))
    drive.ask_supplement(d["S2"], at(17, 9), second=True)
    drive.supplement(d["S2"], at(17, 10))
    drive.resolve(d["S2"], at(18, 11))
    # R: online 18/3 09:00 (due 23/3 09:00), open and in time at the end; asked twice for a
    #    supplement only on Mon 23/3, after the period: in time for this period.
    d["R"] = drive.online(at(18, 9))
    drive.ask_supplement(d["R"], at(23, 8))
    drive.supplement(d["R"], at(23, 9))
    drive.ask_supplement(d["R"], at(23, 10), second=True)
    return d


def _names(week: dict[str, Dossier], qs: object) -> set[str]:
    pks = set(qs.values_list("pk", flat=True))  # type: ignore[attr-defined]
    return {name for name, d in week.items() if d.pk in pks}


def test_2_1_on_time_rate(world: World, week: dict[str, Dossier]) -> None:
    item = index766(agency=world.home.root, period=WEEK).indicator("2.1")
    # Received or handled in the week: A, B, D, F, G, S1, S2, R; on time / in time: A, G,
    # S1, R. 4 / 8 = 50 %, 20 points x 50 / 100 = 10.
    assert (item.numerator, item.denominator) == (4, 8)
    assert (item.rate, item.score, item.max_points) == (Decimal("50.00"), Decimal("10.00"), 20)
    assert _names(week, index766_dossiers(world.home.root, WEEK, "2.1")) == {"A", "G", "S1", "R"}
    assert _names(week, index766_dossiers(world.home.root, WEEK, "2.1", part="denominator")) == set(
        week
    )


def test_3_0_full_online_share(world: World, week: dict[str, Dossier]) -> None:
    item = index766(agency=world.home.root, period=WEEK).indicator("3.0")
    # Received in the week for a full-online procedure: A, B, S1, S2, R; online: all but B.
    # 4 / 5 = 80 %, 12 x 80 / 100 = 9.6.
    assert (item.numerator, item.denominator, item.rate) == (4, 5, Decimal("80.00"))
    assert item.score == Decimal("9.60")


def test_4_1_electronic_results(world: World, week: dict[str, Dossier]) -> None:
    item = index766(agency=world.home.root, period=WEEK).indicator("4.1")
    # Resolved in the week (paper-result procedure): A, D, S1, S2 (G rejected, F withdrawn:
    # no result); electronic: A, S1. 2 / 4 = 50 %, 6 x 50 / 100 = 3.
    assert (item.numerator, item.denominator, item.score) == (2, 4, Decimal("3.00"))
    assert _names(week, index766_dossiers(world.home.root, WEEK, "4.1")) == {"A", "S1"}


def test_groups_and_total(world: World, week: dict[str, Dossier]) -> None:
    result = index766(agency=world.home.root, period=WEEK)
    assert result.max_points == 100  # the whole definition file
    assert [g.code for g in result.groups] == ["1", "2", "3", "3b", "4", "5"]
    # 2.1 + 3.0 + 4.1 + 4.2 + 5.4 (3.6 and 5.2: no fee-bearing dossier, no complaint;
    # 4.2 scores 0: no file was kept)
    assert result.score == Decimal("26.60")  # 10 + 9.6 + 3 + 0 + 4
    # 20 + 12 + 6 + 4 + 6, 6 for 1.4 (none of the week's dossiers synced: 0 points) and 2
    # for 4.3 (none reuses stored data: 0 points)
    assert result.scored_max_points == 56
    assert result.groups[1].score == Decimal("10.00")
    not_computed = result.indicator("1.1")
    assert not not_computed.computed and not_computed.score is None
    with pytest.raises(LookupError):
        index766_dossiers(world.home.root, WEEK, "1.1")


def test_no_dossiers_gives_no_score(world: World) -> None:
    item = index766(agency=world.justice, period=WEEK).indicator("2.1")
    assert item.computed and (item.denominator, item.rate, item.score) == (0, None, None)


def test_a_new_definition_version_applies_from_its_date(
    world: World, week: dict[str, Dossier]
) -> None:
    IndicatorDefinition.objects.filter(code="2.1").update(effective_to=dt.date(2026, 3, 17))
    IndicatorDefinition.objects.create(
        code="2.1",
        group="2",
        group_name="Tiến độ, kết quả giải quyết",
        name="Tỷ lệ hồ sơ xử lý đúng hạn, trong hạn",
        formula="on_time",
        max_points=Decimal(30),
        threshold=Decimal(40),
        effective_from=dt.date(2026, 3, 18),
    )
    # The week ends on 20/3: the new version, 50 % >= the 40 % threshold: full 30 points.
    assert index766(agency=world.home.root, period=WEEK).indicator("2.1").score == 30
    earlier = date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 17))
    assert index766(agency=world.home.root, period=earlier).indicator("2.1").max_points == 20


@pytest.mark.parametrize(
    ("points", "threshold", "rate", "expected"),
    [
        pytest.param("6", "80", "80", "6.00", id="at-threshold-full"),
        pytest.param("6", "80", "95", "6.00", id="above-threshold-full"),
        pytest.param("6", "80", "40", "3.00", id="half-the-threshold"),
        pytest.param("20", None, "87.5", "17.50", id="linear"),
        pytest.param("2", "80", "33.33", "0.83", id="rounded"),
    ],
)
def test_score(points: str, threshold: str | None, rate: str, expected: str) -> None:
    value = score(Decimal(points), Decimal(threshold) if threshold else None, Decimal(rate))
    assert value == Decimal(expected)


def test_definitions_load_from_the_file_and_reload_idempotently(db: None) -> None:
    assert IndicatorDefinition.objects.count() == 21  # loaded by the data migration
    IndicatorDefinition.objects.filter(code="2.1").update(max_points=1)
    call_command("load_indicators", stdout=__import__("io").StringIO())
    assert IndicatorDefinition.objects.count() == 21
    assert IndicatorDefinition.objects.get(code="2.1").max_points == 20


def test_5_4_satisfaction_in_handling(world: World, week: dict[str, Dossier]) -> None:
    from motcua.feedback.models import Complaint, Rating

    # Handling ended in the week (F withdrawn excepted): A, D, G, S1, S2. Late: D (after its
    # due moment), S2 (two supplement requests). A complaint about S1 and a dissatisfied
    # rating of A take them out too: only G is left. 1 / 5 = 20 %; threshold 90:
    # 6 x 20 / 90 = 1.33.
    Complaint.objects.create(
        tracking_code="PA-1",
        about="dossier",
        dossier=week["S1"],
        submitter_name="Nguyễn Văn A",
        subject="Chậm",
        content="...",
        state="received",
        agency=world.home.ward,
        received_at=at(19, 9),
        refuse_due_at=at(23, 9),
        information_due_at=at(26, 9),
        answer_due_at=at(9, 9, month=4),
    )
    Rating.objects.create(
        dossier=week["A"],
        agency=world.home.ward,
        procedure=world.home.procedure,
        level="dissatisfied",
        reason="Phải đi lại nhiều lần",
        rated_at=at(19, 11),
        changed_at=at(19, 11),
    )
    item = index766(agency=world.home.root, period=WEEK).indicator("5.4")
    assert (item.numerator, item.denominator, item.threshold) == (1, 5, 90)
    assert (item.rate, item.score) == (Decimal("20.00"), Decimal("1.33"))
    assert _names(week, index766_dossiers(world.home.root, WEEK, "5.4")) == {"G"}


def test_3_6_online_payments(world: World, week: dict[str, Dossier]) -> None:
    from motcua.payments.models import PaymentRequest

    def fee(dossier: Dossier, n: int, **fields: object) -> None:
        PaymentRequest.objects.create(
            dossier=dossier,
            amount=50_000,
            description="Lệ phí",
            purpose=dossier.code or "",
            bank_bin="970436",
            account_number="0011001234567",
            account_name="UBND PHUONG MOT",
            reference=f"REF{n}",
            created_at=at(17, 9),
            **fields,  # type: ignore[arg-type]
        )

    # Received in the week with a fee: A paid by VietQR, S1 through the gateway, S2 paid
    # cash (confirmed by an officer), B still pending; R has no fee (and the procedure lists
    # none). D was received before the week. 2 / 4 = 50 %; threshold 100:
    # 6 x 50 / 100 = 3.
    fee(week["A"], 1, state="paid", method="qr", paid_at=at(17, 10))
    fee(week["S1"], 2, state="paid", method="gateway", paid_at=at(17, 10))
    fee(week["S2"], 3, state="paid", method="manual", paid_at=at(17, 10))
    fee(week["B"], 4, state="pending")
    fee(week["D"], 6, state="paid", method="qr", paid_at=at(16, 9))
    item = index766(agency=world.home.root, period=WEEK).indicator("3.6")
    assert (item.numerator, item.denominator, item.score) == (2, 4, Decimal("3.00"))
    assert _names(week, index766_dossiers(world.home.root, WEEK, "3.6")) == {"A", "S1"}
    assert _names(week, index766_dossiers(world.home.root, WEEK, "3.6", part="denominator")) == {
        "A",
        "S1",
        "S2",
        "B",
    }


def test_5_2_complaints_handled_on_time(world: World) -> None:
    from motcua.feedback.models import Complaint

    def complaint(n: int, **fields: object) -> Complaint:
        base: dict[str, object] = {
            "tracking_code": f"PA-{n}",
            "about": "procedure",
            "submitter_name": "Trần Thị B",
            "subject": "Hỏi",
            "content": "...",
            "state": "received",
            "agency": world.home.ward,
            "received_at": at(9, 9),
            "refuse_due_at": at(11, 9),
            "information_due_at": at(16, 9),
            "answer_due_at": at(30, 9),
        }
        return Complaint.objects.create(**{**base, **fields})

    # Handled in the week: 1 answered on time, 2 refused on time, 3 answered on time but
    # published late, 4 answered late; 5 still open, its answer due on 18/3 (protracted);
    # 6 open and not yet due; 7 answered before the week; 8 another province's.
    answered = {"state": "answered", "answer": "Trả lời"}
    complaint(1, finished_at=at(17, 9), handling_timeliness="on_time", **answered)
    complaint(
        2,
        state="refused",
        refusal_reason="Trùng",
        finished_at=at(17, 9),
        handling_timeliness="on_time",
    )
    complaint(
        3,
        finished_at=at(17, 9),
        handling_timeliness="on_time",
        publish_timeliness="late",
        **answered,
    )
    complaint(4, finished_at=at(19, 9), handling_timeliness="late", **answered)
    complaint(5, answer_due_at=at(18, 9))
    complaint(6)
    complaint(7, finished_at=at(12, 9), handling_timeliness="on_time", **answered)
    complaint(
        8, agency=world.away.ward, finished_at=at(17, 9), handling_timeliness="on_time", **answered
    )
    item = index766(agency=world.home.root, period=WEEK).indicator("5.2")
    # 2 on time out of 5 (1, 2 | 3, 4 late, 5 protracted): 40 %, 6 x 40 / 100 = 2.4.
    assert (item.numerator, item.denominator, item.score) == (2, 5, Decimal("2.40"))
    numerator = index766_dossiers(world.home.root, WEEK, "5.2")
    assert numerator.model is Complaint
    assert set(numerator.values_list("tracking_code", flat=True)) == {"PA-1", "PA-2"}


def test_4_2_digitised_dossiers(world: World, week: dict[str, Dossier]) -> None:
    from motcua.dossiers.models import DossierFile

    def scan(dossier: Dossier, kind: str = "submission") -> None:
        DossierFile.objects.create(
            dossier=dossier,
            kind=kind,
            file="dossiers/x.pdf",
            name="to-khai.pdf",
            content_type="application/pdf",
            extension="pdf",
            size=1000,
            sha256="0" * 64,
            uploaded_at=at(16, 9),
        )

    # Received in the week: A, B, S1, S2, R. Documents kept for A, B, S2, R (and D, before
    # the week); S1 has none. S2 was resolved on paper: not digitised. A (e-result), B and
    # R (open) are. 3 / 5 = 60 %; threshold 80: 4 x 60 / 80 = 3.
    for name in ("A", "B", "S2", "R", "D"):
        scan(week[name])
    item = index766(agency=world.home.root, period=WEEK).indicator("4.2")
    assert (item.numerator, item.denominator, item.threshold) == (3, 5, 80)
    assert (item.rate, item.score) == (Decimal("60.00"), Decimal("3.00"))
    assert _names(week, index766_dossiers(world.home.root, WEEK, "4.2")) == {"A", "B", "R"}
    # A result file counts as an electronic result.
    scan(week["S2"], kind="result")
    again = index766(agency=world.home.root, period=WEEK).indicator("4.2")
    assert again.numerator == 4
