"""Errors of fee payments, each with a stable `code` for the API and a message in the
active language (Vietnamese by default) for people."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class PaymentError(Exception):
    code = "payment_error"
    http_status = 400

    def __init__(self, message: str = "", **details: Any) -> None:
        super().__init__(message or self.default_message())
        self.message = message or self.default_message()
        self.details = details

    def default_message(self) -> str:
        return _("The payment could not be processed.")


class PaymentNotFound(PaymentError):
    code = "not_found"
    http_status = 404

    def default_message(self) -> str:
        return _("No payment request matches.")


class NoCollectingAccount(PaymentError):
    """Neither the handling agency nor any agency above it has a collecting account."""

    code = "no_collecting_account"
    http_status = 409

    def default_message(self) -> str:
        return _("The handling agency has no bank account for collecting fees.")


class InvalidPayment(PaymentError):
    code = "invalid_input"
    http_status = 422


class PaymentStateConflict(PaymentError):
    """The request is no longer in a state that allows this (cancelled, already paid)."""

    code = "payment_state_conflict"
    http_status = 409


class CallbackRejected(PaymentError):
    """A gateway notice whose signature or content does not check out: never trusted."""

    code = "callback_rejected"
    http_status = 400

    def default_message(self) -> str:
        return _("The payment notice could not be verified.")
