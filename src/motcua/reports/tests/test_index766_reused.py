"""Indicator 4.3 of the 766 index: the dossiers received in the period that reuse
digitised data, taken from the applicant's data store instead of handed in again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from motcua.dossiers import services
from motcua.dossiers.files import Reuse, Upload
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, MONDAY, World
from motcua.reports.index766 import index766, index766_dossiers
from motcua.reports.periods import date_range

PDF = b"%PDF-1.4\n% giay khai sinh\n" + b"0" * 200


def submit(world: World, moment: dt.datetime, **files: object) -> Dossier:
    submitted = services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        now=moment,
        **files,  # type: ignore[arg-type]
    )
    return services.dossier_receive(
        actor=world.receiver, code=str(submitted.pk), now=moment + dt.timedelta(minutes=5)
    )


def test_indicator_4_3_counts_the_dossiers_that_reuse_stored_data(world: World) -> None:
    first = submit(world, MONDAY, uploads=[Upload("khai-sinh.pdf", ContentFile(PDF))])
    stored = first.files.get()
    again = submit(world, MONDAY + dt.timedelta(hours=1), reuses=[Reuse(stored.pk)])
    submit(world, MONDAY + dt.timedelta(hours=2))
    week = date_range(dt.date(2026, 3, 9), dt.date(2026, 3, 13))

    item = index766(agency=world.home.root, period=week).indicator("4.3")

    assert (item.numerator, item.denominator) == (1, 3)
    assert item.rate == Decimal("33.33")
    assert item.score == Decimal("0.83")  # 2 x 33.33 / 80 (threshold 80 %)
    assert [d.pk for d in index766_dossiers(world.home.root, week, "4.3")] == [again.pk]
