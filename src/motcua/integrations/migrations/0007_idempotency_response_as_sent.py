"""The idempotency record keeps its answer as it was sent (text) and its headers apart,
instead of a JSON document holding both."""

import json

from django.db import migrations, models


def split_responses(apps, schema_editor):
    IdempotencyRecord = apps.get_model("integrations", "IdempotencyRecord")
    for record in IdempotencyRecord.objects.exclude(response=None).iterator():
        stored = record.response or {}
        record.response_body = json.dumps(stored.get("body"), ensure_ascii=False)
        record.response_headers = dict(stored.get("headers") or {})
        record.save(update_fields=["response_body", "response_headers"])


def join_responses(apps, schema_editor):
    IdempotencyRecord = apps.get_model("integrations", "IdempotencyRecord")
    for record in IdempotencyRecord.objects.exclude(response_body="").iterator():
        record.response = {
            "body": json.loads(record.response_body),
            "headers": record.response_headers,
        }
        record.save(update_fields=["response"])


class Migration(migrations.Migration):
    dependencies = [("integrations", "0006_references_without_constraint")]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="response_body",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="response_headers",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(split_responses, join_responses),
        migrations.RemoveField(model_name="idempotencyrecord", name="response"),
    ]
