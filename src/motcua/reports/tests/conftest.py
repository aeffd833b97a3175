from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, make_world, receive_walk_in, submit


@pytest.fixture
def world(db: None) -> World:
    return make_world()


class Driver:
    """Moves the test world's dossiers through the real services at explicit moments."""

    def __init__(self, world: World) -> None:
        self.world = world

    def counter(self, when: dt.datetime, **kwargs: object) -> Dossier:
        return receive_walk_in(self.world, now=when, **kwargs)  # type: ignore[arg-type]

    def online(self, when: dt.datetime) -> Dossier:
        draft = submit(self.world, now=when - dt.timedelta(hours=1))
        return services.dossier_receive(actor=self.world.receiver, code=str(draft.pk), now=when)

    def resolve(self, dossier: Dossier, when: dt.datetime, *, electronic: bool = False) -> Dossier:
        assert dossier.code
        services.dossier_forward(
            actor=self.world.specialist, code=dossier.code, now=when - dt.timedelta(minutes=5)
        )
        return services.dossier_resolve(
            actor=self.world.leader,
            code=dossier.code,
            result_number="01/KQ",
            result_signer="Lãnh Đạo",
            result_date=when.date(),
            electronic=electronic,
            now=when,
        )

    def reject(self, dossier: Dossier, when: dt.datetime) -> Dossier:
        assert dossier.code
        return services.dossier_reject(
            actor=self.world.specialist, code=dossier.code, reasons="Không đủ điều kiện", now=when
        )

    def withdraw(self, dossier: Dossier, when: dt.datetime) -> Dossier:
        assert dossier.code
        return services.dossier_withdraw(
            actor=self.world.receiver, code=dossier.code, reason="Không còn nhu cầu", now=when
        )

    def ask_supplement(self, dossier: Dossier, when: dt.datetime, second: bool = False) -> Dossier:
        assert dossier.code
        return services.dossier_request_supplement(
            actor=self.world.specialist,
            code=dossier.code,
            items=["Bản sao giấy khai sinh"],
            reasons="Thiếu giấy tờ",
            second_reason="Giấy tờ bổ sung chưa hợp lệ" if second else "",
            now=when,
        )

    def supplement(self, dossier: Dossier, when: dt.datetime) -> Dossier:
        assert dossier.code
        return services.dossier_supplement(actor=self.world.applicant, code=dossier.code, now=when)

    def apologise(self, dossier: Dossier, when: dt.datetime, new_due: dt.datetime) -> Dossier:
        assert dossier.code
        return services.dossier_apologise_and_extend(
            actor=self.world.leader,
            code=dossier.code,
            reason="Chờ xác minh",
            new_due_at=new_due,
            now=when,
        )

    def give_back(self, dossier: Dossier, when: dt.datetime) -> Dossier:
        assert dossier.code
        return services.dossier_return_result(
            actor=self.world.receiver, code=dossier.code, channel="online", now=when
        )


@pytest.fixture
def drive(world: World) -> Driver:
    return Driver(world)
