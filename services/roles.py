"""Staff roles: the groups, who of them works district-wide, and the one helper migrations use
to give each group exactly its permissions.

- 街道初审员 (street reviewer): its own street only, by the street on the staff profile; with
  no street set it sees nothing (scoping fails closed).
- 区总复审员 (district approver), 财务 (finance) and 系统管理员 (system administrator) work
  across every street.
- 报告编辑 (report editor): the report CMS only.
- 课程管理员 (course manager): the courses of its own street, like a street reviewer.
"""

from django.contrib.auth.management import create_permissions

STREET_REVIEWER = "街道初审员"
DISTRICT_APPROVER = "区总复审员"
FINANCE = "财务"
SYSTEM_ADMIN = "系统管理员"
REPORT_EDITOR = "报告编辑"
COURSE_MANAGER = "课程管理员"

# Groups whose members see every street. Anyone else sees only the street on their profile.
DISTRICT_GROUPS = frozenset({DISTRICT_APPROVER, FINANCE, SYSTEM_ADMIN})

# Permissions whose model was renamed after a migration granted them (the migration of the
# rename moved the grants): a migration replayed later (the tests' roles) means the new name.
RENAMED = {"members.view_piireveallog": "members.view_auditevent"}


def grant(apps, roles: dict[str, list[str]], *, replace: bool = False) -> None:
    """Give each group its permissions, named ``"app_label.codename"``.

    For a data migration: permissions are normally created after ``migrate``, so they are made
    here first. ``replace`` sets the group's permissions to exactly these; otherwise they are
    added to what the group has.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            if not found.exists() and dotted in RENAMED:
                app_label, codename = RENAMED[dotted].split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        if replace:
            group.permissions.set(permissions)
        else:
            group.permissions.add(*permissions)


def revoke(apps, roles: dict[str, list[str]]) -> None:
    """The reverse of ``grant``: take these permissions away again."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in roles.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
