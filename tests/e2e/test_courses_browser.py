"""家门口学技能 in a real browser at 390 px: a worker finds a course by street, enrols, sees it
under 我的课程 and cancels; the place goes to the first on the waitlist, who is told. The
course manager marks attendance on a phone and finishes the course; the subsidy appears in
the finance batch. A screenshot of each page."""

from datetime import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from services.applications.models import Notification, PaymentBatch
from services.courses.models import Enrollment
from services.courses.services import course_enrol
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import make_eligible
from tests.services.courses.conftest import make_course, time_passes


@pytest.fixture
def setting(transactional_db, staff_groups):
    make_course(title="下沙 育婴员（初级）", street="XS", capacity=5, sessions=2)
    course = make_course(
        title="白杨 电工（初级）培训班", street="BY", capacity=1, sessions=3,
        starts=time(18, 30), ends=time(20, 30), certificate_exam=True,
    )  # fmt: skip
    first = make_eligible(mobile="13800000001", real_name="甲学员")
    waiting = make_eligible(mobile="13800000002", real_name="乙学员")
    return course, first, waiting


def log_in(tab, member):
    tab.goto("/accounts/login/")
    tab.page.get_by_label("手机号", exact=True).fill(member.mobile)
    tab.page.get_by_label("密码").fill(TEST_PASSWORD)
    tab.page.get_by_role("button", name="登录").click()


def test_enrol_cancel_promote_attend_complete_and_pay(open_page, setting):
    course, first, waiting = setting
    worker = open_page(PHONE)
    page = worker.page
    log_in(worker, first)

    worker.goto("/courses/")
    expect(page.locator(".course-card")).to_have_count(2)
    page.get_by_label("街道").select_option(label="白杨街道")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".course-card")).to_have_count(1)
    worker.screenshot("courses-catalogue-by-street-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="白杨 电工（初级）培训班").click()
    expect(page.get_by_text("剩余 1 / 1")).to_be_visible()
    worker.screenshot("course-detail-390")
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("报名成功")
    expect(page.get_by_text("已报名", exact=True)).to_be_visible()
    worker.screenshot("my-courses-390")

    # The next member finds the course full and joins the waitlist.
    course_enrol(course=course, member=waiting, actor=waiting.user)
    other = open_page(PHONE)
    log_in(other, waiting)
    other.goto("/me/courses/")
    expect(other.page.get_by_text("候补第 1 位")).to_be_visible()
    other.screenshot("my-courses-waitlisted-390")

    page.get_by_role("link", name="取消报名").click()
    worker.screenshot("course-cancel-confirm-390")
    page.get_by_role("button", name="确定取消").click()
    expect(page.locator(".messages")).to_contain_text("已取消报名")
    expect(page.get_by_text("已取消", exact=True)).to_be_visible()

    # The place went to the first on the waitlist, who is told.
    other.goto("/me/courses/")
    expect(other.page.get_by_text("已报名", exact=True)).to_be_visible()
    other.screenshot("my-courses-promoted-390")
    told = Notification.objects.filter(user=waiting.user).latest("pk")
    assert "候补成功" in told.text
    other.goto("/me/inbox/")
    expect(other.page.get_by_text("候补成功")).to_be_visible()

    # The course is held; the manager marks attendance on a phone, then finishes it.
    time_passes(course)
    manager = open_page(PHONE)
    admin_login(manager, street_staff("BY", groups=["课程管理员"]), TEST_PASSWORD)
    manager.goto(reverse("admin:courses_course_change", args=[course.pk]))
    manager.screenshot("admin-course-390")
    enrollment = Enrollment.objects.get(member=waiting)
    for session in course.sessions.all():
        manager.goto(reverse("admin:courses_course_attendance", args=[course.pk, session.pk]))
        manager.page.get_by_label("乙学员").check()
        if session == course.sessions.first():
            manager.screenshot("admin-attendance-390")
        manager.page.get_by_role("button", name="保存出勤").click()
        expect(manager.page.locator("ul.messagelist")).to_contain_text("1 人到课")
    manager.goto(reverse("admin:courses_course_finish", args=[course.pk]))
    manager.screenshot("admin-course-finish-390")
    manager.page.get_by_role("button", name="确认结业").click()
    expect(manager.page.locator("ul.messagelist")).to_contain_text("结业 1 人")
    enrollment.refresh_from_db()
    assert enrollment.status == "completed"

    other.goto("/me/courses/")
    expect(other.page.get_by_text("已结业", exact=True)).to_be_visible()
    expect(other.page.get_by_role("link", name="考取证书后上传职业技能等级证书")).to_be_visible()
    other.screenshot("my-courses-completed-390")

    finance = open_page(DESKTOP)
    admin_login(finance, street_staff(None, groups=["财务"]), TEST_PASSWORD)
    finance.goto(reverse("admin:applications_paymentbatch_build"))
    finance.page.select_option("#id_program", label=str(course.program))
    finance.page.get_by_role("button", name="生成批次").click()
    expect(finance.page.locator("ul.messagelist")).to_contain_text("已生成发放批次")
    batch = PaymentBatch.objects.get()
    line = batch.lines.get()
    assert line.entry.source_id == enrollment.pk and line.entry.member == waiting
    expect(finance.page.get_by_text("乙学员")).to_be_visible()
    finance.screenshot("admin-course-subsidy-batch")
    for tab in (worker, other, manager, finance):
        assert tab.csp_violations() == []
