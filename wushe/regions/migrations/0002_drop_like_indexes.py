"""Drop the LIKE (varchar_pattern_ops) indexes Django adds on PostgreSQL for varchar keys.

wushe never filters codes with LIKE: subtrees are code ranges, which the primary-key B-tree
answers. The two extra indexes made the national load about a third slower. On SQLite these
indexes do not exist and the statements do nothing.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS regions_region_code_f0e2b4f3_like;"
            "DROP INDEX IF EXISTS regions_region_parent_id_62e983aa_like;",
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
