"""Ratings of returned dossiers: who may rate, when, what a rating must say, the criteria as
data, changing a rating, and the satisfaction aggregation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.domain.lifecycle import Status
from motcua.dossiers.tests.factories import MONDAY, World, drive
from motcua.feedback import services
from motcua.feedback.exceptions import (
    InvalidFeedback,
    RatingDossierNotFound,
    RatingFinal,
    RatingNotOpen,
)
from motcua.feedback.models import Criterion, CriterionSet, Rating, SatisfactionLevel
from motcua.feedback.selectors import satisfaction_by_agency
from motcua.integrations.models import OutboxMessage

LATER = MONDAY + dt.timedelta(days=2)


@pytest.fixture
def returned(world: World):
    return drive(world, Status.RETURNED)


def test_the_applicant_rates_a_returned_dossier(world: World, returned) -> None:
    rating = services.rating_submit(
        dossier_code=returned.code,
        actor=world.applicant,
        level=SatisfactionLevel.VERY_SATISFIED,
        answers={"c3": "a", "c11": "a"},
        now=LATER,
    )
    rating.refresh_from_db()
    assert rating.dossier == returned
    assert rating.agency == world.home.ward
    assert rating.rated_by == world.applicant
    assert rating.answers == {"c3": "a", "c11": "a"}
    assert rating.criterion_set is not None and rating.criterion_set.code == "tt01-2018"
    assert OutboxMessage.objects.filter(topic="rating.submitted").count() == 1


def test_dissatisfied_needs_a_reason(world: World, returned) -> None:
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.DISSATISFIED,
            reason="   ",
            now=LATER,
        )
    assert error.value.details["field"] == "reason"
    assert "không hài lòng" in error.value.message.lower()
    assert not Rating.objects.exists()
    rating = services.rating_submit(
        dossier_code=returned.code,
        actor=world.applicant,
        level=SatisfactionLevel.DISSATISFIED,
        reason="Phải đi lại nhiều lần",
        now=LATER,
    )
    assert rating.reason == "Phải đi lại nhiều lần"


def test_an_unknown_level_is_refused(world: World, returned) -> None:
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code, actor=world.applicant, level="great", now=LATER
        )
    assert error.value.details["field"] == "level"


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.RESOLVED])
def test_only_after_the_result_is_returned(world: World, status: Status) -> None:
    dossier = drive(world, status)
    with pytest.raises(RatingNotOpen) as error:
        services.rating_submit(
            dossier_code=dossier.code,
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            now=LATER,
        )
    assert "sau khi" in error.value.message  # "... chỉ sau khi đã trả kết quả"
    assert error.value.code == "rating_not_open"


@pytest.mark.parametrize("who", ["other_applicant", "receiver", "leader", "away_leader"])
def test_nobody_but_the_applicant_rates(world: World, returned, who: str) -> None:
    with pytest.raises(RatingDossierNotFound):
        services.rating_submit(
            dossier_code=returned.code,
            actor=getattr(world, who),
            level=SatisfactionLevel.SATISFIED,
            now=LATER,
        )
    assert not Rating.objects.exists()


def test_the_lookup_token_holder_rates_without_an_account(world: World, returned) -> None:
    with pytest.raises(RatingDossierNotFound):
        services.rating_submit(
            dossier_code=returned.code,
            actor=AnonymousUser(),
            token="not-the-token",
            level=SatisfactionLevel.SATISFIED,
            now=LATER,
        )
    rating = services.rating_submit(
        dossier_code=returned.code,
        actor=AnonymousUser(),
        token=returned.lookup_token,
        level=SatisfactionLevel.SATISFIED,
        now=LATER,
    )
    assert rating.by_token and rating.rated_by is None


def test_an_unknown_code_looks_like_a_stranger(world: World) -> None:
    with pytest.raises(RatingDossierNotFound) as error:
        services.rating_submit(
            dossier_code="H98-260309-9999",
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            now=LATER,
        )
    assert error.value.code == "dossier_not_found"


def test_a_rating_can_be_changed_within_the_window_then_is_final(
    world: World, returned, settings
) -> None:
    settings.MOTCUA_RATING_CHANGE_DAYS = 7
    first = services.rating_submit(
        dossier_code=returned.code,
        actor=world.applicant,
        level=SatisfactionLevel.SATISFIED,
        now=LATER,
    )
    changed = services.rating_submit(
        dossier_code=returned.code,
        actor=world.applicant,
        level=SatisfactionLevel.DISSATISFIED,
        reason="Thái độ chưa tốt",
        now=LATER + dt.timedelta(days=6),
    )
    assert Rating.objects.count() == 1
    changed.refresh_from_db()
    assert changed.pk == first.pk
    assert changed.level == SatisfactionLevel.DISSATISFIED
    assert changed.rated_at == LATER  # still counted when first given
    assert changed.revisions == 1
    with pytest.raises(RatingFinal) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.VERY_SATISFIED,
            now=LATER + dt.timedelta(days=8),
        )
    assert "7" in error.value.message
    changed.refresh_from_db()
    assert changed.level == SatisfactionLevel.DISSATISFIED


def test_answers_must_be_allowed_by_the_criterion_set(world: World, returned) -> None:
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            answers={"c3": "z"},
            now=LATER,
        )
    assert error.value.details["field"] == "answers.c3"
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            answers={"c99": "a"},
            now=LATER,
        )
    assert error.value.details["field"] == "answers.c99"


def test_a_new_tool_is_data_and_applies_from_its_date(world: World, returned) -> None:
    new = CriterionSet.objects.create(
        code="tt-2026", version=1, name="Bộ tiêu chí mới", effective_from=LATER.date()
    )
    Criterion.objects.create(
        criterion_set=new,
        code="wait",
        position=1,
        label="Thời gian chờ tại quầy",
        answers=[{"code": "short", "label": "Ngắn"}, {"code": "long", "label": "Dài"}],
        required=True,
    )
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            answers={"c3": "a"},  # a criterion of the old tool
            now=LATER,
        )
    assert error.value.details["field"] == "answers.c3"
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            now=LATER,
        )
    assert error.value.details["field"] == "answers.wait"  # required
    rating = services.rating_submit(
        dossier_code=returned.code,
        actor=world.applicant,
        level=SatisfactionLevel.SATISFIED,
        answers={"wait": "short"},
        now=LATER,
    )
    assert rating.criterion_set == new


def test_satisfaction_per_agency_and_period(world: World) -> None:
    levels = [
        SatisfactionLevel.VERY_SATISFIED,
        SatisfactionLevel.SATISFIED,
        SatisfactionLevel.SATISFIED,
        SatisfactionLevel.DISSATISFIED,
    ]
    for i, level in enumerate(levels):
        dossier = drive(world, Status.RETURNED, start=MONDAY + dt.timedelta(hours=i))
        services.rating_submit(
            dossier_code=dossier.code,
            actor=world.applicant,
            level=level,
            reason="Chậm" if level == SatisfactionLevel.DISSATISFIED else "",
            # The last one is rated after the period.
            now=LATER + dt.timedelta(days=30 if i == 3 else 0),
        )
    rows = satisfaction_by_agency(
        root=world.home.root, start=MONDAY, end=MONDAY + dt.timedelta(days=7)
    )
    assert len(rows) == 1
    row = rows[0]
    assert row.agency_code == world.home.ward.code
    assert (row.very_satisfied, row.satisfied, row.dissatisfied) == (1, 2, 0)
    assert row.satisfied_share == Decimal("100.00")
    whole = satisfaction_by_agency(
        root=world.home.root, start=MONDAY, end=MONDAY + dt.timedelta(days=60)
    )[0]
    assert whole.dissatisfied == 1
    assert whole.satisfied_share == Decimal("75.00")
    assert (
        satisfaction_by_agency(
            root=world.away.root, start=MONDAY, end=MONDAY + dt.timedelta(days=60)
        )
        == []
    )


# --- the per-dossier criteria ------------------------------------------------------------------


def test_the_rating_form_asks_the_per_dossier_criteria_only(world: World) -> None:
    from motcua.feedback.selectors import rating_criteria_in_force

    asked = [c.code for c in rating_criteria_in_force(on=MONDAY.date())]
    # TT 01/2018: times (1, 2), contacts (3, 4) and attitude (7) concern one dossier, as do
    # the citizen questions 10-11; 5, 6, 8 and 9 grade the agency from its records.
    assert asked == ["c1", "c2", "c3", "c4", "c7", "c10", "c11"]
    assert rating_criteria_in_force(on=dt.date(2018, 1, 1)) == []  # before the tool


def test_an_agency_wide_criterion_is_not_answered_about_a_dossier(world: World, returned) -> None:
    with pytest.raises(InvalidFeedback) as error:
        services.rating_submit(
            dossier_code=returned.code,
            actor=world.applicant,
            level=SatisfactionLevel.SATISFIED,
            answers={"c9": "a"},
            now=LATER,
        )
    assert error.value.details["field"] == "answers.c9"
    assert not Rating.objects.filter(dossier=returned).exists()
    rating = services.rating_submit(
        dossier_code=returned.code,
        actor=world.applicant,
        level=SatisfactionLevel.SATISFIED,
        answers={"c1": "a", "c7": "b"},
        now=LATER,
    )
    assert rating.answers == {"c1": "a", "c7": "b"}
    message = OutboxMessage.objects.get(topic="rating.submitted")
    assert message.payload["answers"] == {"c1": "a", "c7": "b"}
