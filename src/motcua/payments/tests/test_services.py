import datetime as dt
from decimal import Decimal

import pytest

from motcua.domain import vietqr
from motcua.domain.lifecycle import Status
from motcua.dossiers.exceptions import DossierNotFound, NotAllowed
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.factories import MONDAY, DossierFactory, World, make_world
from motcua.payments import services
from motcua.payments.adapters import FakeGateway, FakeGatewayServer, HttpGateway
from motcua.payments.exceptions import (
    CallbackRejected,
    InvalidPayment,
    NoCollectingAccount,
    PaymentNotFound,
    PaymentStateConflict,
)
from motcua.payments.models import CollectingAccount, PaymentMethod, PaymentRequest, PaymentState
from motcua.procedures.models import ChannelOption, FeeKind

pytestmark = pytest.mark.django_db

LATER = MONDAY + dt.timedelta(hours=2)


@pytest.fixture
def world() -> World:
    world = make_world()
    # The province collects for every unit below it.
    CollectingAccount.objects.create(
        agency=world.home.root,
        bank_bin="970436",
        account_number="1023456789",
        account_name="KHO BAC TINH THU",
    )
    return world


def _request(world: World, code: str, amount: int = 50000) -> PaymentRequest:
    return services.payment_request_create(
        actor=world.specialist, code=code, amount=amount, description="Lệ phí", now=LATER
    )


def test_a_request_carries_a_vietqr_code_for_the_dossier(world: World) -> None:
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payment = _request(world, dossier.code)
    qr = vietqr.parse(payment.qr_payload())
    assert (qr.bin, qr.account, qr.amount) == ("970436", "1023456789", 50000)
    assert qr.purpose == dossier.code
    assert payment.state == PaymentState.PENDING


def test_the_nearest_agency_account_wins(world: World) -> None:
    CollectingAccount.objects.create(
        agency=world.home.ward, bank_bin="970418", account_number="999", account_name="UBND"
    )
    dossier = DossierFactory(world=world)
    assert _request(world, dossier.code).bank_bin == "970418"


def test_the_default_amount_is_the_published_fee(world: World) -> None:
    ChannelOption.objects.filter(version=world.home.version).update(
        fee_kind=FeeKind.AMOUNT, fee_amount=Decimal(8000)
    )
    dossier = DossierFactory(world=world)
    payment = services.payment_request_create(
        actor=world.receiver, code=dossier.code, description="Lệ phí", now=LATER
    )
    assert payment.amount == 8000


@pytest.mark.parametrize("amount", [0, -1, 10**13, Decimal("1.5")])
def test_bad_amounts_are_refused(world: World, amount: int) -> None:
    dossier = DossierFactory(world=world)
    with pytest.raises(InvalidPayment):
        _request(world, dossier.code, amount=amount)
    assert not PaymentRequest.objects.exists()


def test_no_fee_published_and_no_amount_is_refused(world: World) -> None:
    dossier = DossierFactory(world=world)
    with pytest.raises(InvalidPayment):
        services.payment_request_create(
            actor=world.specialist, code=dossier.code, description="Lệ phí"
        )


def test_without_a_collecting_account_nothing_is_requested(world: World) -> None:
    CollectingAccount.objects.all().delete()
    dossier = DossierFactory(world=world)
    with pytest.raises(NoCollectingAccount):
        _request(world, dossier.code)


def test_an_officer_of_another_province_cannot_request(world: World) -> None:
    dossier = DossierFactory(world=world)
    with pytest.raises(DossierNotFound):
        services.payment_request_create(
            actor=world.away_specialist, code=dossier.code, amount=1000, description="x"
        )


def test_officer_confirmation_resumes_the_dossier_awaiting_payment(world: World) -> None:
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payment = _request(world, dossier.code)
    services.payment_confirm_by_officer(
        actor=world.specialist,
        payment_id=payment.pk,
        reference="FT26068123456",
        method=PaymentMethod.QR,
        now=LATER + dt.timedelta(minutes=5),
    )
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert (payment.method, payment.confirmed_by) == (PaymentMethod.QR, world.specialist)
    assert dossier.status == Status.PROCESSING
    event = DossierEvent.objects.filter(dossier=dossier).latest("at", "pk")
    assert (event.action, event.note) == ("confirm_payment", "FT26068123456")


def test_fee_paid_at_the_desk_while_processing_leaves_the_status(world: World) -> None:
    dossier = DossierFactory(world=world, walk_in=True)
    payment = _request(world, dossier.code)
    services.payment_confirm_by_officer(
        actor=world.receiver, payment_id=payment.pk, reference="BL-0001", now=LATER
    )
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID and dossier.status == Status.PROCESSING


def test_strangers_and_applicants_cannot_confirm(world: World) -> None:
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payment = _request(world, dossier.code)
    with pytest.raises(PaymentNotFound):
        services.payment_confirm_by_officer(
            actor=world.away_receiver, payment_id=payment.pk, reference="X1", now=LATER
        )
    with pytest.raises(NotAllowed):
        services.payment_confirm_by_officer(
            actor=world.applicant, payment_id=payment.pk, reference="X1", now=LATER
        )
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_a_cancelled_request_cannot_be_paid(world: World) -> None:
    dossier = DossierFactory(world=world)
    payment = _request(world, dossier.code)
    services.payment_cancel(actor=world.specialist, payment_id=payment.pk, now=LATER)
    with pytest.raises(PaymentStateConflict):
        services.payment_confirm_by_officer(
            actor=world.specialist, payment_id=payment.pk, reference="X1", now=LATER
        )


def test_gateway_round_trip_through_the_fake_http_server(world: World) -> None:
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payment = _request(world, dossier.code)
    with FakeGatewayServer(secret="s3cret") as server:
        gateway = HttpGateway(base_url=server.url, secret="s3cret")
        pay_url = services.payment_start_gateway(
            payment_id=payment.pk, gateway=gateway, callback_url="http://testserver/cb"
        )
        assert pay_url.startswith(server.url)
        payment.refresh_from_db()
        body, signature = server.pay(payment.gateway_reference)
    services.payment_record_gateway_callback(
        gateway=gateway, body=body, signature=signature, now=LATER
    )
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.state, payment.method) == (PaymentState.PAID, PaymentMethod.GATEWAY)
    assert payment.paid_at == LATER
    assert dossier.status == Status.PROCESSING
    event = DossierEvent.objects.get(dossier=dossier, action="confirm_payment")
    # No officer confirmed it: the gateway did, for the receiving unit.
    assert event.actor is None
    assert event.actor_agency == dossier.receiving_unit
    assert event.payload["confirmed_by"] == "payment_gateway"
    # The gateway repeats its notice: nothing changes, nothing fails.
    services.payment_record_gateway_callback(gateway=gateway, body=body, signature=signature)
    assert DossierEvent.objects.filter(dossier=dossier, action="confirm_payment").count() == 1


def test_a_forged_callback_is_rejected_and_changes_nothing(world: World) -> None:
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payment = _request(world, dossier.code)
    gateway = FakeGateway(secret="real")
    services.payment_start_gateway(payment_id=payment.pk, gateway=gateway, callback_url="x")
    payment.refresh_from_db()
    forger = FakeGateway(secret="guessed")
    forger.payments = gateway.payments
    body, signature = forger.notice(payment.gateway_reference)
    with pytest.raises(CallbackRejected):
        services.payment_record_gateway_callback(gateway=gateway, body=body, signature=signature)
    good_body, good_signature = gateway.notice(payment.gateway_reference)
    tampered = good_body.replace(b'"amount": 50000', b'"amount": 5')
    with pytest.raises(CallbackRejected):
        services.payment_record_gateway_callback(
            gateway=gateway, body=tampered, signature=good_signature
        )
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert dossier.status == Status.AWAITING_PAYMENT


def test_a_signed_notice_for_a_different_amount_is_refused(world: World) -> None:
    dossier = DossierFactory(world=world)
    payment = _request(world, dossier.code)
    gateway = FakeGateway()
    services.payment_start_gateway(payment_id=payment.pk, gateway=gateway, callback_url="x")
    payment.refresh_from_db()
    gateway.payments[payment.gateway_reference]["amount"] = 1000
    body, signature = gateway.notice(payment.gateway_reference)
    with pytest.raises(InvalidPayment):
        services.payment_record_gateway_callback(gateway=gateway, body=body, signature=signature)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


@pytest.mark.parametrize(
    ("bin_", "account", "field"),
    [("97043", "123", "bank_bin"), ("970436", "12-34", "account_number")],
)
def test_an_account_that_cannot_be_in_a_vietqr_code_is_refused(
    world: World, bin_: str, account: str, field: str
) -> None:
    from django.core.exceptions import ValidationError

    account_row = CollectingAccount(
        agency=world.home.ward, bank_bin=bin_, account_number=account, account_name="UBND"
    )
    with pytest.raises(ValidationError) as err:
        account_row.full_clean()
    assert field in err.value.message_dict
