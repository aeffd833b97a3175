from django.contrib import admin

from motcua.adminkit import ReadOnlyAdmin

from .models import NationalSync


@admin.register(NationalSync)
class NationalSyncAdmin(ReadOnlyAdmin):
    """Which dossiers the national portal has, as a record (`ReadOnlyAdmin`)."""

    list_display = ["dossier", "status", "first_synced_at", "synced_at"]
    list_filter = ["status"]
    date_hierarchy = "synced_at"
    raw_id_fields = ["dossier"]
