from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from services.courses.models import Course, CourseStatus, Session
from services.courses.seed import course_program
from services.members.models import Street
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import make_eligible

__all__ = ["make_course"]


def make_course(*, capacity=20, street="XS", days_ahead=10, starts=time(9), ends=time(11),
                sessions=4, title="电工（初级）培训班", subsidy="600", **extra):  # fmt: skip
    now = timezone.now()
    first = timezone.localdate() + timedelta(days=days_ahead)
    course = Course.objects.create(
        program=course_program(first.year), title=title, category="电工",
        provider="钱塘区职业技能培训中心", street=Street.objects.get(code=street),
        venue="下沙职工服务中心", address="钱塘区下沙街道某路1号", capacity=capacity,
        fee=Decimal("1200"), subsidy=Decimal(subsidy), status=CourseStatus.OPEN,
        enrol_opens_at=now - timedelta(days=5),
        enrol_closes_at=timezone.make_aware(datetime.combine(first - timedelta(days=1), time(18))),
        **extra,
    )  # fmt: skip
    for week in range(sessions):
        Session.objects.create(
            course=course, date=first + timedelta(weeks=week), starts=starts, ends=ends
        )
    return course


@pytest.fixture
def course(staff_groups):
    return make_course()


@pytest.fixture
def member(staff_groups):
    return make_eligible(mobile="13500000001", real_name="学员甲")


@pytest.fixture
def worker(client, member):
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


@pytest.fixture
def manager(staff_groups):
    return street_staff("XS", groups=["课程管理员"])


def time_passes(course, days=40):
    """The course's enrolment window and sessions move into the past, as if ``days`` went by
    after members enrolled."""
    from django.db.models import F

    from services.courses.models import Course

    shift = timedelta(days=days)
    Session.objects.filter(course=course).update(date=F("date") - shift)
    Course.objects.filter(pk=course.pk).update(
        enrol_opens_at=F("enrol_opens_at") - shift, enrol_closes_at=F("enrol_closes_at") - shift
    )
    course.refresh_from_db()
    return course
