"""Errors of the postal shipments, each with a stable `code` for the API and a message in
the active language (Vietnamese by default) for people."""

from __future__ import annotations

from django.utils.translation import gettext as _


class PostalError(Exception):
    code = "postal_error"
    http_status = 400

    def __init__(self, message: str = "") -> None:
        self.message = message or self.default_message()
        super().__init__(self.message)

    def default_message(self) -> str:
        return _("The postal service's report could not be recorded.")


class ShipmentNotFound(PostalError):
    code = "not_found"
    http_status = 404

    def default_message(self) -> str:
        return _("No shipment has this tracking number.")


class InvalidReport(PostalError):
    code = "invalid_input"
    http_status = 422
