"""Public notices (公示): the district approver and the system administrator publish and
withdraw them; the district approver and street reviewers record objections (street
reviewers for their street's applications only, which the admin and the services check)."""

from django.db import migrations

from services.roles import grant, revoke

SEE_NOTICES = ["applications.view_publicnotice", "applications.view_noticeentry"]
PUBLISH = [*SEE_NOTICES, "applications.add_publicnotice", "applications.change_publicnotice"]
OBJECTIONS = [
    "applications.view_noticeobjection", "applications.add_noticeobjection",
    "applications.change_noticeobjection",
]  # fmt: skip
ROLES = {
    "区总复审员": [*PUBLISH, *OBJECTIONS],
    "系统管理员": PUBLISH,
    "街道初审员": [*SEE_NOTICES, *OBJECTIONS],
}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("applications", "0010_public_notices")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
