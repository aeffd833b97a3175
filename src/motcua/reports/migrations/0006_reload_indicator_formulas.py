"""Reload the 766 definitions: 3.6, 4.2, 5.2 and 5.4 now name the formulas that compute them."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from motcua.reports.definitions import load_definitions

    load_definitions(apps.get_model("reports", "IndicatorDefinition"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_load_grade_bands")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
