"""Drop what applications.0005 moved: the application column of status changes, inbox texts,
bank cards on applications and the application's own payment batch."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_move_to_engine_and_ledger")]

    operations = [
        migrations.RemoveField(model_name="statuschange", name="application"),
        migrations.AlterField(
            model_name="statuschange", name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange", name="object_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="statuschange",
            index=models.Index(fields=["content_type", "object_id", "at"], name="change_case_at"),
        ),
        migrations.RemoveField(model_name="notification", name="text"),
        migrations.RemoveField(model_name="notification", name="application"),
        migrations.RemoveField(model_name="application", name="bank_card"),
        migrations.RemoveField(model_name="application", name="payment_batch"),
        migrations.RemoveConstraint(model_name="application", name="one_application_per_program"),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("single_slot", True), models.Q(("status", "withdrawn"), _negated=True)),
                fields=("applicant", "program"), name="one_application_per_program",
            ),
        ),
    ]
