from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from .models import ApplicantProfile, OfficerPreferences, SignInIdentity


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "phone", "email", "updated_at"]
    search_fields = ["full_name", "user__username", "phone", "email"]
    raw_id_fields = ["user"]


@admin.register(SignInIdentity)
class SignInIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "value", "verified_at"]
    list_filter = ["kind"]
    search_fields = ["value", "user__username"]
    raw_id_fields = ["user"]


@admin.register(OfficerPreferences)
class OfficerPreferencesAdmin(admin.ModelAdmin):
    """How officers take the reminders; an administrator may set them for an officer."""

    list_display = ["user", "reminders", "phone", "updated_at"]
    list_filter = ["reminders"]
    search_fields = ["user__username", "user__last_name", "phone"]
    raw_id_fields = ["user"]
    readonly_fields = ["updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
