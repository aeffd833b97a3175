from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import PostalShipment


@admin.register(PostalShipment)
class PostalShipmentAdmin(admin.ModelAdmin):
    """The shipments booked, as a record: nothing is edited here."""

    list_display = ["tracking_number", "dossier", "recipient", "booked_at", "status", "status_at"]
    list_filter = ["status"]
    search_fields = ["tracking_number"]
    date_hierarchy = "booked_at"
    raw_id_fields = ["dossier"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
