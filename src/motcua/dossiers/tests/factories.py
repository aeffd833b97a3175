"""Factories for dossier tests: agencies, officers, procedures with a process, and dossiers
driven to any status through the services themselves (never by writing the columns), so a
dossier built here has the events and the state a real one would have.

`make_world()` builds a small province (H98) with a ward that handles the procedure, the
ward's service center and its justice office, the province's own service center, a
department, and a second province (H97) for the officers who must see nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from motcua.agencies.models import Agency, AgencyLevel, Membership, Role
from motcua.domain.deadlines import VN_TZ
from motcua.domain.lifecycle import Status
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, ReturnChannel
from motcua.procedures.models import (
    Channel,
    ChannelOption,
    FeeKind,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    TimeUnit,
)
from motcua.procedures.models import Field as ProcedureField

# A Monday with no holiday around it: 9 March 2026, 09:00 in Vietnam.
MONDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=VN_TZ)


def at(day: int, hour: int, minute: int = 0, *, month: int = 3, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"H96.{n + 10}")
    name = factory.Sequence(lambda n: f"Cơ quan thử {n}")
    level = AgencyLevel.OTHER
    parent = None


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = factory.Sequence(lambda n: f"Officer {n}")
    password = factory.django.Password("secret")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.SPECIALIST


class FieldFactory(DjangoModelFactory[ProcedureField]):
    class Meta:
        model = ProcedureField
        django_get_or_create = ("name",)

    name = "Hộ tịch"


class ProcedureFactory(DjangoModelFactory[Procedure]):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử {n}")
    field = factory.SubFactory(FieldFactory)
    level_commune = True


class ProcedureVersionFactory(DjangoModelFactory[ProcedureVersion]):
    class Meta:
        model = ProcedureVersion

    procedure = factory.SubFactory(ProcedureFactory)
    effective_from = dt.date(2025, 7, 1)
    competent_agency = factory.SubFactory(AgencyFactory)


class ChannelOptionFactory(DjangoModelFactory[ChannelOption]):
    class Meta:
        model = ChannelOption

    version = factory.SubFactory(ProcedureVersionFactory)
    channel = Channel.COUNTER
    time_limit_amount = Decimal(3)
    time_limit_unit = TimeUnit.WORKING_DAY
    fee_kind = FeeKind.FREE


class ProcessStepFactory(DjangoModelFactory[ProcessStep]):
    class Meta:
        model = ProcessStep

    version = factory.SubFactory(ProcedureVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Bước {n + 1}")
    role = Role.SPECIALIST
    budget_hours = Decimal(4)


class RequiredDocumentFactory(DjangoModelFactory[RequiredDocument]):
    class Meta:
        model = RequiredDocument

    version = factory.SubFactory(ProcedureVersionFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Giấy tờ {n}")


@dataclass
class Province:
    root: Agency
    ward: Agency  # handles the procedure
    center: Agency  # the ward's service center: receives and returns
    office: Agency  # the ward's justice office: the specialist step
    procedure: Procedure
    version: ProcedureVersion
    steps: list[ProcessStep]
    documents: list[RequiredDocument]


@dataclass
class World:
    """Two provinces and the people of the persona tests."""

    home: Province
    away: Province  # another province
    province_center: Agency  # the home province's own service center
    justice: Agency  # a department of the home province (transfer, consultation)
    construction: Agency  # another department, never involved: its officers see nothing
    people: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def procedure_code(self) -> str:
        return self.home.procedure.code


def officer(username: str, *memberships: tuple[Agency, str]) -> User:
    user = UserFactory(username=username)
    for agency, role in memberships:
        MembershipFactory(user=user, agency=agency, role=role)
    return user


def make_procedure(
    *,
    handling: Agency,
    center: Agency,
    office: Agency,
    amount: Decimal | None = Decimal(3),
    unit: str = TimeUnit.WORKING_DAY,
    consultation_counts: bool = True,
    payment_counts: bool = False,
    code: str | None = None,
    budgets: tuple[str, str, str, str] = ("1", "12", "4", "1"),
) -> tuple[Procedure, ProcedureVersion, list[ProcessStep], list[RequiredDocument]]:
    """A procedure handled by `handling`: received at `center`, checked by a specialist of
    `office`, signed by the leader of `handling`, returned at `center`."""
    procedure = ProcedureFactory(**({"code": code} if code else {}))
    version = ProcedureVersionFactory(
        procedure=procedure,
        competent_agency=handling,
        consultation_counts_toward_deadline=consultation_counts,
        payment_counts_toward_deadline=payment_counts,
    )
    for channel in (Channel.COUNTER, Channel.ONLINE):
        ChannelOptionFactory(
            version=version, channel=channel, time_limit_amount=amount, time_limit_unit=unit
        )
    reception, check, sign, give_back = (Decimal(b) for b in budgets)
    steps = [
        ProcessStepFactory(
            version=version,
            position=1,
            name="Tiếp nhận",
            role=Role.RECEIVER,
            agency=center,
            budget_hours=reception,
        ),
        ProcessStepFactory(
            version=version,
            position=2,
            name="Thẩm định",
            role=Role.SPECIALIST,
            agency=office,
            budget_hours=check,
        ),
        ProcessStepFactory(
            version=version,
            position=3,
            name="Lãnh đạo ký",
            role=Role.LEADER,
            agency=handling,
            budget_hours=sign,
        ),
        ProcessStepFactory(
            version=version,
            position=4,
            name="Trả kết quả",
            role=Role.RECEIVER,
            agency=center,
            budget_hours=give_back,
        ),
    ]
    documents = [
        RequiredDocumentFactory(version=version, position=1, name="Tờ khai"),
        RequiredDocumentFactory(version=version, position=2, name="Giấy chứng sinh"),
    ]
    return procedure, version, steps, documents


def _province(code: str, name: str, **procedure: Any) -> Province:
    root = AgencyFactory(code=code, name=name, level=AgencyLevel.PROVINCE)
    ward = AgencyFactory(
        code=f"{code}.50.01", name=f"Phường Một ({code})", level=AgencyLevel.COMMUNE, parent=root
    )
    center = AgencyFactory(
        code=f"{code}.50.01.01",
        name=f"Trung tâm PVHCC phường Một ({code})",
        level=AgencyLevel.SERVICE_CENTER,
        parent=ward,
    )
    office = AgencyFactory(
        code=f"{code}.50.01.02",
        name=f"Văn phòng phường Một ({code})",
        level=AgencyLevel.DIVISION,
        parent=ward,
    )
    proc, version, steps, documents = make_procedure(
        handling=ward, center=center, office=office, **procedure
    )
    return Province(root, ward, center, office, proc, version, steps, documents)


def make_world(**procedure: Any) -> World:
    home = _province("H98", "Tỉnh Thử", **procedure)
    away = _province("H97", "Tỉnh Khác")
    province_center = AgencyFactory(
        code="H98.30",
        name="Trung tâm PVHCC tỉnh Thử",
        level=AgencyLevel.SERVICE_CENTER,
        parent=home.root,
    )
    justice = AgencyFactory(
        code="H98.03", name="Sở Tư pháp", level=AgencyLevel.DEPARTMENT, parent=home.root
    )
    construction = AgencyFactory(
        code="H98.05", name="Sở Xây dựng", level=AgencyLevel.DEPARTMENT, parent=home.root
    )
    world = World(
        home=home,
        away=away,
        province_center=province_center,
        justice=justice,
        construction=construction,
    )
    world.people = {
        "receiver": officer("tiepnhan", (home.center, Role.RECEIVER)),
        "province_receiver": officer("tiepnhan.tinh", (province_center, Role.RECEIVER)),
        "specialist": officer("tuphap", (home.office, Role.SPECIALIST)),
        "colleague": officer("tuphap2", (home.office, Role.SPECIALIST)),
        "division_head": officer("truongphong", (home.office, Role.DIVISION_HEAD)),
        "clerk": officer("vanthu", (home.office, Role.CLERK)),
        "leader": officer("lanhdao", (home.ward, Role.LEADER)),
        "monitor": officer("giamsat", (home.ward, Role.MONITOR)),
        "province_monitor": officer("giamsat.tinh", (home.root, Role.MONITOR)),
        "justice_specialist": officer("chuyenvien.stp", (justice, Role.SPECIALIST)),
        "justice_colleague": officer("chuyenvien2.stp", (justice, Role.SPECIALIST)),
        "justice_leader": officer("lanhdao.stp", (justice, Role.LEADER)),
        "construction_specialist": officer("chuyenvien.sxd", (construction, Role.SPECIALIST)),
        "construction_leader": officer("lanhdao.sxd", (construction, Role.LEADER)),
        "away_receiver": officer("tiepnhan.khac", (away.center, Role.RECEIVER)),
        "away_specialist": officer("tuphap.khac", (away.office, Role.SPECIALIST)),
        "away_leader": officer("lanhdao.khac", (away.ward, Role.LEADER)),
        "away_monitor": officer("giamsat.khac", (away.root, Role.MONITOR)),
        "applicant": UserFactory(username="congdan"),
        "other_applicant": UserFactory(username="congdan2"),
        "admin": UserFactory(username="quantri", is_superuser=True, is_staff=True),
    }
    return world


# --- dossiers, driven through the services ---------------------------------------------------

APPLICANT = services.Applicant(
    name="Nguyễn Văn An",
    id_number="001203004567",
    phone="0912345678",
    address="12 Lê Lợi, phường Một",
)


def submit(world: World, *, now: dt.datetime = MONDAY, procedure_code: str = "") -> Dossier:
    return services.dossier_submit(
        actor=world.applicant,
        procedure_code=procedure_code or world.procedure_code,
        applicant=APPLICANT,
        documents=[] if procedure_code else [d.pk for d in world.home.documents],
        now=now,
    )


def receive_walk_in(
    world: World, *, now: dt.datetime = MONDAY, procedure_code: str = "", actor: User | None = None
) -> Dossier:
    return services.dossier_receive(
        actor=actor or world.receiver,
        procedure_code=procedure_code or world.procedure_code,
        applicant=APPLICANT,
        documents=[] if procedure_code else [d.pk for d in world.home.documents],
        now=now,
    )


def reference(dossier: Dossier) -> str:
    """What a client names the dossier by: its code, or its pk before reception."""
    return dossier.code or str(dossier.pk)


def drive(
    world: World,
    status: Status | str,
    *,
    start: dt.datetime = MONDAY,
    walk_in: bool = False,
) -> Dossier:
    """A dossier in `status`, reached through the services with moments 10 minutes apart
    from `start`; submitted online by `world.applicant` unless `walk_in`."""
    status = Status(status)
    moments = iter(start + dt.timedelta(minutes=10 * i) for i in range(20))
    if walk_in and status is not Status.AWAITING_RECEPTION:
        dossier = receive_walk_in(world, now=next(moments))
    else:
        dossier = submit(world, now=next(moments))
        if status is Status.AWAITING_RECEPTION:
            return dossier
        if status is Status.RECEPTION_SUPPLEMENT_REQUESTED:
            return services.dossier_request_supplement_at_reception(
                actor=world.receiver,
                reference=str(dossier.pk),
                reasons="Thiếu giấy chứng sinh",
                items=["Giấy chứng sinh"],
                now=next(moments),
            )
        if status is Status.RECEPTION_REFUSED:
            return services.dossier_refuse_reception(
                actor=world.receiver,
                reference=str(dossier.pk),
                reasons="Không thuộc thẩm quyền",
                now=next(moments),
            )
        dossier = services.dossier_receive(
            actor=world.receiver, code=str(dossier.pk), now=next(moments)
        )
    code = reference(dossier)
    if status is Status.PROCESSING:
        return dossier
    if status is Status.AWAITING_SUPPLEMENT:
        return services.dossier_request_supplement(
            actor=world.specialist,
            code=code,
            items=["Bản sao giấy tờ tùy thân"],
            reasons="Thiếu giấy tờ",
            now=next(moments),
        )
    if status is Status.CONSULTING:
        return services.dossier_consult(
            actor=world.specialist,
            code=code,
            agency_codes=[world.justice.code],
            question="Xin ý kiến về quốc tịch",
            reply_within_days=Decimal(2),
            now=next(moments),
        )
    if status is Status.AWAITING_PAYMENT:
        return services.dossier_request_payment(
            actor=world.specialist,
            code=code,
            amount=Decimal(50000),
            description="Lệ phí",
            now=next(moments),
        )
    if status is Status.REJECTED:
        return services.dossier_reject(
            actor=world.specialist, code=code, reasons="Không đủ điều kiện", now=next(moments)
        )
    if status is Status.WITHDRAWN:
        return services.dossier_withdraw(
            actor=world.receiver if walk_in else world.applicant,
            code=code,
            reason="Không còn nhu cầu",
            now=next(moments),
        )
    services.dossier_forward(actor=world.specialist, code=code, now=next(moments))
    dossier = services.dossier_resolve(
        actor=world.leader,
        code=code,
        result_number="12/2026/TP-KS",
        result_signer="Lãnh Đạo",
        result_date=start.date(),
        now=next(moments),
    )
    if status is Status.RESOLVED:
        return dossier
    assert status is Status.RETURNED, status
    return services.dossier_return_result(
        actor=world.receiver, code=code, channel=ReturnChannel.ONLINE, now=next(moments)
    )


class DossierFactory(factory.Factory[Dossier]):
    """`DossierFactory(world=w, status=Status.CONSULTING)`; traits name the usual ones:
    `DossierFactory(world=w, overdue=True)` is processing and past its due moment."""

    class Meta:
        model = Dossier

    world: Any = None
    status = Status.PROCESSING
    start = MONDAY
    walk_in = False

    class Params:
        submitted = factory.Trait(status=Status.AWAITING_RECEPTION)
        resolved = factory.Trait(status=Status.RESOLVED)
        returned = factory.Trait(status=Status.RETURNED)
        # Received a month before MONDAY with a 3-working-day limit: overdue on MONDAY.
        overdue = factory.Trait(status=Status.PROCESSING, start=MONDAY - dt.timedelta(days=28))

    @classmethod
    def _create(cls, model_class: type[Dossier], *args: Any, **kwargs: Any) -> Dossier:
        world = kwargs.pop("world")
        if world is None:
            raise TypeError("DossierFactory needs world=make_world().")
        return drive(world, **kwargs)

    @classmethod
    def _build(cls, model_class: type[Dossier], *args: Any, **kwargs: Any) -> Dossier:
        raise TypeError("Dossiers exist only through the services: use create().")
