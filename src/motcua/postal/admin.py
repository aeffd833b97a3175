from django.contrib import admin

from motcua.adminkit import ReadOnlyAdmin

from .models import PostalShipment


@admin.register(PostalShipment)
class PostalShipmentAdmin(ReadOnlyAdmin):
    """The shipments booked, as a record: nothing is added, edited or deleted here."""

    list_display = ["tracking_number", "dossier", "recipient", "booked_at", "status", "status_at"]
    list_filter = ["status"]
    search_fields = ["tracking_number"]
    date_hierarchy = "booked_at"
    raw_id_fields = ["dossier"]
