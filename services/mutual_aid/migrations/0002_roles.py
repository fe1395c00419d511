"""Who does what in mutual aid: street reviewers upload their street's employer rosters and
review claims with their medical details; district approvers the same for every street and
keep the plans; finance pays claims like every application and sees no medical detail."""

from django.db import migrations

from services.roles import grant, revoke

ROLES = {
    "街道初审员": [
        "mutual_aid.view_plan", "mutual_aid.view_rosterimport", "mutual_aid.add_rosterimport",
        "mutual_aid.view_coverage", "mutual_aid.view_claimdetails",
        "applications.view_medical",
    ],
    "区总复审员": [
        "mutual_aid.view_plan", "mutual_aid.add_plan", "mutual_aid.change_plan",
        "mutual_aid.view_rosterimport", "mutual_aid.add_rosterimport",
        "mutual_aid.view_coverage", "mutual_aid.view_claimdetails",
        "applications.view_medical",
    ],
}  # fmt: skip


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("mutual_aid", "0001_initial"),
        ("applications", "0008_alter_application_options"),
    ]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
