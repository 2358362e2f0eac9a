"""The shared skills taxonomy as first seeded (陪伴探访 … 其他), each with its stable bit in the
matching solver's skill mask (in this order, from 0). Reversible: unseeding removes only the
seeded skills no one uses."""

from django.db import migrations

SEED_SKILLS = (
    ("visiting", "陪伴探访"),
    ("meals", "助餐送餐"),
    ("medical_escort", "助医"),
    ("shopping", "代购"),
    ("counselling", "心理疏导"),
    ("legal", "法律咨询"),
    ("tutoring", "课业辅导"),
    ("digital", "智能设备教学"),
    ("anti_fraud", "防骗反诈宣传"),
    ("repairs", "维修"),
    ("cleaning", "清洁"),
    ("other", "其他"),
)


def seed(apps, schema_editor):
    Skill = apps.get_model("volunteers", "Skill")
    for bit, (code, name) in enumerate(SEED_SKILLS):
        Skill.objects.get_or_create(code=code, defaults={"name": name, "bit": bit})


def unseed(apps, schema_editor):
    Skill = apps.get_model("volunteers", "Skill")
    codes = [code for code, _name in SEED_SKILLS]
    Skill.objects.filter(code__in=codes, volunteers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_create_volunteers")]

    operations = [migrations.RunPython(seed, unseed)]
