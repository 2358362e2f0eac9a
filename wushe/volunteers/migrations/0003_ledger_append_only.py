"""On PostgreSQL the volunteers' ledger refuses UPDATE and DELETE from any client, not only
through the model (``charity.ledger.AppendOnly``). TRUNCATE, which only a test database's
flush uses, is a statement, not a row change, and is not refused. SQLite keeps the model's
refusal only: its test flush deletes row by row."""

from django.db import migrations

TABLE = "volunteers_ledgerentry"

FUNCTION = """
CREATE OR REPLACE FUNCTION volunteers_refuse_ledger_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: correct it with a reversing entry', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: RAISE uses %
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION volunteers_refuse_ledger_change()"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS volunteers_refuse_ledger_change()")


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_seed_skills")]

    operations = [migrations.RunPython(create, drop)]
