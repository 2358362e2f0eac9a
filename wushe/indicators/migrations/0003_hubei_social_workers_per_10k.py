"""Hubei's per-10,000 built-in indicator counts the social workers of the records (the issue's
definition), not entered community workers: a database seeded before turns its row into the
new definition in place, so the targets set on it (湖北 18 by 2025) stay attached."""

from decimal import Decimal

from django.db import migrations

FIELDS = ("name_zh", "name_en", "unit", "source", "description")


def _shipped(code: str):
    from wushe.indicators import seed

    return next(one for one in seed.INDICATORS if one.code == code)


def _convert(apps, old_code: str, new_code: str, numerator: str, values: dict) -> None:
    indicator_model = apps.get_model("indicators", "Indicator")
    old = indicator_model.objects.filter(code=old_code, built_in=True).first()
    if old is None or indicator_model.objects.filter(code=new_code).exists():
        return  # a fresh database was seeded with the new definition by 0002
    old.code, old.numerator_id, old.factor = new_code, numerator, Decimal(10000)
    for name, value in values.items():
        setattr(old, name, value)
    old.save()


def forwards(apps, schema_editor):
    from wushe.indicators import seed

    shipped = _shipped(seed.SOCIAL_WORKERS_PER_10K)
    values = {name: getattr(shipped, name) for name in FIELDS}
    _convert(
        apps,
        seed.FORMER_COMMUNITY_WORKERS_PER_10K,
        seed.SOCIAL_WORKERS_PER_10K,
        shipped.numerator,
        values,
    )


def backwards(apps, schema_editor):
    from wushe.indicators import seed

    values = {
        "name_zh": "每万名城镇常住人口拥有社区工作者",
        "name_en": "Community workers per 10,000 urban residents",
        "unit": "人/万人",
        "source": seed.HB,
        "description": "",
    }
    _convert(
        apps,
        seed.SOCIAL_WORKERS_PER_10K,
        seed.FORMER_COMMUNITY_WORKERS_PER_10K,
        "community_workers",
        values,
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_seed_built_in_set")]

    operations = [migrations.RunPython(forwards, backwards)]
