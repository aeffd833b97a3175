from django.contrib import admin

from .models import (
    ChannelOption,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "name_folded", "code"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["effective_from", "effective_to", "publishing_decision", "online_level"]
    extra = 0
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "source", "is_active"]
    list_filter = ["source", "is_active", "level_province", "level_commune", "level_ministry"]
    search_fields = ["code", "name", "name_folded"]
    autocomplete_fields = ["field"]
    list_select_related = ["field"]
    inlines = [VersionInline]


class ChannelOptionInline(admin.TabularInline):
    model = ChannelOption
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "effective_from", "effective_to", "online_level"]
    list_filter = ["online_level"]
    search_fields = ["procedure__code", "procedure__name_folded"]
    autocomplete_fields = ["procedure", "competent_agency"]
    list_select_related = ["procedure"]
    inlines = [ChannelOptionInline, RequiredDocumentInline, ProcessStepInline]
