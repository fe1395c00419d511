"""System administrators complete or refuse requests to close an account."""

from django.db import migrations

from services.roles import grant, revoke

ROLES = {"系统管理员": ["members.view_closurerequest", "members.change_closurerequest"]}


def grant_roles(apps, schema_editor):
    grant(apps, ROLES)


def revoke_roles(apps, schema_editor):
    revoke(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("members", "0007_closure_request")]
    operations = [migrations.RunPython(grant_roles, revoke_roles)]
