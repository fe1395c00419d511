"""Places and waitlists under real simultaneous requests: PostgreSQL row locks, real threads."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from services.courses import services
from services.courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus
from services.members.models import Member
from tests.services.applications.conftest import make_eligible
from tests.services.applications.test_concurrency import in_threads
from tests.services.courses.conftest import make_course

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite ignores them)"
    ),
]
E = EnrollmentStatus


def members(count, prefix="1360000"):
    return [make_eligible(mobile=f"{prefix}{index:04d}") for index in range(count)]


def enrol(course, member):
    return services.course_enrol(course=course, member=member, actor=member.user)


def test_sixty_enrol_at_once_for_twenty_places(staff_groups):
    course = make_course(capacity=20)
    people = members(60)
    results = in_threads(60, lambda i: enrol(course, people[i]))
    assert len(results) == 60
    enrolled = Enrollment.objects.filter(course=course, status=E.ENROLLED)
    waiting = Enrollment.objects.filter(course=course, status=E.WAITLISTED)
    assert enrolled.count() == 20 and waiting.count() == 40
    # The order is the order the locks were granted: places to numbers 1–20, the
    # waitlist 21–60 with no gaps or repeats.
    assert sorted(enrolled.values_list("queue_number", flat=True)) == list(range(1, 21))
    assert sorted(waiting.values_list("queue_number", flat=True)) == list(range(21, 61))
    assert Course.objects.get(pk=course.pk).status == CourseStatus.FULL
    # Each member was told their own position, 1 to 40.
    from services.courses.selectors import waitlist_position

    assert sorted(waitlist_position(e) for e in waiting) == list(range(1, 41))


def test_ten_cancel_at_once_and_exactly_ten_move_up(staff_groups):
    course = make_course(capacity=20)
    people = members(35, prefix="1361000")
    for person in people:
        enrol(course, person)
    leaving = list(Enrollment.objects.filter(course=course, status=E.ENROLLED)[:10])
    results = in_threads(
        10,
        lambda i: bool(
            services.enrollment_cancel(enrollment=leaving[i], actor=leaving[i].member.user)
        ),
    )
    assert all(results)
    enrolled = Enrollment.objects.filter(course=course, status=E.ENROLLED)
    waiting = Enrollment.objects.filter(course=course, status=E.WAITLISTED)
    assert enrolled.count() == 20 and waiting.count() == 5
    # The first ten on the waitlist moved up, in order; the last five still wait.
    assert sorted(waiting.values_list("queue_number", flat=True)) == list(range(31, 36))
    promoted = Enrollment.objects.filter(course=course, queue_number__range=(21, 30))
    assert all(e.status == E.ENROLLED for e in promoted)
    assert all(e.changes.filter(step="promote").count() == 1 for e in promoted)


def test_one_member_enrolling_in_two_clashing_courses_at_once_gets_one(staff_groups):
    first = make_course(title="焊工培训班", starts=time(9), ends=time(11))
    second = make_course(title="电子商务培训班", starts=time(10), ends=time(12))
    person = make_eligible(mobile="13620000001")

    def attempt(index):
        try:
            return enrol([first, second][index], Member.objects.get(pk=person.pk))
        except ValidationError as error:
            return error.code

    results = in_threads(2, attempt)
    assert sum(isinstance(r, Enrollment) for r in results) == 1
    assert "overlap" in results
    assert Enrollment.objects.filter(member=person).count() == 1


def test_a_double_tap_enrols_once(staff_groups):
    course = make_course(capacity=5)
    person = make_eligible(mobile="13620000002")

    def attempt(index):
        try:
            return enrol(course, Member.objects.get(pk=person.pk))
        except ValidationError as error:
            return error.code

    results = in_threads(2, attempt)
    assert sum(isinstance(r, Enrollment) for r in results) == 1
    assert "already" in results
    assert Enrollment.objects.filter(member=person).count() == 1
