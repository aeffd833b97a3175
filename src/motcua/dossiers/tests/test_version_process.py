"""The cached process of a version: edits in this process show at once, other processes'
edits within the recheck interval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from motcua import caching
from motcua.dossiers.tests.factories import make_world
from motcua.procedures import process
from motcua.procedures.models import Channel, ChannelOption

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_recheck(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    settings.MOTCUA_CATALOGUE_RECHECK_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    return clock


def test_an_edit_in_this_process_is_seen_at_once(slow_recheck: list[float]) -> None:
    version = make_world().home.version
    assert process.version_process(version.pk).channel_option(Channel.ONLINE) is not None
    option = ChannelOption.objects.get(version=version, channel=Channel.ONLINE)
    option.time_limit_amount = Decimal(7)
    option.save()
    fresh = process.version_process(version.pk).channel_option(Channel.ONLINE)
    assert fresh is not None and fresh.time_limit_amount == Decimal(7)


def test_an_edit_elsewhere_is_seen_after_the_recheck_interval(
    slow_recheck: list[float], django_assert_num_queries: Any
) -> None:
    version = make_world().home.version
    steps = process.version_process(version.pk).steps
    # Another process renames a step: no signal reaches this one.
    type(steps[0]).objects.filter(pk=steps[0].pk).update(name="Renamed")
    slow_recheck[0] += 4
    with django_assert_num_queries(0):
        assert process.version_process(version.pk).steps[0].name == steps[0].name
    slow_recheck[0] += 2
    assert process.version_process(version.pk).steps[0].name == "Renamed"


def test_a_channel_without_its_own_option_takes_the_counters() -> None:
    version = make_world().home.version
    ChannelOption.objects.filter(version=version, channel=Channel.ONLINE).delete()
    option = process.version_process(version.pk).channel_option(Channel.ONLINE)
    assert option is not None and option.channel == Channel.COUNTER


def test_the_version_in_force_is_remembered_until_an_edit_or_the_recheck(
    slow_recheck: list[float], django_assert_num_queries: Any
) -> None:
    version = make_world().home.version
    code, day = version.procedure.code, version.effective_from + dt.timedelta(days=1)
    assert process.version_in_force(code, day) == version
    with django_assert_num_queries(0):
        assert process.version_in_force(code, day) == version
    # A newer version saved in this process is seen at once.
    newer = type(version).objects.create(
        procedure=version.procedure,
        effective_from=day,
        competent_agency=version.competent_agency,
    )
    assert process.version_in_force(code, day) == newer
    # Another process deactivates the procedure: seen after the recheck interval.
    type(version.procedure).objects.filter(pk=version.procedure_id).update(is_active=False)
    slow_recheck[0] += 4
    assert process.version_in_force(code, day) == newer
    slow_recheck[0] += 2
    assert process.version_in_force(code, day) is None
