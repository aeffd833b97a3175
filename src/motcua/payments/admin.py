"""Administrators set each agency's collecting account; payment requests are read-only
here (they change only through the services: an officer's confirmation, a gateway notice)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CollectingAccount, PaymentRequest


@admin.register(CollectingAccount)
class CollectingAccountAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "bank_bin",
        "bank_name",
        "account_number",
        "account_name",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["agency__code", "agency__name", "account_number", "account_name"]
    autocomplete_fields = ["agency"]


@admin.register(PaymentRequest)
class PaymentRequestAdmin(admin.ModelAdmin):
    list_display = ["purpose", "amount", "state", "method", "created_at", "paid_at"]
    list_filter = ["state", "method"]
    search_fields = ["purpose", "reference", "gateway_reference", "dossier__code"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
