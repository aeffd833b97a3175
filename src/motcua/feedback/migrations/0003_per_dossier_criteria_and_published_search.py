"""Which criteria of the evaluation tool the applicant answers about a returned dossier, and
the folded text of a published answer for the public list's search.

Of TT 01/2018's criteria (DOMAIN.md 1.5), 1-4 (times, contacts, bodies contacted) and 7
(officials' attitude) describe one dossier's handling, as do the citizen questions 10-11;
5, 6, 8 and 9 grade the agency as a whole (share handled at the desk, publication of
procedures, feedback handling, online service) and are scored from its records."""

from django.db import migrations, models

AGENCY_WIDE = ["c5", "c6", "c8", "c9"]


def mark(apps, schema_editor):
    Criterion = apps.get_model("feedback", "Criterion")
    Criterion.objects.filter(
        criterion_set__code="tt01-2018", criterion_set__version=1, code__in=AGENCY_WIDE
    ).update(per_dossier=False)


def fold_published(apps, schema_editor):
    from motcua.domain.text import fold

    Complaint = apps.get_model("feedback", "Complaint")
    for complaint in Complaint.objects.filter(state="published").iterator():
        complaint.published_folded = fold(
            " ".join((complaint.subject, complaint.content, complaint.answer))
        )
        complaint.save(update_fields=["published_folded"])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_evaluation_tool_tt01_2018")]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="per_dossier",
            field=models.BooleanField(default=True, verbose_name="asked about each dossier"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="published_folded",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
        migrations.RunPython(fold_published, migrations.RunPython.noop),
    ]
