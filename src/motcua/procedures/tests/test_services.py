import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from motcua.agencies.models import Role
from motcua.domain.deadlines import Unit
from motcua.procedures.exceptions import ProcessOverBudget
from motcua.procedures.models import Channel, FeeKind, ImplementingLevel, Procedure
from motcua.procedures.services import (
    ChannelSpec,
    DocumentSpec,
    ProcedureSpec,
    StepSpec,
    UpsertOutcome,
    VersionSpec,
    procedure_upsert,
)

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)
JUL = dt.date(2026, 7, 1)


def birth_registration(days: int = 3, fee: int = 0) -> ProcedureSpec:
    return ProcedureSpec(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field_name="Hộ tịch",
        levels=frozenset({ImplementingLevel.COMMUNE}),
        version=VersionSpec(
            publishing_decision="QĐ 1872/QĐ-BTP",
            channels=(
                ChannelSpec(
                    channel=Channel.COUNTER,
                    time_limit_amount=Decimal(days),
                    time_limit_unit=Unit.WORKING_DAY,
                    fee_kind=FeeKind.AMOUNT if fee else FeeKind.FREE,
                    fee_amount=Decimal(fee) if fee else None,
                ),
                ChannelSpec(
                    channel=Channel.ONLINE,
                    time_limit_amount=Decimal(days),
                    time_limit_unit=Unit.WORKING_DAY,
                    fee_kind=FeeKind.FREE,
                ),
            ),
            documents=(DocumentSpec(name="Tờ khai đăng ký khai sinh", template_name="TK1"),),
            steps=(
                StepSpec(name="Tiếp nhận", budget_hours=Decimal(4), role=Role.RECEIVER),
                StepSpec(name="Thẩm định", budget_hours=Decimal(12), role=Role.SPECIALIST),
                StepSpec(name="Phê duyệt", budget_hours=Decimal(8), role=Role.LEADER),
            ),
        ),
    )


def test_create_then_unchanged() -> None:
    assert procedure_upsert(spec=birth_registration(), effective_from=JAN) is UpsertOutcome.CREATED
    assert (
        procedure_upsert(spec=birth_registration(), effective_from=JUL) is UpsertOutcome.UNCHANGED
    )
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.versions.count() == 1
    version = procedure.versions.get()
    assert version.channel_options.count() == 2
    assert [s.position for s in version.steps.all()] == [1, 2, 3]
    assert procedure.field is not None and procedure.field.name == "Hộ tịch"
    assert procedure.name_folded == "thu tuc dang ky khai sinh"
    assert procedure.levels == [ImplementingLevel.COMMUNE]


def test_changed_content_opens_a_new_version_and_old_dossiers_keep_theirs() -> None:
    procedure_upsert(spec=birth_registration(days=3), effective_from=JAN)
    outcome = procedure_upsert(spec=birth_registration(days=5), effective_from=JUL)
    assert outcome is UpsertOutcome.NEW_VERSION
    procedure = Procedure.objects.get(code="1.001193")
    old = procedure.version_on(dt.date(2026, 6, 30))
    new = procedure.version_on(JUL)
    assert old is not None and new is not None and old != new
    assert old.effective_to == dt.date(2026, 6, 30)
    assert old.channel_options.first().time_limit_amount == 3
    assert new.channel_options.first().time_limit_amount == 5


def test_change_on_the_same_start_date_rewrites_in_place() -> None:
    procedure_upsert(spec=birth_registration(fee=0), effective_from=JAN)
    assert (
        procedure_upsert(spec=birth_registration(fee=8000), effective_from=JAN)
        is UpsertOutcome.UPDATED
    )
    version = Procedure.objects.get(code="1.001193").versions.get()
    counter = version.channel_options.get(channel=Channel.COUNTER)
    assert counter.fee_kind == FeeKind.AMOUNT
    assert counter.fee_amount == 8000


def test_process_over_the_legal_limit_is_refused_and_nothing_is_written() -> None:
    spec = birth_registration(days=2)  # 16 working hours, the steps need 24
    with pytest.raises(ProcessOverBudget) as excinfo:
        procedure_upsert(spec=spec, effective_from=JAN)
    assert excinfo.value.code == "process_over_budget"
    assert excinfo.value.total_hours == 24
    assert excinfo.value.limit_hours == 16
    assert not Procedure.objects.exists()


def test_process_check_uses_the_shortest_channel() -> None:
    spec = birth_registration(days=3)
    short_online = replace(spec.version.channels[1], time_limit_amount=Decimal(2))
    spec = replace(
        spec, version=replace(spec.version, channels=(spec.version.channels[0], short_online))
    )
    with pytest.raises(ProcessOverBudget):
        procedure_upsert(spec=spec, effective_from=JAN)


def test_renaming_without_new_content_is_an_update_not_a_version() -> None:
    procedure_upsert(spec=birth_registration(), effective_from=JAN)
    renamed = replace(birth_registration(), name="Đăng ký khai sinh")
    assert procedure_upsert(spec=renamed, effective_from=JUL) is UpsertOutcome.UPDATED
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Đăng ký khai sinh"
    assert procedure.versions.count() == 1
