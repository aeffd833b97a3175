from django.contrib import admin

from .models import ApplicantProfile, SignInIdentity


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
