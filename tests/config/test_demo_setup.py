"""`make run` sets up demo accounts with `demo_setup`; it must work on a fresh database and
change nothing the second time."""

import io

import pytest
from django.core.management import CommandError, call_command

from services.courses.models import Course, Enrollment
from services.members.models import Member, User


def test_demo_setup_twice(staff_groups, settings):
    from tests.factories import EnterpriseFactory, GrassrootsUnionFactory

    enterprise = EnterpriseFactory(name="演示企业")
    GrassrootsUnionFactory(enterprise=enterprise, street=enterprise.street)
    call_command("seed_courses", stdout=io.StringIO())
    call_command("seed_mutual_aid", stdout=io.StringIO())
    call_command("demo_setup", stdout=io.StringIO())
    member = Member.objects.get(mobile="13800000001")
    # Covered by this year's inpatient mutual aid from the plan's first day.
    coverage = member.coverages.get()
    assert coverage.plan.kind == "inpatient" and coverage.starts_on == coverage.plan.cover_starts
    assert member.is_member and member.membership_number
    assert Member.objects.get(mobile="13800000002").membership_number is None
    assert {"admin", "editor", "reviewer", "approver", "finance", "courses"} <= set(
        User.objects.values_list("username", flat=True)
    )
    # A verified certificate for the skill awards, and a small full course with a waitlist.
    assert member.certificates.get().status == "verified"
    full = Course.objects.filter(enrollments__queue_number=1, capacity=3)
    assert sorted(full.values_list("street__code", flat=True)) == ["BY", "XS"]
    for course in full:
        statuses = sorted(course.enrollments.values_list("status", flat=True))
        assert statuses == ["enrolled"] * 3 + ["waitlisted"] * 3
        assert course.status == "full"
    assert Course.objects.count() == 35
    counts = (User.objects.count(), Member.objects.count(), Enrollment.objects.count())
    call_command("demo_setup", stdout=io.StringIO())
    call_command("seed_courses", stdout=io.StringIO())
    call_command("seed_mutual_aid", stdout=io.StringIO())
    assert member.coverages.count() == 1
    assert member.help_requests.get().status == "submitted"
    assert (User.objects.count(), Member.objects.count(), Enrollment.objects.count()) == counts
    assert Course.objects.count() == 35


def test_demo_setup_refuses_outside_demo_mode(db, settings):
    settings.PORTAL_DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo_setup", stdout=io.StringIO())
