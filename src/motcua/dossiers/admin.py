"""Read-only views for administrators: dossiers change only through the services, so the
admin shows them, their events and consultations, and never edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Consultation, Dossier, DossierEvent, DossierFile


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = DossierEvent
    fields = readonly_fields = (
        "at",
        "action",
        "actor",
        "actor_agency",
        "from_status",
        "to_status",
        "to_step",
        "note",
    )
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FileInline(admin.TabularInline):
    model = DossierFile
    fields = readonly_fields = ("uploaded_at", "kind", "name", "content_type", "size", "file")
    extra = 0
    can_delete = False
    ordering = ["uploaded_at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "procedure",
        "applicant_name",
        "status",
        "handling_agency",
        "received_at",
        "due_at",
        "timeliness",
    ]
    list_filter = ["status", "channel", "timeliness"]
    search_fields = ["code", "applicant_name", "applicant_id_number", "procedure__code"]
    list_select_related = ["procedure", "handling_agency"]
    show_full_result_count = False
    inlines = [EventInline, FileInline]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = [
        "dossier",
        "agency",
        "requested_at",
        "due_at",
        "replied_at",
        "agreed",
        "deemed_agreed",
    ]
    list_select_related = ["dossier", "agency"]
