import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.agencies.models import Agency, AgencySuccession, Membership, Role, SuccessionKind
from motcua.calendars.models import CalendarOverride
from motcua.demo import data
from motcua.demo.loader import load_demo
from motcua.demo.management.commands.demo import Command
from motcua.domain import agency_codes
from motcua.domain.agency_codes import AgencyCodeScheme
from motcua.procedures.models import (
    ChannelOption,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    TimeUnit,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def demo():
    return load_demo(stdout=io.StringIO())


def snapshot():
    """Everything the demo writes, as comparable values (ids included: nothing may be
    deleted and recreated)."""
    return {
        "agencies": list(Agency.objects.order_by("pk").values()),
        "successions": list(AgencySuccession.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "overrides": list(
            CalendarOverride.objects.order_by("pk").values_list("pk", "day", "kind", "reason")
        ),
        # Not `updated_at`: procedure_upsert saves the identity row on every call.
        "procedures": list(
            Procedure.objects.order_by("pk").values_list("pk", "code", "name", "field_id")
        ),
        "versions": list(ProcedureVersion.objects.order_by("pk").values()),
        "channels": list(ChannelOption.objects.order_by("pk").values()),
        "documents": list(RequiredDocument.objects.order_by("pk").values_list("pk")),
        "steps": list(ProcessStep.objects.order_by("pk").values()),
    }


def test_running_twice_changes_nothing(demo):
    before = snapshot()

    again = load_demo(stdout=io.StringIO())

    assert not again.changed
    assert again.procedures.unchanged == len(data.PROCEDURES)
    assert snapshot() == before


def test_a_changed_password_survives_a_second_run(demo):
    officer = User.objects.get(username="tiepnhan.tttinh")
    assert officer.check_password(data.DEMO_PASSWORD)
    officer.set_password("mat-khau-rieng-2026")
    officer.save()

    load_demo(stdout=io.StringIO())

    officer.refresh_from_db()
    assert officer.check_password("mat-khau-rieng-2026")
    assert not officer.check_password(data.DEMO_PASSWORD)


def test_every_agency_code_is_valid_in_its_scheme(demo):
    agencies = list(Agency.objects.all())
    assert len(agencies) == len(data.AGENCIES)
    for agency in agencies:
        agency_codes.validate(agency.code, AgencyCodeScheme(agency.code_scheme))


def test_the_2025_merger_keeps_the_old_units_and_their_successor(demo):
    new_ward = Agency.objects.get(code=data.WARD)
    merged = AgencySuccession.objects.filter(successor=new_ward, kind=SuccessionKind.FULL)
    assert merged.count() == 2
    for succession in merged:
        old = succession.predecessor
        assert succession.effective_on == dt.date(2025, 7, 1)
        assert old.valid_to == dt.date(2025, 6, 30)
        assert old.code_scheme == AgencyCodeScheme.QCVN102_2016
        assert not old.is_valid_on(dt.date(2025, 7, 1))
    assert new_ward.is_valid_on(dt.date(2025, 7, 1))
    assert not Agency.objects.valid_on(dt.date(2026, 1, 1)).filter(level="district").exists()


def test_every_role_is_held_by_an_officer(demo):
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == {role.value for role in Role}


def test_only_administrators_reach_the_admin(demo):
    client = Client()
    staff = {u.username for u in User.objects.filter(is_staff=True)}
    admins = set(
        Membership.objects.filter(role=Role.AGENCY_ADMIN).values_list("user__username", flat=True)
    )
    assert staff == admins | {"admin"}
    assert User.objects.get(username="admin").is_superuser

    assert client.login(username="chuyenvien.stp", password=data.DEMO_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin login page

    # Agency administrators may look, not edit: the admin is not scoped per agency.
    assert client.login(username="quantri.tttinh", password=data.DEMO_PASSWORD)
    assert client.get(reverse("admin:agencies_agency_changelist")).status_code == 200
    assert client.get(reverse("admin:agencies_agency_add")).status_code == 403


def _working_hours_surely_available(option: ChannelOption) -> Decimal:
    """The working time a limit is certain to hold, computed here rather than with the
    domain's helper: 8 h a working day; a calendar-day limit holds at least its weekdays."""
    amount = option.time_limit_amount or Decimal(0)
    if option.time_limit_unit == TimeUnit.WORKING_HOUR:
        return amount
    if option.time_limit_unit == TimeUnit.WORKING_DAY:
        return amount * 8
    if option.time_limit_unit == TimeUnit.SAME_DAY:
        return Decimal(8)
    if option.time_limit_unit == TimeUnit.CALENDAR_DAY:
        return (amount * 5 // 7) * 8
    raise AssertionError(f"unexpected unit {option.time_limit_unit}")


def test_catalogue_is_complete_and_every_process_fits_its_time_limit(demo):
    procedures = Procedure.objects.prefetch_related(
        "versions__channel_options", "versions__documents", "versions__steps"
    )
    assert len(procedures) >= 20
    for procedure in procedures:
        (version,) = procedure.versions.all()
        assert procedure.field is not None, procedure.code
        assert procedure.levels, procedure.code
        assert version.competent_agency_id is not None, procedure.code
        assert version.legal_basis, procedure.code
        assert list(version.documents.all()), procedure.code
        options = list(version.channel_options.all())
        assert options and all(o.has_time_limit for o in options), procedure.code
        steps = list(version.steps.all())
        assert 3 <= len(steps) <= 6, procedure.code
        budget = sum(step.budget_hours for step in steps)
        limit = min(_working_hours_surely_available(o) for o in options)
        assert budget <= limit, f"{procedure.code}: {budget} h > {limit} h"


def test_the_calendar_examples_include_national_and_agency_rows(demo):
    assert CalendarOverride.objects.filter(agency__isnull=True).count() >= 1
    agency_rows = CalendarOverride.objects.filter(agency__isnull=False)
    assert agency_rows.exists()
    assert all(row.reason and row.legal_basis for row in agency_rows)


def test_command_prints_the_accounts():
    out = io.StringIO()

    call_command(Command(), stdout=out)

    rows = {line.split()[0]: line for line in out.getvalue().splitlines() if line.strip()}
    assert data.DEMO_PASSWORD in out.getvalue()
    for officer in data.OFFICERS:
        row = rows[officer.username]
        for membership in officer.memberships:
            if membership.valid_to is None:
                assert membership.role.value in row
                assert f"({membership.agency})" in row
