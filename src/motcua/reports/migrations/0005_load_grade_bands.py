"""Load the grade bands of `reports/data/evaluation.json`."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from motcua.reports.definitions import load_grade_bands

    load_grade_bands(apps.get_model("reports", "GradeBand"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_grade_bands")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
