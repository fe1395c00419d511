"""What trying the courses as workers, staff and an attacker found, each fixed for its class:
stale admin forms, texts without end, a roster too big to save, subsidies with no card to pay
to, waitlists left behind, subsidies over the cap, courses back in draft, timetable changes
nobody hears of, and what members read on their pages."""

from datetime import time, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from services.applications.models import LedgerEntry, Notification, PaymentBatch
from services.courses.models import Course, Enrollment, Session
from services.courses.services import course_enrol, course_finish
from services.members.models import Member
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import make_eligible
from tests.services.courses.conftest import make_course, time_passes
from tests.services.courses.test_staff import change_form, trainees


def test_a_form_opened_before_others_enrolled_writes_no_stale_numbers(
    client, manager, staff_groups
):
    course = make_course(capacity=2)
    staff = login_staff(client, manager)
    values = change_form(staff, course)  # opened now, saved after three enrolments
    trainees(course, 3)
    values["title"] = "电工（初级）培训班·周末"
    assert (
        staff.post(reverse("admin:courses_course_change", args=[course.pk]), values).status_code
        == 302
    )
    course.refresh_from_db()
    assert course.title.endswith("周末")
    assert course.last_queue_number == 3 and course.status == "full"
    late = make_eligible(mobile="13500000399", real_name="后来者")
    enrollment = course_enrol(course=course, member=late, actor=late.user)
    assert enrollment.queue_number == 4 and enrollment.status == "waitlisted"


def test_enrolling_and_cancelling_send_no_texts_and_are_limited(
    client, staff_groups, sms_outbox, django_capture_on_commit_callbacks
):
    course = make_course()
    member = make_eligible(mobile="13500000401", real_name="来回点")
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(10):
            client.post(reverse("courses:enrol", args=[course.pk]))
            enrollment = Enrollment.objects.get(member=member, status="enrolled")
            client.post(reverse("courses:cancel", args=[enrollment.pk]))
    # The worker did it on screen: the inbox has it, the phone is not texted.
    assert Notification.objects.filter(user=member.user).count() == 20
    assert sms_outbox == []
    # The 21st change within the hour is refused and changes nothing.
    response = client.post(reverse("courses:enrol", args=[course.pk]), follow=True)
    assert "报名和取消操作太频繁" in response.content.decode()
    assert not Enrollment.objects.filter(member=member, status="enrolled").exists()


def test_a_big_roster_saves_and_lists_the_waitlist_apart(client, manager, staff_groups):
    course = make_course(capacity=3)
    people = trainees(course, 5)  # three places, two waiting
    # Many cancelled enrolments, as on a popular course that people came and went from: the
    # page posts no field for any of them.
    Enrollment.objects.bulk_create(
        Enrollment(
            course=course,
            member=people[0],
            street=course.street,
            status="cancelled",
            queue_number=100 + i,
        )  # fmt: skip
        for i in range(600)
    )
    staff = login_staff(client, manager)
    page = staff.get(reverse("admin:courses_course_change", args=[course.pk]))
    text = page.content.decode()
    assert "学员0" in text and "候补 1" in text and "候补 2" in text
    assert text.count("已取消") <= 2  # the status filter's word, not 600 rows
    values = change_form(staff, course)
    assert len(values) < 100
    values["venue"] = "下沙职工服务中心二楼"
    assert (
        staff.post(reverse("admin:courses_course_change", args=[course.pk]), values).status_code
        == 302
    )


def test_a_subsidy_waits_for_the_payee_card_and_finance_is_told(
    client, course, manager, staff_groups, django_capture_on_commit_callbacks
):
    (with_card, without) = trainees(course, 2)
    Member.objects.filter(pk=without.pk).update(
        bank_card="", bank_card_last4="", bank_card_index=""
    )
    time_passes(course)
    for session in course.sessions.all():
        from services.courses.services import attendance_record

        attendance_record(
            session=session, actor=manager,
            present_ids=Enrollment.objects.values_list("pk", flat=True),
        )  # fmt: skip
    course_finish(course=course, actor=manager)
    told = Notification.objects.filter(user=without.user).latest("pk").text
    assert "请在“我的”页面登记收款银行卡" in told
    worker = type(client)()
    worker.post("/accounts/login/", {"username": without.mobile, "password": TEST_PASSWORD})
    assert "登记收款银行卡" in worker.get(reverse("courses:mine")).content.decode()

    money = login_staff(client, street_staff(None, groups=["财务"]))
    response = money.post(
        reverse("admin:applications_paymentbatch_build"), {"program": course.program.pk},
        follow=True,
    )  # fmt: skip
    assert "另有 1 笔款项因职工未登记收款银行卡" in response.content.decode()
    batch = PaymentBatch.objects.get()
    assert [line.entry.member for line in batch.lines.all()] == [with_card]
    waiting = LedgerEntry.objects.get(member=without)
    assert waiting.status == "reserved"
    # With no card on file anywhere, finance is told why nothing can be paid.
    again = money.post(
        reverse("admin:applications_paymentbatch_build"), {"program": course.program.pk}
    )
    assert "都还没有登记收款银行卡" in again.content.decode()


def test_finishing_ends_the_waitlist_and_gives_out_no_more_places(course, manager, staff_groups):
    course = make_course(capacity=1)
    first, second = trainees(course, 2)
    course_finish(course=time_passes(course), actor=manager)
    course.refresh_from_db()
    assert course.status == "finished"
    waiting = Enrollment.objects.get(member=second)
    assert waiting.status == "unplaced"
    assert "候补未能转为正式报名" in Notification.objects.filter(user=second.user).latest("pk").text
    assert "没有到课" in Notification.objects.filter(user=first.user).latest("pk").text
    # Nothing moves on a finished course, whatever its capacity.
    from services.courses.workflow import fill_places

    Course.objects.filter(pk=course.pk).update(capacity=5)
    course.refresh_from_db()
    assert fill_places(course) == 0


def test_a_member_over_the_yearly_cap_completes_with_what_is_left(course, manager, staff_groups):
    program = course.program
    program.per_person_cap = Decimal("1000")
    program.save()
    (person,) = trainees(course, 1)
    other = make_course(
        title="焊工培训班", days_ahead=3, starts=time(14), ends=time(16), sessions=1
    )
    course_enrol(course=other, member=person, actor=person.user)
    for done in (other, course):
        time_passes(done)
        for session in done.sessions.all():
            from services.courses.services import attendance_record

            attendance_record(session=session, actor=manager, present_ids=[
                Enrollment.objects.get(course=done, member=person).pk])  # fmt: skip
    course_finish(course=other, actor=manager)
    counts, problems = course_finish(course=course, actor=manager)
    assert problems == [] and counts["complete"] == 1
    amounts = sorted(LedgerEntry.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("400.00"), Decimal("600.00")]
    course.refresh_from_db()
    assert course.status == "finished"


def test_the_course_form_refuses_subsidies_over_fee_or_cap_and_a_return_to_draft(
    client, course, manager, staff_groups
):
    trainees(course, 1)
    staff = login_staff(client, manager)
    url = reverse("admin:courses_course_change", args=[course.pk])
    for field, value, message in (
        ("subsidy", "1500", "培训补贴不能高于培训费"),
        ("status", "draft", "已有职工报名的课程不能改回草稿"),
    ):
        values = change_form(staff, course)
        values[field] = value
        response = staff.post(url, values)
        assert response.status_code == 200, field
        assert message in response.content.decode()
    course.program.per_person_cap = Decimal("500")
    course.program.save()
    values = change_form(staff, course)
    response = staff.post(url, values)
    assert "每人每年上限 500.00 元" in response.content.decode()
    course.refresh_from_db()
    assert course.status == "open" and course.subsidy == Decimal("600")


def test_members_are_told_when_the_timetable_changes(client, course, manager, staff_groups):
    (person,) = trainees(course, 1)
    staff = login_staff(client, manager)
    values = change_form(staff, course)
    first = course.sessions.first()
    moved = first.date + timedelta(days=1)
    index = next(
        k.split("-")[1] for k, v in values.items() if k.endswith("-id") and v == str(first.pk)
    )
    values[f"sessions-{index}-date"] = moved.isoformat()
    response = staff.post(
        reverse("admin:courses_course_change", args=[course.pk]), values, follow=True
    )
    assert "已通知 1 名学员上课时间的变动" in response.content.decode()
    assert Session.objects.get(pk=first.pk).date == moved
    told = Notification.objects.filter(user=person.user).latest("pk").text
    assert "上课时间有变动" in told and f"{moved:%Y-%m-%d}" in told
    assert f"{first.date:%Y-%m-%d} 09:00–11:00 改为 {moved:%Y-%m-%d}" in told


def test_the_calendar_carries_its_time_zone(worker, member, course):
    course_enrol(course=course, member=member, actor=member.user)
    ics = worker.get(reverse("courses:calendar")).content.decode()
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Asia/Shanghai" in ics


def test_the_catalogue_keeps_good_filters_beside_a_bad_one_and_lists_open_courses_first(
    client, staff_groups
):
    finished = make_course(title="已结业的课", days_ahead=2)
    Course.objects.filter(pk=finished.pk).update(status="finished")
    open_course = make_course(title="还能报名的课", days_ahead=30)
    make_course(title="白杨的课", street="BY")
    page = client.get("/courses/", {"street": open_course.street_id, "month": "2025-13"})
    titles = [c.title for c in page.context["courses"]]
    assert titles == ["还能报名的课", "已结业的课"]


def test_after_the_deadline_my_courses_offers_no_cancel_button(worker, member, course):
    course_enrol(course=course, member=member, actor=member.user)
    Course.objects.filter(pk=course.pk).update(enrol_closes_at=timezone.now() - timedelta(hours=1))
    page = worker.get(reverse("courses:mine")).content.decode()
    assert reverse("courses:cancel", args=[Enrollment.objects.get().pk]) not in page
    assert "报名已截止，不能在网上取消" in page


def test_a_bar_is_told_to_the_member_once(client, course, manager, staff_groups):
    (person,) = trainees(course, 1)
    course_finish(course=time_passes(course), actor=manager)
    staff = login_staff(client, manager)
    enrollment = Enrollment.objects.get()
    for _twice in range(2):
        staff.post(
            reverse("admin:courses_enrollment_changelist"),
            {"action": "bar_next_month", "_selected_action": [enrollment.pk]},
        )
    assert person.course_bars.count() == 1
    bars = Notification.objects.filter(user=person.user, message__contains="暂不能报名课程")
    assert bars.count() == 1


def test_a_form_opened_while_full_saves_after_a_place_came_free(client, manager, staff_groups):
    course = make_course(capacity=1)
    (person,) = trainees(course, 1)
    staff = login_staff(client, manager)
    values = change_form(staff, course)
    assert values["status"] == "full"
    from services.courses.services import enrollment_cancel

    enrollment_cancel(enrollment=Enrollment.objects.get(), actor=person.user)
    values["venue"] = "新的上课地点"
    url = reverse("admin:courses_course_change", args=[course.pk])
    assert staff.post(url, values).status_code == 302
    course.refresh_from_db()
    assert course.status == "open" and course.venue == "新的上课地点"


def test_amounts_in_the_course_form_refuse_scientific_notation(
    client, course, manager, staff_groups
):
    staff = login_staff(client, manager)
    values = change_form(staff, course)
    values["fee"] = "1e3"
    response = staff.post(reverse("admin:courses_course_change", args=[course.pk]), values)
    assert response.status_code == 200 and "请填写金额数字" in response.content.decode()


def test_courses_not_yet_open_come_after_those_open_now(client, staff_groups):
    later = make_course(title="下个月开始报名的课", days_ahead=40)
    Course.objects.filter(pk=later.pk).update(enrol_opens_at=timezone.now() + timedelta(days=5))
    make_course(title="现在就能报名的课", days_ahead=60)
    titles = [c.title for c in client.get("/courses/").context["courses"]]
    assert titles.index("现在就能报名的课") < titles.index("下个月开始报名的课")


def test_after_the_deadline_the_cancel_page_says_why(worker, member, course):
    course_enrol(course=course, member=member, actor=member.user)
    Course.objects.filter(pk=course.pk).update(enrol_closes_at=timezone.now() - timedelta(hours=1))
    url = reverse("courses:cancel", args=[Enrollment.objects.get().pk])
    response = worker.get(url, follow=True)
    assert "报名已截止，不能在网上取消" in response.content.decode()
    assert response.redirect_chain


def test_a_cancelled_course_shows_no_places_and_staff_pages_no_site_link(
    client, course, manager, staff_groups
):
    trainees(course, 1)
    from services.courses.services import course_cancel

    course_cancel(course=course, actor=manager, reason="场地维修")
    page = client.get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert "剩余" not in page and "已取消" in page
    staff = login_staff(type(client)(), manager)
    enrollment = Enrollment.objects.get()
    admin_page = staff.get(reverse("admin:courses_enrollment_change", args=[enrollment.pk]))
    assert "/me/courses/" not in admin_page.content.decode()
