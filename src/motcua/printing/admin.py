from django.contrib import admin

from motcua.adminkit import ReadOnlyAdmin

from .models import IssuedForm


@admin.register(IssuedForm)
class IssuedFormAdmin(ReadOnlyAdmin):
    """The signed forms handed out, as a record: nothing is added, edited or deleted here."""

    list_display = ["form", "dossier", "agency", "signed_by", "issued_at"]
    list_filter = ["form"]
    search_fields = ["sha256"]
    date_hierarchy = "issued_at"
    raw_id_fields = ["dossier", "agency"]
