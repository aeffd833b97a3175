"""A shipment's status as the postal service reports it; the shipments booked before are
"handed to the postal service" since their booking."""

from typing import Any

from django.db import migrations, models


def since_booking(apps: Any, schema_editor: Any) -> None:
    PostalShipment = apps.get_model("postal", "PostalShipment")
    PostalShipment.objects.update(status_at=models.F("booked_at"))


class Migration(migrations.Migration):
    dependencies = [("postal", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="postalshipment",
            name="status",
            field=models.CharField(
                choices=[
                    ("booked", "handed to the postal service"),
                    ("in_transit", "in transit"),
                    ("delivery_failed", "not delivered at this attempt"),
                    ("delivered", "delivered"),
                    ("returned", "returned to the agency"),
                ],
                default="booked",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="postalshipment",
            name="status_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(since_booking, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="postalshipment",
            name="status_at",
            field=models.DateTimeField(
                help_text="When the status was reached.", verbose_name="status at"
            ),
        ),
        migrations.AddField(
            model_name="postalshipment",
            name="status_note",
            field=models.CharField(
                blank=True,
                help_text="What the postal service said, such as why it could not deliver.",
                max_length=500,
                verbose_name="status note",
            ),
        ),
        migrations.AddConstraint(
            model_name="postalshipment",
            constraint=models.UniqueConstraint(
                fields=("tracking_number",), name="postal_tracking_unique"
            ),
        ),
    ]
