from django.contrib import admin

from .models import IndicatorDefinition


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "group_name",
        "max_points",
        "threshold",
        "formula",
        "effective_from",
        "effective_to",
    )
    list_filter = ("group_name", "effective_from")
    search_fields = ("code", "name")
