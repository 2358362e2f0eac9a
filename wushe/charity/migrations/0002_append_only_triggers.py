"""On PostgreSQL, the two ledgers refuse UPDATE and DELETE from any client, not only through
the models (``charity/ledger.py``). TRUNCATE, which only a test database's flush uses, is a
statement, not a row change, and is not refused. SQLite keeps the models' refusal only: its
test flush deletes row by row."""

from django.db import migrations

TABLES = ("charity_fundentry", "charity_goodsmovement")

FUNCTION = """
CREATE OR REPLACE FUNCTION charity_refuse_ledger_change() RETURNS trigger
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
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION charity_refuse_ledger_change()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS charity_refuse_ledger_change()")


class Migration(migrations.Migration):
    dependencies = [("charity", "0001_create_charity")]

    operations = [migrations.RunPython(create, drop)]
