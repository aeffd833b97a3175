"""The facts now mark as `paused` every dossier whose clock an event stopped, and judge late
by date: facts built before are dropped, and the watermark reset, so that the next
`motcua refresh-facts` (or `--rebuild`) recomputes them all."""

from typing import Any

from django.db import migrations


def reset(apps: Any, schema_editor: Any) -> None:
    apps.get_model("reports", "DossierFact").objects.all().delete()
    apps.get_model("reports", "FactCell").objects.all().delete()
    apps.get_model("reports", "FactWatermark").objects.update(last_event_id=0, refreshed_at=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_reload_indicator_formulas")]

    operations = [migrations.RunPython(reset, migrations.RunPython.noop)]
