import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.agencies.models import Agency, AgencyLevel, AgencySuccession, SuccessionKind

pytestmark = pytest.mark.django_db


def make(code: str, **kwargs: object) -> Agency:
    kwargs.setdefault("name", f"Agency {code}")
    kwargs.setdefault("level", AgencyLevel.COMMUNE)
    return Agency.objects.create(code=code, **kwargs)


def test_clean_accepts_both_code_schemes() -> None:
    Agency(code="H56.14", code_scheme="qd20_2020", name="Sở", level="department").full_clean()
    Agency(
        code="000.17.22.H56", code_scheme="qcvn102_2016", name="Xã", level="commune"
    ).full_clean()


def test_clean_rejects_a_code_that_does_not_match_its_scheme() -> None:
    agency = Agency(code="000.17.22.H56", code_scheme="qd20_2020", name="Xã", level="commune")
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    assert "code" in excinfo.value.message_dict


def test_valid_on_follows_the_validity_interval() -> None:
    old = make("000.17.22.H99", code_scheme="qcvn102_2016", valid_to=dt.date(2025, 6, 30))
    new = make("H99.50.01", valid_from=dt.date(2025, 7, 1))
    always = make("H99")
    assert set(Agency.objects.valid_on(dt.date(2025, 6, 30))) == {old, always}
    assert set(Agency.objects.valid_on(dt.date(2025, 7, 1))) == {new, always}


def test_validity_must_be_ordered() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make("H99.1", valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 6, 30))


def test_merged_units_keep_their_rows_and_point_to_the_successor() -> None:
    a = make("H99.40.01", valid_to=dt.date(2025, 6, 30))
    b = make("H99.40.02", valid_to=dt.date(2025, 6, 30))
    merged = make("H99.50.01", valid_from=dt.date(2025, 7, 1))
    for old in (a, b):
        AgencySuccession.objects.create(
            predecessor=old,
            successor=merged,
            kind=SuccessionKind.FULL,
            effective_on=dt.date(2025, 7, 1),
        )
    assert {s.predecessor for s in merged.predecessions.all()} == {a, b}
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencySuccession.objects.create(
            predecessor=a,
            successor=a,
            kind=SuccessionKind.RENAMED,
            effective_on=dt.date(2025, 7, 1),
        )


def test_subtree_follows_the_tree_and_moves_with_the_parent() -> None:
    province = make("H99", level=AgencyLevel.PROVINCE)
    other = make("H98", level=AgencyLevel.PROVINCE)
    commune = make("H99.50.01", parent=province)
    division = make("H99.50.01.02", parent=commune, level=AgencyLevel.DIVISION)
    assert set(province.subtree()) == {province, commune, division}
    assert set(commune.subtree()) == {commune, division}

    commune.parent = other
    commune.save()
    province.refresh_from_db()
    other.refresh_from_db()
    division.refresh_from_db()
    assert set(province.subtree()) == {province}
    assert set(other.subtree()) == {other, commune, division}
    assert division.path == f"/{other.pk}/{commune.pk}/{division.pk}/"
