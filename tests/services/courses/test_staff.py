"""The course manager's side in the admin: the roster, attendance, completion with the
subsidy in the ledger and a finance batch, cancelling, barring no-shows, street scoping."""

import io
import zipfile
from decimal import Decimal
from html.parser import HTMLParser

from django.urls import reverse

from services.applications.models import LedgerEntry, Notification, PaymentBatch
from services.courses.models import Attendance, CourseBar, Enrollment
from services.courses.services import course_enrol
from tests.conftest import login_staff
from tests.factories import street_staff
from tests.services.applications.conftest import make_eligible
from tests.services.courses.conftest import make_course, time_passes


def trainees(course, count):
    people = [make_eligible(mobile=f"1350000030{i}", real_name=f"学员{i}") for i in range(count)]
    for person in people:
        course_enrol(course=course, member=person, actor=person.user)
    return people


def test_attendance_completion_and_the_subsidy_in_a_finance_batch(
    client, course, manager, staff_groups, django_capture_on_commit_callbacks
):
    people = trainees(course, 3)
    staff = login_staff(client, manager)
    # Attendance cannot be marked ahead of a session, nor a course finished before its end.
    first = course.sessions.first()
    ahead = staff.post(
        reverse("admin:courses_course_attendance", args=[course.pk, first.pk]), {"present": []},
        follow=True,
    )  # fmt: skip
    assert "还没上，不能提前记录出勤" in ahead.content.decode()
    early = staff.post(reverse("admin:courses_course_finish", args=[course.pk]), follow=True)
    assert "上完后才能结业" in early.content.decode()
    assert not Attendance.objects.exists()
    assert Enrollment.objects.filter(status="enrolled").count() == 3
    time_passes(course)
    sessions = list(course.sessions.all())
    enrollments = list(Enrollment.objects.order_by("queue_number"))
    # Person 0 comes to all four, person 1 to one, person 2 never.
    for index, session in enumerate(sessions):
        url = reverse("admin:courses_course_attendance", args=[course.pk, session.pk])
        page = staff.get(url).content.decode()
        assert "学员0" in page and 'type="checkbox"' in page
        present = [enrollments[0].pk] + ([enrollments[1].pk] if index == 0 else [])
        staff.post(url, {"present": present})
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("admin:courses_course_finish", args=[course.pk]))
    statuses = [e.status for e in Enrollment.objects.order_by("queue_number")]
    assert statuses == ["completed", "attended", "no_show"]
    entry = LedgerEntry.objects.get()
    assert entry.member == people[0] and entry.amount == Decimal("600.00")
    assert entry.program == course.program and entry.source_id == enrollments[0].pk
    told = Notification.objects.filter(user=people[0].user).order_by("-id").first()
    assert "培训补贴 600.00 元将按批次发放" in told.text

    finance = street_staff(None, groups=["财务"])
    money = login_staff(type(client)(), finance)
    money.post(reverse("admin:applications_paymentbatch_build"), {"program": course.program.pk})
    batch = PaymentBatch.objects.get()
    money.get(reverse("admin:applications_paymentbatch_export", args=[batch.pk]))
    line = batch.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        money.post(
            reverse("admin:applications_paymentbatch_results", args=[batch.pk]),
            {f"line-{line.pk}-result": "paid"},
        )
    assert LedgerEntry.objects.get().status == "paid"
    paid = Notification.objects.filter(user=people[0].user).order_by("-id").first()
    assert "培训补贴 600.00 元已发放" in paid.text


def test_the_roster_as_excel_and_as_a_printed_sheet(client, course, manager, staff_groups):
    trainees(course, 2)
    staff = login_staff(client, manager)
    export = staff.get(reverse("admin:courses_course_roster", args=[course.pk]))
    cells = zipfile.ZipFile(io.BytesIO(export.content)).read("xl/sharedStrings.xml").decode()
    assert "学员0" in cells and "135****0300" in cells and "13500000300" not in cells
    printed = staff.get(reverse("admin:courses_course_print", args=[course.pk])).content.decode()
    assert "签到表" in printed and "学员1" in printed and "roster-print.css" in printed


def test_repeat_no_shows_can_be_barred_from_next_months_courses(
    client, course, manager, staff_groups
):
    from services.courses.services import course_finish

    (person,) = trainees(course, 1)
    course_finish(course=time_passes(course), actor=manager)
    staff = login_staff(client, manager)
    enrollment = Enrollment.objects.get()
    assert enrollment.status == "no_show"
    staff.post(
        reverse("admin:courses_enrollment_changelist"),
        {"action": "bar_next_month", "_selected_action": [enrollment.pk]},
    )
    bar = CourseBar.objects.get()
    assert bar.member == person and bar.until.month != course.created_at.month
    later = make_course(title="下个月的课", days_ahead=20)
    from services.courses.services import course_can_enrol

    assert course_can_enrol(course=later, member=person).code == "barred"


def test_course_managers_see_only_their_street(client, staff_groups):
    here = make_course(title="下沙的课", street="XS")
    there = make_course(title="白杨的课", street="BY", days_ahead=30)
    staff = login_staff(client, street_staff("XS", groups=["课程管理员"]))
    listing = staff.get(reverse("admin:courses_course_changelist")).content.decode()
    assert here.title in listing and there.title not in listing
    assert staff.get(reverse("admin:courses_course_change", args=[there.pk])).status_code == 404
    # Their own course's page opens, and a course can only be put in their own street.
    form = staff.get(reverse("admin:courses_course_change", args=[here.pk])).context["adminform"]
    assert [s.code for s in form.form.fields["street"].queryset] == ["XS"]
    assert staff.get(reverse("admin:courses_course_add")).status_code == 200
    session = there.sessions.first()
    url = reverse("admin:courses_course_attendance", args=[there.pk, session.pk])
    assert staff.post(url, {"present": []}).status_code == 404
    assert staff.post(reverse("admin:courses_course_finish", args=[there.pk])).status_code == 404
    nowhere = login_staff(type(client)(), street_staff(None, groups=["课程管理员"]))
    listing = nowhere.get(reverse("admin:courses_course_changelist")).content.decode()
    assert here.title not in listing and there.title not in listing  # no street: nothing


def test_cancelling_a_course_in_the_admin_needs_a_reason(client, course, manager, staff_groups):
    trainees(course, 1)
    staff = login_staff(client, manager)
    url = reverse("admin:courses_course_cancel", args=[course.pk])
    refused = staff.post(url, {"reason": ""})
    assert "这个字段是必填项" in refused.content.decode() or "必填" in refused.content.decode()
    staff.post(url, {"reason": "讲师生病"})
    course.refresh_from_db()
    assert course.status == "cancelled"
    assert Enrollment.objects.get().status == "cancelled"


def test_finishing_several_courses_at_once_from_the_list(client, manager, staff_groups):
    over = make_course(title="已上完的课")
    running = make_course(title="还没上完的课", days_ahead=20)
    trainees(over, 1)
    time_passes(over)
    staff = login_staff(client, manager)
    enrollment = Enrollment.objects.get(course=over)
    for session in over.sessions.all():
        staff.post(
            reverse("admin:courses_course_attendance", args=[over.pk, session.pk]),
            {"present": [enrollment.pk]},
        )
    page = staff.post(
        reverse("admin:courses_course_changelist"),
        {"action": "finish_selected", "_selected_action": [over.pk, running.pk]},
        follow=True,
    ).content.decode()
    assert "已上完的课：结业 1 人" in page and "还没上完的课：课程还没上完" in page
    enrollment.refresh_from_db()
    assert enrollment.status == "completed"
    assert LedgerEntry.objects.filter(source_id=enrollment.pk).count() == 1
    over.refresh_from_db()
    running.refresh_from_db()
    assert over.status == "finished" and running.status == "open"
    # Finishing again changes nothing and says why.
    again = staff.post(reverse("admin:courses_course_finish", args=[over.pk]), follow=True)
    assert "已经取消或结业" in again.content.decode()
    assert LedgerEntry.objects.count() == 1


class FormValues(HTMLParser):
    """The values a browser would send for the admin's change form, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.values, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            checkbox = attrs.get("type") == "checkbox"
            if checkbox and "checked" not in attrs:
                return
            self.values[name] = attrs.get("value") or ("on" if checkbox else "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data.lstrip("\n")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def change_form(staff, course):
    parser = FormValues()
    parser.feed(
        staff.get(reverse("admin:courses_course_change", args=[course.pk])).content.decode()
    )
    return parser.values


def test_more_places_go_to_the_waitlist_at_once_and_fewer_than_taken_is_refused(
    client, manager, staff_groups
):
    course = make_course(capacity=1)
    trainees(course, 3)  # one place, two waiting
    course.refresh_from_db()
    assert course.status == "full"
    staff = login_staff(client, manager)
    url = reverse("admin:courses_course_change", args=[course.pk])
    # A full course can be edited without touching its status.
    values = change_form(staff, course)
    assert values["status"] == "full"
    values["capacity"] = "2"
    response = staff.post(url, values)
    assert response.status_code == 302
    statuses = list(Enrollment.objects.order_by("queue_number").values_list("status", flat=True))
    assert statuses == ["enrolled", "enrolled", "waitlisted"]
    promoted = Enrollment.objects.get(queue_number=2)
    assert "候补成功" in Notification.objects.filter(user=promoted.member.user).latest("pk").text
    course.refresh_from_db()
    assert course.status == "full" and course.capacity == 2
    # Fewer places than members already enrolled: told beside the field, nothing saved.
    values = change_form(staff, course)
    values["capacity"] = "1"
    refused = staff.post(url, values)
    assert refused.status_code == 200
    assert "已有 2 人正式报名，名额不能少于 2" in refused.content.decode()
    course.refresh_from_db()
    assert course.capacity == 2
    # Ten places: the last one waiting moves up and the course opens again.
    values["capacity"] = "10"
    assert staff.post(url, values).status_code == 302
    course.refresh_from_db()
    assert course.status == "open"
    assert not Enrollment.objects.filter(status="waitlisted").exists()
