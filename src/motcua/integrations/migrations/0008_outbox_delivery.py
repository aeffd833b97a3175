"""The outbox is delivered (`integrations.delivery`): each message knows when it is next due,
which destinations took it, and when delivery was given up. The messages written so far fall
due at once."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def due_at_creation(apps, schema_editor):
    OutboxMessage = apps.get_model("integrations", "OutboxMessage")
    OutboxMessage.objects.update(next_attempt_at=F("created_at"))


PENDING = models.Q(("delivered_at__isnull", True), ("failed_at__isnull", True))


class Migration(migrations.Migration):
    dependencies = [("integrations", "0007_idempotency_response_as_sent")]

    operations = [
        migrations.RemoveIndex(model_name="outboxmessage", name="outbox_undelivered_idx"),
        migrations.AddField(
            model_name="outboxmessage",
            name="delivered_to",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The destinations that took it; another attempt skips them.",
                verbose_name="delivered to",
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="failed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Delivery stopped after a final refusal or too many attempts.",
                null=True,
                verbose_name="given up at",
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(due_at_creation, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="A worker that takes the message moves it on until its attempt ends.",
                verbose_name="next attempt at",
            ),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=PENDING, fields=["next_attempt_at", "id"], name="outbox_pending_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("failed_at__isnull", False)),
                fields=["failed_at"],
                name="outbox_failed_idx",
            ),
        ),
    ]
