"""Street reviewers record the visits of their street's campaign targets and enterprises;
district approvers also keep campaigns and their target lists."""

from django.db import migrations

from services.roles import grant, revoke

VISITS = [
    "hardship.view_campaign", "hardship.view_campaigntarget", "hardship.add_campaigntarget",
    "hardship.view_householdvisit", "hardship.add_householdvisit",
    "hardship.view_enterprisevisit", "hardship.add_enterprisevisit",
]  # fmt: skip
ROLES = {
    "街道初审员": VISITS,
    "区总复审员": [*VISITS, "hardship.add_campaign", "hardship.change_campaign",
                   "hardship.delete_campaigntarget"],
}  # fmt: skip


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("hardship", "0003_campaigns"), ("hardship", "0002_roles")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
