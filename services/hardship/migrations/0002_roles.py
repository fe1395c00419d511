"""Street reviewers handle their street's requests for help and files (the home visit, the
decision, the yearly review, closing); district approvers every street's."""

from django.db import migrations

from services.roles import grant, revoke

PERMISSIONS = [
    "hardship.view_helprequest", "hardship.add_helprequest", "hardship.change_helprequest",
    "hardship.view_hardshipfile", "hardship.change_hardshipfile",
    "applications.view_statuschange",
]  # fmt: skip
ROLES = {"街道初审员": PERMISSIONS, "区总复审员": PERMISSIONS}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("hardship", "0001_initial"), ("applications", "0008_alter_application_options")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
