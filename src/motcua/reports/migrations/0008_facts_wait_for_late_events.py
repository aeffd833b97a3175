"""The facts' watermark keeps the event ids it found missing, to fold them in once their
transactions commit."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_facts_judged_at_the_period_end")]

    operations = [
        migrations.AddField(
            model_name="factwatermark", name="pending", field=models.JSONField(default=list)
        ),
    ]
