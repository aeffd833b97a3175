from django.contrib import admin

from .models import CalendarOverride, WorkingSchedule


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "agency", "reason", "legal_basis"]
    list_filter = ["kind", ("agency", admin.EmptyFieldListFilter)]
    search_fields = ["reason", "legal_basis", "agency__name"]
    date_hierarchy = "day"
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]


@admin.register(WorkingSchedule)
class WorkingScheduleAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "agency", "sessions", "legal_basis"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
