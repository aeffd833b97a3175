"""Reload the 766 definitions: 4.3 (dossiers reusing digitised data) now names the formula
that computes it, from the files taken from the applicants' data stores."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from motcua.reports.definitions import load_definitions

    load_definitions(apps.get_model("reports", "IndicatorDefinition"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_reload_indicator_formulas"),
        ("dossiers", "0010_reused_files"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
