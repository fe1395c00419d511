"""What each staff role may do with programs, applications and payments."""

from django.db import migrations

from services.roles import grant, revoke

REVIEW = [
    "applications.view_program", "applications.view_application",
    "applications.view_statuschange", "applications.view_attachment",
]  # fmt: skip
ROLES = {
    "街道初审员": REVIEW,
    "区总复审员": [*REVIEW, "applications.add_program", "applications.change_program"],
    "财务": [
        *REVIEW, "applications.view_paymentbatch", "applications.add_paymentbatch",
        "applications.reveal_bank_card",
    ],  # fmt: skip
    "系统管理员": ["applications.view_program", "applications.view_application"],
}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial"), ("members", "0003_staff_roles")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
