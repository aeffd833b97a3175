from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IssuedForm


@admin.register(IssuedForm)
class IssuedFormAdmin(admin.ModelAdmin):
    """The signed forms handed out, as a record: nothing is edited here."""

    list_display = ["form", "dossier", "agency", "signed_by", "issued_at"]
    list_filter = ["form"]
    search_fields = ["sha256"]
    date_hierarchy = "issued_at"
    raw_id_fields = ["dossier", "agency"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
