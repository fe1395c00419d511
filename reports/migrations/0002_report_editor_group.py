"""The 报告编辑 (report editor) staff group: the report CMS and nothing else."""

from django.db import migrations

from services.roles import grant

GROUP = "报告编辑"
PERMISSIONS = [
    f"reports.{codename}"
    for codename in [
        "view_annualreport", "add_annualreport", "change_annualreport", "publish_annualreport",
        "view_reportsection", "add_reportsection", "change_reportsection",
        "delete_reportsection", "view_keyfigure", "add_keyfigure", "change_keyfigure",
        "delete_keyfigure", "view_planitem", "add_planitem", "change_planitem",
        "delete_planitem", "view_reportrevision",
    ]
]  # fmt: skip


def grant_roles(apps, schema_editor):
    grant(apps, {GROUP: PERMISSIONS}, replace=True)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_roles, remove_group)]
