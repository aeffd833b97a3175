"""Load the 766 indicator definitions of `reports/data/index766.json`."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from motcua.reports.definitions import load_definitions

    load_definitions(apps.get_model("reports", "IndicatorDefinition"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
