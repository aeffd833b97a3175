"""Reload the 766 definitions: 1.4 (dossiers synced to the national portal) now names the
formula that computes it, from `national.NationalSync`."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from motcua.reports.definitions import load_definitions

    load_definitions(apps.get_model("reports", "IndicatorDefinition"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_facts_wait_for_late_events"), ("national", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
