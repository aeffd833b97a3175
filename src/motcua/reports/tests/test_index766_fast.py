"""The shared pass of the 766 index (`scan_counts`: one aggregate over the dossiers, the
events read apart for the few that need them, files, payments, complaints and ratings
counted by joins) gives, indicator by indicator, the numbers of the straightforward
definitions (`plain_counts`, one query per indicator on `FORMULAS`: the rows of the
drill-down), on a hand-built mix and for several periods and subtrees."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.tests.factories import World, at
from motcua.feedback.models import Complaint, Rating
from motcua.national.models import NationalSync
from motcua.payments.models import PaymentRequest
from motcua.procedures.models import ChannelOption, OnlineLevel, ProcedureVersion, ResultType
from motcua.reports.index766 import SCANS, index766, index766_dossiers, plain_counts, scan_counts
from motcua.reports.periods import Period, date_range

from .conftest import Driver


def _file(dossier: Dossier, kind: str, **fields: object) -> DossierFile:
    return DossierFile.objects.create(
        dossier=dossier,
        kind=kind,
        file="dossiers/x.pdf",
        name="x.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1000,
        sha256="0" * 64,
        uploaded_at=at(16, 9),
        **fields,  # type: ignore[arg-type]
    )


def _synced(dossier: Dossier) -> None:
    NationalSync.objects.create(
        dossier=dossier, first_synced_at=at(20, 9), synced_at=at(20, 9), status=dossier.status
    )


def _fee(dossier: Dossier, n: int, amount: int = 50_000, **fields: object) -> None:
    PaymentRequest.objects.create(
        dossier=dossier,
        amount=amount,
        description="Lệ phí",
        purpose=dossier.code or "",
        bank_bin="970436",
        account_number="0011001234567",
        account_name="UBND PHUONG MOT",
        reference=f"REF{n}",
        created_at=at(17, 9),
        **fields,  # type: ignore[arg-type]
    )


def _complaint(world: World, dossier: Dossier, n: int) -> None:
    Complaint.objects.create(
        tracking_code=f"PA-{n}",
        about="dossier",
        dossier=dossier,
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


def _rating(world: World, dossier: Dossier, level: str) -> None:
    Rating.objects.create(
        dossier=dossier,
        agency=world.home.ward,
        procedure=world.home.procedure,
        level=level,
        reason="Phải đi lại nhiều lần" if level == "dissatisfied" else "",
        rated_at=at(19, 11),
        changed_at=at(19, 11),
    )


@pytest.fixture
def mix(world: World, drive: Driver) -> dict[str, Dossier]:
    ProcedureVersion.objects.filter(pk=world.home.version.pk).update(
        online_level=OnlineLevel.FULL, result_type=ResultType.BOTH
    )
    d: dict[str, Dossier] = {}
    d["A"] = drive.online(at(17, 9))  # resolved with an e-result, on time
    drive.resolve(d["A"], at(19, 10), electronic=True)
    d["B"] = drive.counter(at(16, 8))  # open, overdue from 19/3
    d["C"] = drive.counter(at(19, 9))  # open, in time
    d["D"] = drive.counter(at(9, 9))  # resolved late on paper, returned
    drive.resolve(d["D"], at(16, 10))
    drive.give_back(d["D"], at(16, 11))
    d["E"] = drive.counter(at(16, 9))  # resolved on time on paper, no feedback
    drive.resolve(d["E"], at(17, 15))
    d["F"] = drive.counter(at(9, 9, 20))  # withdrawn after its due moment
    drive.withdraw(d["F"], at(17, 9))
    d["G"] = drive.counter(at(10, 9))  # rejected late: on time
    drive.reject(d["G"], at(18, 9))
    d["S1"] = drive.online(at(16, 9))  # one supplement, resolved electronically
    drive.ask_supplement(d["S1"], at(16, 10))
    drive.supplement(d["S1"], at(16, 11))
    drive.resolve(d["S1"], at(18, 10), electronic=True)
    d["S2"] = drive.online(at(16, 9, 30))  # asked twice, resolved on paper
    drive.ask_supplement(d["S2"], at(16, 10))
    drive.supplement(d["S2"], at(16, 14))
    drive.ask_supplement(d["S2"], at(17, 9), second=True)
    drive.supplement(d["S2"], at(17, 10))
    drive.resolve(d["S2"], at(18, 11))
    d["R"] = drive.online(at(18, 9))  # asked twice after the week, still open
    drive.ask_supplement(d["R"], at(23, 8))
    drive.supplement(d["R"], at(23, 9))
    drive.ask_supplement(d["R"], at(23, 10), second=True)
    d["W"] = drive.counter(at(13, 9))  # waiting for a supplement across the week's end
    drive.ask_supplement(d["W"], at(19, 9))
    d["X"] = drive.counter(at(20, 9))  # apologised, open past its legal due moment
    drive.apologise(d["X"], at(24, 9), at(30, 9))

    for name in ("A", "B", "S2", "R", "D", "W"):
        _file(d[name], "submission")
    stored = DossierFile.objects.filter(dossier=d["D"]).get()
    for name in ("C", "R", "X"):  # taken from the applicant's data store
        _file(d[name], "submission", reused_from=stored)
    for name in ("S2", "S1", "D"):
        _file(d[name], "result")
    for name in ("A", "S1", "R"):
        _synced(d[name])
    _fee(d["A"], 1, state="paid", method="qr", paid_at=at(17, 10))
    _fee(d["S1"], 2, state="paid", method="gateway", paid_at=at(17, 10))
    _fee(d["S2"], 3, state="paid", method="manual", paid_at=at(17, 10))
    _fee(d["B"], 4, state="pending")
    _fee(d["D"], 5, state="paid", method="qr", paid_at=at(16, 9))
    _fee(d["C"], 7, state="paid", method="gateway", paid_at=at(19, 10))
    _fee(d["C"], 8, state="paid", method="qr", paid_at=at(19, 11))  # two: one dossier
    _complaint(world, d["S1"], 1)
    _complaint(world, d["G"], 2)
    _complaint(world, d["G"], 3)
    _rating(world, d["A"], "dissatisfied")
    _rating(world, d["G"], "dissatisfied")
    _rating(world, d["D"], "dissatisfied")  # late too: counted once
    _rating(world, d["S1"], "satisfied")
    return d


PERIODS = [
    date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 20)),
    date_range(dt.date(2026, 3, 18), dt.date(2026, 3, 18)),
    date_range(dt.date(2026, 3, 16), dt.date(2026, 3, 24)),
    date_range(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    date_range(dt.date(2026, 3, 23), dt.date(2026, 4, 30)),
]


def _all_plain(world: World, period: Period) -> dict[str, tuple[int, int]]:
    return {name: plain_counts(world.home.root, period, name) for name in SCANS}


@pytest.mark.parametrize("fee_listed", [False, True])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.first_day}-{p.last_day}")
def test_the_shared_pass_counts_as_the_definitions(
    world: World, mix: dict[str, Dossier], period: Period, fee_listed: bool
) -> None:
    if fee_listed:
        ChannelOption.objects.filter(version=world.home.version).update(fee_amount=20_000)
    for agency in (world.home.root, world.home.ward, world.away.root):
        plain = {name: plain_counts(agency, period, name) for name in SCANS}
        assert scan_counts(agency, period, SCANS) == plain
    # Not a vacuous comparison: the mix reaches every indicator's numerator.
    if period == PERIODS[0]:
        plain = _all_plain(world, period)
        assert all(numerator > 0 for numerator, _ in plain.values()), plain


def test_the_index_is_the_drill_down(world: World, mix: dict[str, Dossier]) -> None:
    period = PERIODS[0]
    result = index766(agency=world.home.root, period=period)
    for group in result.groups:
        for item in group.indicators:
            if not item.computed:
                continue
            numerator = index766_dossiers(world.home.root, period, item.code)
            denominator = index766_dossiers(world.home.root, period, item.code, part="denominator")
            assert (item.numerator, item.denominator) == (numerator.count(), denominator.count())
