"""The 报告编辑 (report editor) staff group: the report CMS and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "报告编辑"
PERMISSIONS = [
    "view_annualreport", "add_annualreport", "change_annualreport", "publish_annualreport",
    "view_reportsection", "add_reportsection", "change_reportsection", "delete_reportsection",
    "view_keyfigure", "add_keyfigure", "change_keyfigure", "delete_keyfigure",
    "view_planitem", "add_planitem", "change_planitem", "delete_planitem",
    "view_reportrevision",
]  # fmt: skip


def create_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="reports", codename__in=PERMISSIONS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
