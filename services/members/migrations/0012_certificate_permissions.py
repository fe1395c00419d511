"""Who checks skill certificates: street reviewers and course managers of the worker's street,
district approvers anywhere (the workflow table says who may verify; these let them see)."""

from django.db import migrations

from services.roles import grant, revoke

SEE = ["members.view_skillcertificate", "applications.view_statuschange"]
ROLES = {"街道初审员": SEE, "课程管理员": SEE, "区总复审员": SEE}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, {name: ["members.view_skillcertificate"] for name in ROLES})


class Migration(migrations.Migration):
    dependencies = [("members", "0011_skillcertificate"), ("applications", "0007_ledger_permissions")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
