"""The reveal log becomes the one audit log (AuditEvent); the staff who could read the reveal
log read the audit log (its permissions keep their grants under their new names)."""

from django.conf import settings
from django.db import migrations


def rename_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.filter(
            content_type__app_label="members", codename=f"{action}_piireveallog"
        ).update(codename=f"{action}_auditevent")


def restore_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.filter(
            content_type__app_label="members", codename=f"{action}_auditevent"
        ).update(codename=f"{action}_piireveallog")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0018_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("PiiRevealLog", "AuditEvent"),
        migrations.RunPython(rename_permissions, restore_permissions),
        migrations.RenameField("auditevent", "field", "action"),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-at"],
                "verbose_name": "审计日志",
                "verbose_name_plural": "审计日志",
            },
        ),
    ]
