"""The officers' authenticator second factor: who may switch it on, the first code that
confirms it, codes and recovery codes good once, the rate limit, switching it off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from motcua.accounts import second_factor
from motcua.accounts.exceptions import RateLimited
from motcua.accounts.models import OfficerTotp, RecoveryCode
from motcua.domain import totp
from motcua.dossiers.tests.factories import World, make_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 9, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(db: None) -> World:
    cache.clear()
    return make_world()


def _code(key: str, moment: dt.datetime) -> str:
    return totp.totp(totp.secret_from_text(key), moment.timestamp())


def _enrol(world: World) -> tuple[str, list[str]]:
    key = second_factor.totp_enrolment_start(user=world.leader, now=NOW)
    codes = second_factor.totp_enrolment_confirm(user=world.leader, code=_code(key, NOW), now=NOW)
    return key, codes


def test_only_leaders_heads_and_administrators_may_switch_it_on(world: World) -> None:
    today = NOW.date()
    assert second_factor.is_eligible(world.leader, on=today)
    assert second_factor.is_eligible(world.admin, on=today)
    assert not second_factor.is_eligible(world.specialist, on=today)
    assert not second_factor.is_eligible(world.applicant, on=today)
    with pytest.raises(second_factor.NotEligible):
        second_factor.totp_enrolment_start(user=world.specialist, now=NOW)
    assert not OfficerTotp.objects.exists()


def test_the_first_code_confirms_and_issues_hashed_recovery_codes(world: World) -> None:
    key = second_factor.totp_enrolment_start(user=world.leader, now=NOW)
    assert not second_factor.is_enrolled(world.leader)  # not before the first code
    uri, shown = second_factor.provisioning(world.leader)
    assert shown.replace(" ", "") == key and f"secret={key}" in uri

    codes = second_factor.totp_enrolment_confirm(user=world.leader, code=_code(key, NOW), now=NOW)

    assert second_factor.is_enrolled(world.leader)
    factor = OfficerTotp.objects.get(user=world.leader)
    assert factor.confirmed_at == NOW and factor.last_step == totp.time_step(NOW.timestamp())
    assert len(codes) == second_factor.RECOVERY_CODES == len(set(codes))
    stored = set(RecoveryCode.objects.filter(user=world.leader).values_list("code_hash", flat=True))
    assert len(stored) == len(codes) and not stored & set(codes)  # only hashes are kept


def test_a_wrong_first_code_leaves_the_factor_off(world: World) -> None:
    key = second_factor.totp_enrolment_start(user=world.leader, now=NOW)
    wrong = str((int(_code(key, NOW)) + 1) % 1_000_000).zfill(6)
    with pytest.raises(second_factor.TotpWrong):
        second_factor.totp_enrolment_confirm(user=world.leader, code=wrong, now=NOW)
    assert not second_factor.is_enrolled(world.leader)
    assert not RecoveryCode.objects.exists()


def test_a_code_opens_the_account_once(world: World) -> None:
    key, _codes = _enrol(world)
    later = NOW + dt.timedelta(minutes=2)
    second_factor.totp_check(user=world.leader, code=_code(key, later), now=later)
    with pytest.raises(second_factor.TotpWrong):  # replayed
        second_factor.totp_check(user=world.leader, code=_code(key, later), now=later)
    with pytest.raises(second_factor.TotpWrong):  # a stale code from an hour ago
        second_factor.totp_check(
            user=world.leader, code=_code(key, later - dt.timedelta(hours=1)), now=later
        )


def test_a_recovery_code_stands_in_once(world: World) -> None:
    _key, codes = _enrol(world)
    second_factor.totp_check(user=world.leader, code=codes[0].upper(), now=NOW)
    assert second_factor.recovery_codes_left(world.leader) == len(codes) - 1
    with pytest.raises(second_factor.TotpWrong):
        second_factor.totp_check(user=world.leader, code=codes[0], now=NOW)
    # Another officer's recovery code is nothing to this account.
    with pytest.raises(second_factor.NotEnrolled):
        second_factor.totp_check(user=world.specialist, code=codes[1], now=NOW)


def test_guessing_is_rate_limited_per_account(world: World) -> None:
    key, _codes = _enrol(world)
    for _ in range(9):  # the confirmation was the first of the hour's ten
        with pytest.raises(second_factor.TotpWrong):
            second_factor.totp_check(user=world.leader, code="000000", now=NOW)
    with pytest.raises(RateLimited):
        second_factor.totp_check(user=world.leader, code=_code(key, NOW), now=NOW)


def test_switching_off_needs_a_code_and_removes_the_recovery_codes(world: World) -> None:
    key, _codes = _enrol(world)
    with pytest.raises(second_factor.TotpWrong):
        second_factor.totp_disable(user=world.leader, code="123456", now=NOW)
    assert second_factor.is_enrolled(world.leader)
    later = NOW + dt.timedelta(minutes=1)
    second_factor.totp_disable(user=world.leader, code=_code(key, later), now=later)
    assert not second_factor.is_enrolled(world.leader)
    assert not OfficerTotp.objects.exists() and not RecoveryCode.objects.exists()


def test_an_enrolled_officer_must_switch_off_before_starting_again(world: World) -> None:
    _enrol(world)
    with pytest.raises(second_factor.AccountError):
        second_factor.totp_enrolment_start(user=world.leader, now=NOW)
