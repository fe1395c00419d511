"""Members find courses, enrol in one tap, wait their turn, cancel; all over HTTP."""

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.applications.models import Notification
from services.courses.models import CourseStatus, Enrollment
from services.courses.services import course_enrol
from services.courses.tasks import remind_tomorrow
from tests.factories import TEST_PASSWORD, MemberFactory
from tests.services.applications.conftest import make_eligible
from tests.services.courses.conftest import make_course


def signed_in(member):
    client = Client()
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


def test_a_member_enrols_in_one_tap_and_sees_it_under_my_courses(worker, course, member):
    page = worker.get(f"/courses/{course.pk}/").content.decode()
    assert "剩余 20 / 20" in page and 'action="/courses/' in page
    response = worker.post(f"/courses/{course.pk}/enrol/")
    assert response["Location"] == "/me/courses/"
    enrollment = Enrollment.objects.get()
    assert enrollment.status == "enrolled" and enrollment.member == member
    mine = worker.get("/me/courses/").content.decode()
    assert course.title in mine and "已报名" in mine
    assert "剩余 19 / 20" in worker.get(f"/courses/{course.pk}/").content.decode()


def test_a_full_course_puts_members_on_the_waitlist_and_a_cancel_promotes_the_first(
    course, staff_groups, sms_outbox, django_capture_on_commit_callbacks
):
    course.capacity = 2
    course.save()
    members = [make_eligible(mobile=f"1350000010{i}") for i in range(4)]
    for member in members:
        course_enrol(course=course, member=member, actor=member.user)
    course.refresh_from_db()
    assert course.status == CourseStatus.FULL
    statuses = [e.status for e in Enrollment.objects.order_by("queue_number")]
    assert statuses == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    fourth = signed_in(members[3])
    assert "候补第 2 位" in fourth.get("/me/courses/").content.decode()

    first = signed_in(members[0])
    enrollment = Enrollment.objects.get(member=members[0])
    assert "确定取消报名吗" in first.get(f"/me/courses/{enrollment.pk}/cancel/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first.post(f"/me/courses/{enrollment.pk}/cancel/")
    statuses = [e.status for e in Enrollment.objects.order_by("queue_number")]
    assert statuses == ["cancelled", "enrolled", "enrolled", "waitlisted"]
    assert "候补第 1 位" in fourth.get("/me/courses/").content.decode()
    promoted = Notification.objects.filter(user=members[2].user).order_by("-id").first()
    assert "候补成功" in promoted.text
    assert any("候补成功" in text for to, text in sms_outbox if to == members[2].mobile)
    change = Enrollment.objects.get(member=members[2]).changes.order_by("-id").first()
    assert change.step == "promote" and change.actor is None and change.role == "portal"


@pytest.mark.parametrize(
    ("situation", "message"),
    [
        ("after_deadline", "报名已截止"),
        ("twice", "您已报名这门课程"),
        ("cancelled", "这门课程已取消"),
        ("overlap", "时间冲突"),
        ("not_member", "只有工会会员可以报名"),
        ("barred", "前暂不能报名课程"),
    ],
)
def test_enrolling_when_one_may_not_says_why_and_changes_nothing(
    client, course, member, manager, situation, message
):
    from services.courses.models import CourseBar

    if situation == "after_deadline":
        course.enrol_closes_at = timezone.now() - timedelta(minutes=1)
        course.save()
    elif situation == "twice":
        course_enrol(course=course, member=member, actor=member.user)
    elif situation == "cancelled":
        course.status = CourseStatus.CANCELLED
        course.save()
    elif situation == "overlap":
        other = make_course(title="焊工培训班", starts=time(10), ends=time(12))
        course_enrol(course=other, member=member, actor=member.user)
    elif situation == "not_member":
        member = MemberFactory(mobile="13500000099")
    elif situation == "barred":
        CourseBar.objects.create(
            member=member, until=timezone.localdate() + timedelta(days=30), reason="未到课",
            created_by=manager,
        )  # fmt: skip
    before = Enrollment.objects.count()
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    page = client.get(f"/courses/{course.pk}/").content.decode()
    # Told before pressing anything (one already enrolled sees their enrolment instead).
    assert message in page or (situation == "twice" and "查看我的课程" in page)
    response = client.post(f"/courses/{course.pk}/enrol/", follow=True)
    assert message in response.content.decode()
    assert Enrollment.objects.count() == before


def test_cancelling_after_the_deadline_is_refused(worker, course, member):
    enrollment = course_enrol(course=course, member=member, actor=member.user)
    course.enrol_closes_at = timezone.now() - timedelta(minutes=1)
    course.save()
    response = worker.post(f"/me/courses/{enrollment.pk}/cancel/", follow=True)
    assert "不能在网上取消" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"


def test_another_members_enrollment_is_404(client, course, member):
    enrollment = course_enrol(course=course, member=member, actor=member.user)
    intruder = make_eligible(mobile="13500000002")
    client.post("/accounts/login/", {"username": intruder.mobile, "password": TEST_PASSWORD})
    assert client.get(f"/me/courses/{enrollment.pk}/cancel/").status_code == 404
    assert client.post(f"/me/courses/{enrollment.pk}/cancel/").status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"
    assert course.title not in client.get("/me/courses/").content.decode()


def test_the_catalogue_filters_and_its_query_count_does_not_grow(client, staff_groups):
    make_course(title="下沙的电工课", street="XS")
    make_course(title="白杨的焊工课", street="BY", days_ahead=40)
    from services.members.models import Street

    by_street = client.get("/courses/", {"street": Street.objects.get(code="BY").pk})
    html = by_street.content.decode()
    assert "白杨的焊工课" in html and "下沙的电工课" not in html
    month = (timezone.localdate() + timedelta(days=40)).strftime("%Y-%m")
    assert "白杨的焊工课" in client.get("/courses/", {"month": month}).content.decode()
    assert client.get("/courses/", {"month": "2026-13", "street": "x\x00"}).status_code in (
        200,
        400,
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/courses/").status_code == 200
        return len(captured)

    few = queries()
    for index in range(15):
        make_course(title=f"课程{index}", days_ahead=60 + index)
    assert queries() == few


def test_places_left_filter(client, staff_groups):
    full = make_course(title="满员的课", capacity=1)
    member = make_eligible(mobile="13500000003")
    course_enrol(course=full, member=member, actor=member.user)
    make_course(title="有名额的课", days_ahead=50)
    html = client.get("/courses/", {"places_left": "on"}).content.decode()
    assert "有名额的课" in html and "满员的课" not in html


def test_my_sessions_as_a_calendar_file(worker, course, member):
    course_enrol(course=course, member=member, actor=member.user)
    response = worker.get("/me/courses/calendar.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 4 and "SUMMARY:电工（初级）培训班" in body
    assert re.search(r"DTSTART;TZID=Asia/Shanghai:\d{8}T090000", body)


def test_the_reminder_the_day_before_goes_once(
    course, member, sms_outbox, django_capture_on_commit_callbacks
):
    course_enrol(course=course, member=member, actor=member.user)
    day_before = course.sessions.first().date - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_tomorrow(today=day_before) == 1
        assert remind_tomorrow(today=day_before) == 0  # a rerun sends nothing twice
    assert [text for to, text in sms_outbox if "提醒：明天" in text]


def test_a_cancelled_course_tells_everyone(
    course, member, manager, django_capture_on_commit_callbacks
):
    from services.courses.services import course_cancel

    others = [make_eligible(mobile=f"1350000020{i}") for i in range(2)]
    for person in [member, *others]:
        course_enrol(course=course, member=person, actor=person.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert course_cancel(course=course, actor=manager, reason="场地维修") == 3
    assert set(Enrollment.objects.values_list("status", flat=True)) == {"cancelled"}
    for person in [member, *others]:
        told = Notification.objects.filter(user=person.user).order_by("-id").first()
        assert "已取消：场地维修" in told.text
