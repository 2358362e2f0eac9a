"""The built-in data elements and plan indicators (``seed.py``); their targets need the
regions loaded, so ``wushe indicators seed`` adds those."""

from django.db import migrations


def seed_definitions(apps, schema_editor):
    from wushe.indicators.seed import seed_definitions as seed

    seed(apps.get_model("indicators", "DataElement"), apps.get_model("indicators", "Indicator"))


def remove_built_ins(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(built_in=True).delete()
    apps.get_model("indicators", "DataElement").objects.filter(built_in=True).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_indicator_engine")]

    operations = [migrations.RunPython(seed_definitions, remove_built_ins)]
