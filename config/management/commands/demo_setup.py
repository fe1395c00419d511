"""Demo staff accounts for a first run. Refuses to run in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD = "qiantang-demo-2026"  # noqa: S105  (demo accounts; refused in production)

DEMO_STAFF = [
    # username, name, superuser, groups
    ("admin", "系统管理员（演示）", True, []),
    ("editor", "报告编辑（演示）", False, ["报告编辑"]),
]


class Command(BaseCommand):
    help = "Create the demo staff accounts (development only); existing accounts are left alone."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo accounts are never created in production")
        User = get_user_model()
        for username, name, superuser, groups in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": name, "is_staff": True, "is_superuser": superuser},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            state = "created" if created else "already there"
            self.stdout.write(f"  {username:<8} / {DEMO_PASSWORD}   {name} ({state})")
