"""The seven streets (街道) of 钱塘区."""

from django.db import migrations

STREETS = [
    ("XS", "下沙街道"),
    ("BY", "白杨街道"),
    ("HZ", "河庄街道"),
    ("YP", "义蓬街道"),
    ("XW", "新湾街道"),
    ("LJ", "临江街道"),
    ("QJ", "前进街道"),
]


def add_streets(apps, schema_editor):
    Street = apps.get_model("members", "Street")
    for order, (code, name) in enumerate(STREETS, start=1):
        Street.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def remove_streets(apps, schema_editor):
    apps.get_model("members", "Street").objects.filter(code__in=[c for c, _ in STREETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(add_streets, remove_streets)]
