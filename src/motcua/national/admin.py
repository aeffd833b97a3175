from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import NationalSync


@admin.register(NationalSync)
class NationalSyncAdmin(admin.ModelAdmin):
    """Which dossiers the national portal has, as a record: nothing is edited here."""

    list_display = ["dossier", "status", "first_synced_at", "synced_at"]
    list_filter = ["status"]
    date_hierarchy = "synced_at"
    raw_id_fields = ["dossier"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
