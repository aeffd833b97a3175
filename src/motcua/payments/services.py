"""Everything that can happen to a payment request: one function per action, each in one
transaction with the payment row locked.

A request is lifecycle-neutral when created (a fee may be due at submission, or while the
dossier is processed after `dossier_request_payment`). When it is paid (gateway notice or
an officer's confirmation) and the dossier awaits its financial obligation, the lifecycle
service `dossier_confirm_payment` runs in the same transaction, so the dossier resumes
exactly when the money is recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.domain import vietqr
from motcua.domain.lifecycle import Action
from motcua.dossiers import permissions, selectors
from motcua.dossiers.exceptions import DossierError
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import dossier_confirm_payment, dossier_confirm_payment_by_gateway
from motcua.procedures.models import ChannelOption, FeeKind

from .adapters import PaymentGateway
from .exceptions import InvalidPayment, PaymentNotFound, PaymentStateConflict
from .models import PaymentMethod, PaymentRequest, PaymentState
from .selectors import collecting_account_for

User = AuthUser | AnonymousUser


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _fee_of(dossier: Dossier) -> int:
    """The published fee of the dossier's channel in its procedure version."""
    option = (
        ChannelOption.objects.filter(
            version_id=dossier.procedure_version_id, channel=dossier.channel
        )
        .order_by("position")
        .first()
    )
    if option is None or option.fee_kind != FeeKind.AMOUNT or option.fee_amount is None:
        raise InvalidPayment(
            _("The procedure publishes no fixed fee for this channel: state the amount."),
            field="amount",
        )
    return int(option.fee_amount)


def _purpose(dossier: Dossier) -> str:
    """What the transfer says: the dossier code (the submission reference before there is
    one), which the bank statement then carries for reconciliation."""
    text = vietqr.plain_text(dossier.code or f"HS{dossier.pk}")
    return text if len(text) <= vietqr.MAX_TEXT_LENGTH else f"HS{dossier.pk}"


@transaction.atomic
def payment_request_create(
    *,
    actor: User,
    code: str,
    description: str,
    amount: int | Decimal | None = None,
    now: dt.datetime | None = None,
) -> PaymentRequest:
    """Ask for `amount` dong (default: the published fee of the dossier's channel) for the
    dossier `code`, into the collecting account of its handling agency (or the nearest
    ancestor's). The actor must see the dossier. Does not change the dossier's status."""
    now = _now(now)
    dossier = selectors.dossier_get_for(actor, code=code)
    value = _fee_of(dossier) if amount is None else amount
    try:
        vietqr.amount_text(value)
    except vietqr.VietQRError as exc:
        raise InvalidPayment(
            _("The amount must be a positive whole number of dong, at most 13 digits."),
            field="amount",
        ) from exc
    description = description.strip()
    if not description or len(description) > 255:
        raise InvalidPayment(_("Describe the payment in 1 to 255 characters."), field="description")
    account = collecting_account_for(dossier.handling_agency)
    payment = PaymentRequest(
        dossier=dossier,
        amount=int(value),
        description=description,
        purpose=_purpose(dossier),
        bank_bin=account.bank_bin,
        bank_name=account.bank_name,
        account_number=account.account_number,
        account_name=account.account_name,
        requested_by=actor if isinstance(actor, AuthUser) else None,
        created_at=now,
    )
    vietqr.validate(payment.qr)
    payment.save()
    return payment


def _lock(payment_id: int) -> PaymentRequest:
    try:
        return (
            PaymentRequest.objects.select_for_update(of=("self",))
            .select_related("dossier", "dossier__handling_agency", "requested_by")
            .get(pk=payment_id)
        )
    except PaymentRequest.DoesNotExist:
        raise PaymentNotFound from None


def _mark_paid(
    payment: PaymentRequest,
    *,
    method: str,
    reference: str,
    at: dt.datetime,
    by: AuthUser | None,
) -> None:
    payment.state = PaymentState.PAID
    payment.method = method
    payment.reference = reference
    payment.paid_at = at
    payment.confirmed_by = by
    payment.save(update_fields=["state", "method", "reference", "paid_at", "confirmed_by"])


@transaction.atomic
def payment_start_gateway(*, payment_id: int, gateway: PaymentGateway, callback_url: str) -> str:
    """Open the pending request at `gateway`; the address the payer goes to. The gateway's
    reference is kept to match its notice."""
    payment = _lock(payment_id)
    if payment.state != PaymentState.PENDING:
        raise PaymentStateConflict(_("This payment request is no longer awaiting payment."))
    opened = gateway.create_payment(
        order_id=str(payment.pk),
        amount=payment.amount,
        description=payment.purpose,
        callback_url=callback_url,
    )
    payment.gateway_reference = opened.gateway_reference
    payment.save(update_fields=["gateway_reference"])
    return opened.pay_url


@transaction.atomic
def payment_record_gateway_callback(
    *,
    gateway: PaymentGateway,
    body: bytes,
    signature: str,
    now: dt.datetime | None = None,
) -> PaymentRequest:
    """Record a gateway's notice that a request was paid. The notice must carry the
    gateway's signature (CallbackRejected otherwise, nothing written) and match the stored
    request: its gateway reference and amount. A repeated notice changes nothing.

    When the dossier awaits payment, the lifecycle records the gateway's confirmation
    (`dossier_confirm_payment_by_gateway`) in the same transaction."""
    now = _now(now)
    notice = gateway.verify_callback(body=body, signature=signature)
    if not notice.order_id.isdigit():
        raise PaymentNotFound
    payment = _lock(int(notice.order_id))
    if not payment.gateway_reference or payment.gateway_reference != notice.gateway_reference:
        raise PaymentNotFound
    if notice.amount != payment.amount:
        raise InvalidPayment(_("The amount paid differs from the amount requested."))
    if not notice.paid or payment.state == PaymentState.PAID:
        return payment
    if payment.state != PaymentState.PENDING:
        raise PaymentStateConflict(_("This payment request was cancelled."))
    _mark_paid(
        payment,
        method=PaymentMethod.GATEWAY,
        reference=notice.transaction or notice.gateway_reference,
        at=now,
        by=None,
    )
    dossier = payment.dossier
    if dossier.status == Status.AWAITING_PAYMENT:
        dossier_confirm_payment_by_gateway(
            code=dossier.code or str(dossier.pk),
            reference=_("Paid through the payment gateway: %(reference)s")
            % {"reference": payment.reference},
            now=now,
        )
    return payment


@transaction.atomic
def payment_confirm_by_officer(
    *,
    actor: User,
    payment_id: int,
    reference: str,
    method: str = PaymentMethod.MANUAL,
    now: dt.datetime | None = None,
) -> PaymentRequest:
    """An officer confirms by hand that the request was paid (bank statement checked, cash
    at the desk), with the bank transaction or receipt number. The officer needs the right
    to confirm payments on the dossier (its receiving desk, or the step it is at). If the
    dossier awaits payment it resumes (`dossier_confirm_payment`), also for a request a
    gateway already marked paid. Locks the payment row, then the dossier row."""
    now = _now(now)
    reference = reference.strip()
    if not reference or len(reference) > 100:
        raise InvalidPayment(
            _("Enter the bank transaction or receipt number (at most 100 characters)."),
            field="reference",
        )
    if method not in (PaymentMethod.MANUAL, PaymentMethod.QR):
        raise InvalidPayment(_("Unknown payment method."), field="method")
    payment = _lock(payment_id)
    dossier = payment.dossier
    scope = permissions.scope_of(actor, on=timezone.localdate(now))
    if not permissions.can_see(scope, dossier):
        raise PaymentNotFound
    if payment.state == PaymentState.CANCELLED:
        raise PaymentStateConflict(_("This payment request was cancelled."))
    if dossier.status == Status.AWAITING_PAYMENT:
        dossier_confirm_payment(
            actor=actor, code=dossier.code or str(dossier.pk), reference=reference, now=now
        )
    else:
        try:
            permissions.acting_agency(scope, dossier, Action.CONFIRM_PAYMENT)
        except DossierError as exc:
            raise PaymentStateConflict(exc.message) from exc
    if payment.state == PaymentState.PENDING:
        _mark_paid(
            payment,
            method=method,
            reference=reference,
            at=now,
            by=actor if isinstance(actor, AuthUser) else None,
        )
    return payment


@transaction.atomic
def payment_cancel(
    *, actor: User, payment_id: int, now: dt.datetime | None = None
) -> PaymentRequest:
    """Withdraw a pending request (wrong amount, fee waived). Same right as confirming."""
    now = _now(now)
    payment = _lock(payment_id)
    scope = permissions.scope_of(actor, on=timezone.localdate(now))
    if not permissions.can_see(scope, payment.dossier):
        raise PaymentNotFound
    try:
        permissions.acting_agency(scope, payment.dossier, Action.CONFIRM_PAYMENT)
    except DossierError as exc:
        raise PaymentStateConflict(exc.message) from exc
    if payment.state != PaymentState.PENDING:
        raise PaymentStateConflict(_("Only a request awaiting payment can be cancelled."))
    payment.state = PaymentState.CANCELLED
    payment.cancelled_at = now
    payment.save(update_fields=["state", "cancelled_at"])
    return payment
