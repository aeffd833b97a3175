import datetime as dt

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from motcua.domain import vietqr
from motcua.domain.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import MONDAY, DossierFactory, World, make_world
from motcua.payments import services
from motcua.payments.adapters import SIGNATURE_HEADER, gateway_from_settings
from motcua.payments.models import CollectingAccount, PaymentRequest, PaymentState

pytestmark = pytest.mark.django_db

GATEWAY = {"kind": "fake", "secret": "portal-test-secret"}


@pytest.fixture
def world() -> World:
    world = make_world()
    CollectingAccount.objects.create(
        agency=world.home.root,
        bank_bin="970436",
        account_number="1023456789",
        account_name="KHO BAC TINH THU",
    )
    return world


@pytest.fixture
def awaiting(world: World) -> tuple[Dossier, PaymentRequest]:
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payment = services.payment_request_create(
        actor=world.specialist,
        code=dossier.code,
        amount=1943000,
        description="Lệ phí cấp bản sao trích lục",
        now=MONDAY + dt.timedelta(hours=2),
    )
    return dossier, payment


def _url(dossier: Dossier) -> str:
    return reverse("portal:payment", args=[dossier.code])


def test_the_payment_page_shows_the_vietqr_code_amount_purpose_and_state(
    client: Client, awaiting: tuple[Dossier, PaymentRequest]
) -> None:
    dossier, payment = awaiting
    response = client.get(_url(dossier), {"token": dossier.lookup_token})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img"' in html and "<title>" in html
    assert "1.943.000 VND" in html
    assert dossier.code in html and "KHO BAC TINH THU" in html
    assert "Chờ thanh toán" in html
    # The code scanned is the payment's payload: a banking app reads the same fields.
    assert vietqr.parse(payment.qr_payload()).purpose == dossier.code


def test_the_lookup_result_links_to_the_payment(
    client: Client, awaiting: tuple[Dossier, PaymentRequest]
) -> None:
    dossier, _ = awaiting
    html = client.get(
        reverse("portal:lookup"), {"code": dossier.code, "token": dossier.lookup_token}
    ).content.decode()
    assert _url(dossier) in html


def test_without_the_token_or_with_the_4_digits_the_page_is_not_found(
    client: Client, awaiting: tuple[Dossier, PaymentRequest]
) -> None:
    dossier, _ = awaiting
    assert client.get(_url(dossier)).status_code == 404
    assert client.get(_url(dossier), {"token": "5678"}).status_code == 404
    assert client.get(_url(dossier), {"token": "x" * 16}).status_code == 404


def test_the_applicant_signed_in_sees_their_payment(
    client: Client, world: World, awaiting: tuple[Dossier, PaymentRequest]
) -> None:
    dossier, _ = awaiting
    client.force_login(world.applicant)
    assert client.get(_url(dossier)).status_code == 200
    client.force_login(world.other_applicant)
    assert client.get(_url(dossier)).status_code == 404


@override_settings(MOTCUA_PAYMENT_GATEWAY=GATEWAY)
def test_paying_through_the_gateway_marks_it_paid(
    client: Client, awaiting: tuple[Dossier, PaymentRequest]
) -> None:
    dossier, payment = awaiting
    start = reverse("portal:payment_gateway_start", args=[dossier.code, payment.pk])
    response = client.post(start, {"token": dossier.lookup_token})
    assert response.status_code == 302
    payment.refresh_from_db()
    gateway = gateway_from_settings()
    body, signature = gateway.notice(payment.gateway_reference)  # type: ignore[union-attr]
    callback = reverse("portal:payment_callback")
    forged = client.post(
        callback, body, content_type="application/json", headers={SIGNATURE_HEADER: "0" * 64}
    )
    assert forged.status_code == 400 and forged.json()["code"] == "callback_rejected"
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    ok = client.post(
        callback, body, content_type="application/json", headers={SIGNATURE_HEADER: signature}
    )
    assert ok.status_code == 200
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert dossier.status == Status.PROCESSING
    html = client.get(_url(dossier), {"token": dossier.lookup_token}).content.decode()
    assert "Đã thanh toán" in html and "<svg" not in html
