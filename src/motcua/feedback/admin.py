"""Minimal admin: the evaluation tool is edited here (it is data); ratings, complaints and
their events are read-only, since only the services change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.adminkit import ReadOnlyAdmin

from .models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    Criterion,
    CriterionSet,
    Rating,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "code", "label", "answers", "required"]


@admin.register(CriterionSet)
class CriterionSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "effective_from"]
    inlines = [CriterionInline]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "agency", "level", "rated_at", "revisions"]
    list_filter = ["level"]
    search_fields = ["dossier__code"]
    raw_id_fields = ["dossier"]


class ComplaintAttachmentInline(admin.TabularInline):
    model = ComplaintAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_at")
    readonly_fields = ("original_name", "content_type", "size", "uploaded_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    fields = ("at", "action", "actor", "from_state", "to_state", "due_at", "timeliness", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = [
        "tracking_code",
        "subject",
        "agency",
        "state",
        "received_at",
        "answer_due_at",
        "handling_timeliness",
    ]
    list_filter = ["state", "about", "handling_timeliness"]
    search_fields = ["tracking_code", "subject"]
    exclude = ["access_token"]
    inlines = [ComplaintAttachmentInline, ComplaintEventInline]
