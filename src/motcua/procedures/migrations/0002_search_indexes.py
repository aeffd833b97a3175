"""PostgreSQL search support: pg_trgm serves the `LIKE '%word%'` filters on the folded
names (no sequential scan of the catalogue), unaccent is there for ad-hoc SQL. SQLite has
neither and needs neither at catalogue size, so these operations do nothing there."""

from django.db import migrations


class PostgresOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [
        PostgresOnly(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE EXTENSION IF NOT EXISTS unaccent",
                "CREATE INDEX procedure_name_folded_trgm ON procedures_procedure "
                "USING gin (name_folded gin_trgm_ops)",
                "CREATE INDEX field_name_folded_trgm ON procedures_field "
                "USING gin (name_folded gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS field_name_folded_trgm",
                "DROP INDEX IF EXISTS procedure_name_folded_trgm",
            ],
        ),
    ]
