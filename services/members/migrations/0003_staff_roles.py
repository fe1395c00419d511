"""Staff groups, each with exactly the permissions it needs.

- 街道初审员 (street reviewer): sees and reviews its own street's members and join requests
  (the street comes from the user's StaffProfile), registers workers at the counter.
- 区总复审员 (district approver): the same for every street, and keeps enterprises and unions.
- 财务 (finance): reads members for payments and exports (payments arrive with applications).
- 报告编辑 (report editor): the report CMS only (created by reports.0002).
- 系统管理员 (system administrator): accounts, groups, second factors, lockouts, and the
  permission to reveal full ID numbers.
"""

from django.db import migrations

from services.roles import grant

VIEW_ORG = ["members.view_street", "members.view_enterprise", "members.view_grassrootsunion"]
REVIEW = [
    "members.view_member", "members.add_member", "members.view_joinrequest",
    "members.change_joinrequest",
]  # fmt: skip
ROLES = {
    "街道初审员": VIEW_ORG + REVIEW,
    "区总复审员": VIEW_ORG
    + REVIEW
    + [
        "members.add_enterprise", "members.change_enterprise",
        "members.add_grassrootsunion", "members.change_grassrootsunion",
    ],  # fmt: skip
    "财务": [*VIEW_ORG, "members.view_member"],
    "系统管理员": VIEW_ORG
    + [
        "members.view_member", "members.reveal_member_pii",
        "members.view_user", "members.add_user", "members.change_user",
        "members.view_staffprofile", "members.add_staffprofile",
        "members.change_staffprofile", "members.delete_staffprofile",
        "members.view_consentrecord", "members.view_piireveallog",
        "auth.view_group",
        "otp_totp.view_totpdevice", "otp_totp.add_totpdevice",
        "otp_totp.change_totpdevice", "otp_totp.delete_totpdevice",
        "axes.view_accessattempt", "axes.delete_accessattempt",
        "axes.view_accesslog", "axes.view_accessfailurelog",
    ],  # fmt: skip
}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES, replace=True)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_streets"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("otp_totp", "0003_add_timestamps"),
        ("axes", "0009_add_session_hash"),
    ]
    operations = [migrations.RunPython(grant_roles, remove_roles)]
