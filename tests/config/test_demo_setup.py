"""`make run` sets up demo accounts with `demo_setup`; it must work on a fresh database and
change nothing the second time."""

import io

import pytest
from django.core.management import CommandError, call_command

from services.members.models import Member, User


def test_demo_setup_twice(staff_groups, settings):
    from tests.factories import EnterpriseFactory, GrassrootsUnionFactory

    enterprise = EnterpriseFactory(name="演示企业")
    GrassrootsUnionFactory(enterprise=enterprise, street=enterprise.street)
    call_command("demo_setup", stdout=io.StringIO())
    member = Member.objects.get(mobile="13800000001")
    assert member.is_member and member.membership_number
    assert Member.objects.get(mobile="13800000002").membership_number is None
    assert {"admin", "editor", "reviewer", "approver", "finance"} <= set(
        User.objects.values_list("username", flat=True)
    )
    counts = (User.objects.count(), Member.objects.count())
    call_command("demo_setup", stdout=io.StringIO())
    assert (User.objects.count(), Member.objects.count()) == counts


def test_demo_setup_refuses_outside_demo_mode(db, settings):
    settings.PORTAL_DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo_setup", stdout=io.StringIO())
