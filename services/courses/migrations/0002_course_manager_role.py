"""The 课程管理员 (course manager) group: the courses of its own street. District approvers
read them."""

from django.db import migrations

from services.roles import grant, revoke

ROLES = {
    "课程管理员": [
        "courses.view_course", "courses.add_course", "courses.change_course",
        "courses.view_session", "courses.add_session", "courses.change_session",
        "courses.delete_session", "courses.view_enrollment", "courses.view_attendance",
        "courses.view_coursebar", "courses.add_coursebar", "applications.view_statuschange",
    ],
    "区总复审员": ["courses.view_course", "courses.view_session", "courses.view_enrollment"],
}  # fmt: skip


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial"), ("applications", "0007_ledger_permissions")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
