"""The 9-criterion evaluation of dossier handling on a hand-built week, per dossier and
per agency, with the grade bands as versioned data.

The procedure of the test world has a limit of 3 working days (no holiday in March 2026).
March 2026: Mon 9 ... Fri 13 | Mon 16 ... Fri 20."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.tests.factories import World, at
from motcua.feedback.models import Complaint, ComplaintAbout, ComplaintState
from motcua.reports.evaluation import evaluated_dossiers, evaluation
from motcua.reports.models import GradeBand
from motcua.reports.periods import date_range

from .conftest import Driver

WEEK = date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 20))


def _complaint(world: World, n: int, **fields: object) -> Complaint:
    return Complaint.objects.create(
        tracking_code=f"PA-{n}",
        submitter_name="Nguyễn Văn A",
        subject="Thái độ",
        content="...",
        agency=world.home.ward,
        received_at=at(17, 9),
        refuse_due_at=at(19, 9),
        information_due_at=at(24, 9),
        answer_due_at=at(10, 9, month=4),
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def week(world: World, drive: Driver) -> dict[str, Dossier]:
    d: dict[str, Dossier] = {}
    # A: online, resolved early, nothing else: 2 on every dossier criterion.
    d["A"] = drive.online(at(16, 9))
    drive.resolve(d["A"], at(17, 10))
    # B: online, one supplement (due moves a day), resolved early: c3 = c4 = 1.
    d["B"] = drive.online(at(16, 9, 5))
    drive.ask_supplement(d["B"], at(16, 10))
    drive.supplement(d["B"], at(17, 10))
    drive.resolve(d["B"], at(18, 10))
    # C: received 9/3 (due 12/3), resolved late on 16/3: c1 = c2 = c7 = 0.
    d["C"] = drive.counter(at(9, 9))
    drive.resolve(d["C"], at(16, 10))
    # E: the Department of Justice is consulted (1 working day) and answers late: c2 = 0.
    d["E"] = drive.counter(at(16, 9, 30))
    code = d["E"].code or ""
    services.dossier_consult(
        actor=world.specialist,
        code=code,
        agency_codes=[world.justice.code],
        question="Xin ý kiến",
        reply_within_days=Decimal(1),
        now=at(16, 10),
    )
    consultation = Consultation.objects.get(dossier=d["E"])
    services.dossier_reply_consultation(
        actor=world.justice_specialist,
        consultation_id=consultation.pk,
        reply="Đồng ý",
        agreed=True,
        now=at(18, 9),
    )
    drive.resolve(d["E"], at(18, 10))
    # F: resolved early, but a complaint about an officer on it: c7 = 0.
    d["F"] = drive.counter(at(16, 9, 40))
    drive.resolve(d["F"], at(17, 11))
    _complaint(
        world, 1, about=ComplaintAbout.OFFICER, dossier=d["F"], state=ComplaintState.PROCESSING
    )
    # D: withdrawn: not evaluated (but received in the period: criterion 9 counts it).
    d["D"] = drive.counter(at(16, 9, 50))
    drive.withdraw(d["D"], at(17, 9))
    # Two complaints handled in the week, one of them late: 50 % on time, c8 = 0.
    _complaint(
        world,
        2,
        about=ComplaintAbout.PROCEDURE,
        state=ComplaintState.ANSWERED,
        finished_at=at(19, 9),
        handling_timeliness="on_time",
        answer="Đã trả lời",
    )
    _complaint(
        world,
        3,
        about=ComplaintAbout.PROCEDURE,
        state=ComplaintState.ANSWERED,
        finished_at=at(19, 10),
        handling_timeliness="late",
        answer="Đã trả lời",
    )
    return d


def test_per_dossier_criteria(world: World, week: dict[str, Dossier]) -> None:
    rows = {
        row["pk"]: (row["c1"], row["c2"], row["c3"], row["c4"], row["c7"])
        for row in evaluated_dossiers(world.home.root, WEEK).values(
            "pk", "c1", "c2", "c3", "c4", "c7"
        )
    }
    assert rows == {
        week["A"].pk: (2, 2, 2, 2, 2),
        week["B"].pk: (2, 2, 1, 1, 2),
        week["C"].pk: (0, 0, 2, 2, 0),
        week["E"].pk: (2, 0, 2, 2, 2),
        week["F"].pk: (2, 2, 2, 2, 0),
    }


def test_per_agency_scores_and_grade(world: World, week: dict[str, Dossier]) -> None:
    (ward,) = evaluation(agency=world.home.root, period=WEEK)
    assert (ward.agency_id, ward.dossiers) == (world.home.ward.pk, 5)
    assert ward.criteria == {
        1: Decimal("1.60"),  # (2 + 2 + 0 + 2 + 2) / 5
        2: Decimal("1.20"),  # (2 + 2 + 0 + 0 + 2) / 5
        3: Decimal("1.80"),
        4: Decimal("1.80"),
        5: None,
        6: None,
        7: Decimal("1.20"),  # (2 + 2 + 0 + 2 + 0) / 5
        8: Decimal(0),  # 1 of 2 complaints on time
        9: Decimal(2),  # 2 of 5 received online (40 %), none late
    }
    assert ward.total == Decimal("9.60")
    assert ward.scored_max == Decimal(14)
    assert ward.scaled == Decimal("12.34")  # 9.6 x 18 / 14
    assert ward.grade == "Tốt"


def test_grade_bands_are_versioned_data(world: World, week: dict[str, Dossier]) -> None:
    assert GradeBand.objects.effective_on(dt.date(2026, 3, 20)).count() == 5
    GradeBand.objects.update(effective_to=dt.date(2026, 2, 28))
    for code, label, points in (("good", "Tốt", 13), ("fair", "Khá", 10)):
        GradeBand.objects.create(
            code=code, label=label, min_points=points, effective_from=dt.date(2026, 3, 1)
        )
    (ward,) = evaluation(agency=world.home.root, period=WEEK)
    assert ward.grade == "Khá"
    earlier = date_range(dt.date(2026, 2, 16), dt.date(2026, 2, 20))
    assert evaluation(agency=world.home.root, period=earlier) == []


def test_an_agency_without_evaluated_dossiers_has_no_row(world: World) -> None:
    assert evaluation(agency=world.justice, period=WEEK) == []
