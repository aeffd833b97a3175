from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from motcua.domain import deadlines

from .exceptions import ProcessOverBudget
from .models import (
    ChannelOption,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from .services import ChannelSpec, StepSpec, process_check_budget


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


class ProcessStepFormSet(BaseInlineFormSet):
    """The steps' budgets must fit the legal time limit of every channel of the version."""

    def clean(self) -> None:
        super().clean()
        steps = [
            StepSpec(name=form.cleaned_data["name"], budget_hours=form.cleaned_data["budget_hours"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("budget_hours") is not None
        ]
        channels = [
            ChannelSpec(
                channel=option.channel,
                time_limit_amount=option.time_limit_amount or Decimal(0),
                time_limit_unit=deadlines.Unit(option.time_limit_unit),
            )
            for option in (self.instance.channel_options.all() if self.instance.pk else [])
            if option.has_time_limit
        ]
        try:
            process_check_budget(steps, channels)
        except ProcessOverBudget as exc:
            raise ValidationError(str(exc), code=exc.code) from exc


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    formset = ProcessStepFormSet
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
