"""The dossiers' records for the national portal, posted by the outbox worker to a local
fake of the province's connector, and the 766 index's indicator 1.4 that counts them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.files import Reuse, Upload
from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.tests.factories import (
    APPLICANT,
    MONDAY,
    World,
    at,
    drive,
    make_world,
    submit,
)
from motcua.integrations.delivery import Endpoint, Policy, deliver_due, every_destination
from motcua.integrations.models import OutboxMessage
from motcua.integrations.notifications import signature
from motcua.integrations.tests.fakes import FakeGateway, gateway
from motcua.national.models import NationalSync
from motcua.national.sync import NationalPortal, national_portal, record
from motcua.payments.models import PaymentMethod, PaymentRequest, PaymentState

__all__ = ["gateway"]  # the fixture

SECRET = "chia-se-voi-lgsp"
PDF = b"%PDF-1.4\n% to khai\n" + b"0" * 100


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def sync(fake: FakeGateway) -> list[OutboxMessage]:
    portal = NationalPortal(Endpoint(url=fake.at("/dvcqg/hoso"), secret=SECRET, timeout=5))
    deliver_due(now=timezone.now(), destinations=[portal], policy=Policy.from_settings())
    return list(OutboxMessage.objects.order_by("pk"))


def records(fake: FakeGateway) -> list[dict]:
    return [json.loads(r["body"]) for r in fake.to("/dvcqg/hoso")]


def test_a_received_dossier_is_sent_with_the_national_fields(
    world: World, gateway: FakeGateway
) -> None:
    submitted = submit(world, now=MONDAY)
    sync(gateway)
    assert records(gateway) == []  # not received: the portal has the submission itself

    dossier = services.dossier_receive(actor=world.receiver, code=str(submitted.pk), now=at(9, 10))
    sync(gateway)

    [request] = gateway.to("/dvcqg/hoso")
    assert request["headers"]["X-Motcua-Signature"] == signature(SECRET, request["body"])
    record = json.loads(request["body"])
    assert record["MaHoSo"] == dossier.code
    assert record["MaTTHC"] == world.procedure_code
    assert record["KenhThucHien"] == 2  # online
    assert record["NgayNopHoSo"] == "2026-03-09T09:00:00+07:00"
    assert record["NgayTiepNhan"] == "2026-03-09T10:00:00+07:00"
    assert record["NgayHenTra"] == timezone.localtime(dossier.due_at).isoformat()
    assert record["NgayKetThucXuLy"] is None
    assert (record["ThoiGianGiaiQuyet"], record["DonViTinh"]) == ("3.00", "Ngày làm việc")
    assert record["HoSoCoThanhPhanSoHoa"] == 0 and record["TaiLieuNop"] == []
    assert record["motcua"]["status"] == Status.PROCESSING
    assert record["motcua"]["handling_agency"] == world.home.ward.code
    synced = NationalSync.objects.get()
    assert synced.dossier_id == dossier.pk and synced.status == Status.PROCESSING


def test_the_portal_always_gets_the_newest_state(world: World, gateway: FakeGateway) -> None:
    dossier = drive(world, Status.RESOLVED, walk_in=True)

    sync(gateway)

    sent = records(gateway)
    # One post per action (receive, forward, resolve), each of the dossier as it is now.
    assert len(sent) == 3
    assert {r["motcua"]["status"] for r in sent} == {Status.RESOLVED}
    assert sent[-1]["MaKetQua"] == "12/2026/TP-KS"
    assert sent[-1]["NgayKetThucXuLy"] == timezone.localtime(dossier.finished_at).isoformat()
    synced = NationalSync.objects.get()
    assert synced.first_synced_at <= synced.synced_at and synced.status == Status.RESOLVED


def _fee(dossier: Dossier, n: int, **fields: object) -> None:
    PaymentRequest.objects.create(
        dossier=dossier,
        amount=50_000 * n,
        description="Lệ phí",
        purpose=dossier.code or "",
        bank_bin="970436",
        account_number="0011001234567",
        account_name="UBND PHUONG MOT",
        reference=f"REF{n}",
        created_at=at(9, 11),
        **fields,  # type: ignore[arg-type]
    )


def test_fees_and_online_payment_are_reported(world: World, gateway: FakeGateway) -> None:
    dossier = drive(world, Status.PROCESSING, walk_in=True)
    _fee(dossier, 1, state=PaymentState.PAID, method=PaymentMethod.MANUAL, paid_at=at(9, 11))
    _fee(dossier, 2, state=PaymentState.CANCELLED)
    sync(gateway)
    first = records(gateway)[-1]
    assert [f["Gia"] for f in first["DanhSachPhiLePhi"]] == [50_000]
    assert first["DuocThanhToanTrucTuyen"] is None  # paid at the counter

    _fee(dossier, 3, state=PaymentState.PAID, method=PaymentMethod.GATEWAY, paid_at=at(9, 11))
    services.dossier_forward(actor=world.specialist, code=dossier.code, now=at(9, 12))
    sync(gateway)
    last = records(gateway)[-1]
    assert [f["Gia"] for f in last["DanhSachPhiLePhi"]] == [50_000, 150_000]
    assert last["DuocThanhToanTrucTuyen"] == 2  # through the province's own platform


def test_a_portal_away_is_retried_and_counts_only_once_it_took_the_record(
    world: World, gateway: FakeGateway
) -> None:
    drive(world, Status.PROCESSING, walk_in=True)
    gateway.statuses = [503]

    [message] = sync(gateway)

    assert message.state == "pending" and "HTTP 503" in message.last_error
    assert not NationalSync.objects.exists()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    [message] = sync(gateway)
    assert message.state == "delivered" and NationalSync.objects.count() == 1


def test_the_setting_turns_it_on() -> None:
    assert national_portal() is None
    assert "national-portal" not in [d.name for d in every_destination()]
    config = {"url": "https://lgsp.example.gov.vn/dvcqg", "secret": "s", "timeout": 3}
    with override_settings(MOTCUA_NATIONAL_PORTAL=config):
        assert national_portal() == NationalPortal(
            Endpoint(url="https://lgsp.example.gov.vn/dvcqg", secret="s", timeout=3)
        )
        assert "national-portal" in [d.name for d in every_destination()]
    with (
        override_settings(MOTCUA_NATIONAL_PORTAL={"url": "ftp://x"}),
        pytest.raises(ImproperlyConfigured),
    ):
        national_portal()


def test_a_returned_result_reports_how(world: World, gateway: FakeGateway) -> None:
    dossier = drive(world, Status.RETURNED, walk_in=True)
    sync(gateway)
    last = records(gateway)[-1]["motcua"]
    assert last["return_channel"] == ReturnChannel.ONLINE
    assert last["returned_at"] == timezone.localtime(dossier.returned_at).isoformat()
    assert Dossier.objects.get().national_sync.status == Status.RETURNED


def test_the_national_record_says_which_files_came_from_the_store(world: World) -> None:
    first = _submit(world, uploads=[Upload("to-khai.pdf", ContentFile(PDF))])
    second = _submit(
        world,
        uploads=[Upload("moi.pdf", ContentFile(PDF + b"moi"))],
        reuses=[Reuse(first.files.get().pk)],
    )
    second = services.dossier_receive(
        actor=world.receiver, code=str(second.pk), now=MONDAY + dt.timedelta(minutes=5)
    )

    files = {f["TenTepDinhKem"]: f["DuocLayTuKhoDMQG"] for f in record(second)["TaiLieuNop"]}

    assert files == {"moi.pdf": 0, "to-khai.pdf": 1}


def _submit(world: World, **files: Any) -> Dossier:
    return services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        now=MONDAY,
        **files,
    )
