"""What each staff role may do with programs, applications and payments."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEW = [
    "view_program", "view_application", "view_statuschange", "view_attachment",
]  # fmt: skip
ROLES = {
    "街道初审员": REVIEW,
    "区总复审员": [*REVIEW, "add_program", "change_program"],
    "财务": [*REVIEW, "view_paymentbatch", "add_paymentbatch", "reveal_bank_card"],
    "系统管理员": ["view_program", "view_application"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="applications", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="applications"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial"), ("members", "0003_staff_roles")]
    operations = [migrations.RunPython(grant, revoke)]
