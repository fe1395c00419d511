"""Asking for hardship help: the worker (or staff for the worker, with consent recorded), the
home visit and the decision on the shared engine, the register with its yearly review and
closing, and hardship details kept to staff of the file's street, every view logged."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from services.applications.models import Notification
from services.hardship.models import HardshipFile, HelpRequest
from services.hardship.services import file_close, help_request_create
from services.members.models import AuditEvent
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, MemberFactory, street_staff

FORM = {
    "causes": ["illness", "schooling"], "household_size": "3", "income_per_head": "850",
    "situation": "丈夫患尿毒症每周透析，女儿读高中",
}  # fmt: skip


@pytest.fixture
def worker_member(staff_groups):
    return MemberFactory(mobile="13300000001", real_name="困难甲")


@pytest.fixture
def worker(client, worker_member):
    client.post("/accounts/login/", {"username": worker_member.mobile, "password": TEST_PASSWORD})
    return client


def decide(staff, help_request, **data):
    url = reverse("admin:hardship_helprequest_decide", args=[help_request.pk])
    return staff.post(url, data, follow=True)


def test_a_worker_asks_staff_visit_and_a_file_is_opened(client, worker, worker_member):
    page = worker.get(reverse("hardship:mine")).content.decode()
    assert "申请帮扶" in page
    assert worker.post(reverse("hardship:mine"), FORM).status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.status == "submitted" and help_request.street == worker_member.street
    assert help_request.situation == "丈夫患尿毒症每周透析，女儿读高中"
    # Twice is refused while the first is open.
    assert "您已有一份正在办理的帮扶申请" in worker.get(reverse("hardship:mine")).content.decode()

    reviewer = street_staff("XS")
    staff = login_staff(type(client)(), reviewer)
    # Filing before the visit is not offered; the visit needs its date and people.
    refused = decide(staff, help_request, step="visit", note="看过了")
    assert "请填写入户核实的日期和人员" in refused.content.decode()
    today = timezone.localdate()
    decide(staff, help_request, step="visit", note="家中确有重病人，收入低",
           visited_on=today.isoformat(), visitors="张主席、李干事")  # fmt: skip
    help_request.refresh_from_db()
    assert help_request.status == "visited" and help_request.visited_on == today
    no_tier = decide(staff, help_request, step="file")
    assert "建档请选择困难类别" in no_tier.content.decode()
    decide(staff, help_request, step="file", tier="deep")
    file = HardshipFile.objects.get()
    assert file.member == worker_member and file.tier == "deep" and file.household_size == 3
    assert file.review_due_on == today + timedelta(days=365)
    told = Notification.objects.filter(user=worker_member.user).latest("pk").text
    assert "已建立困难职工档案" in told
    mine = worker.get(reverse("hardship:mine")).content.decode()
    assert "已建档" in mine and "您已在困难职工档案中" in mine and "提交申请" not in mine


def test_declining_tells_the_worker_why(client, worker, worker_member):
    worker.post(reverse("hardship:mine"), FORM)
    help_request = HelpRequest.objects.get()
    staff = login_staff(type(client)(), street_staff("XS"))
    decide(staff, help_request, step="decline", note="家庭人均收入高于当地标准")
    help_request.refresh_from_db()
    assert help_request.status == "declined"
    assert "家庭人均收入高于当地标准" in worker.get(reverse("hardship:mine")).content.decode()


def test_bad_input_is_told_beside_the_field(worker):
    for changes, message in (
        ({"causes": []}, "这个字段是必填项"),
        ({"household_size": "0"}, "1"),
        ({"income_per_head": "1e5"}, "请填写金额数字"),
        ({"situation": "x" * 501}, "500"),
    ):
        response = worker.post(reverse("hardship:mine"), {**FORM, **changes})
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    assert not HelpRequest.objects.exists()


def test_staff_ask_for_a_worker_only_with_consent_and_in_their_street(worker_member):
    reviewer = street_staff("XS")
    data = {**FORM, "household_size": 3, "income_per_head": 850}
    with pytest.raises(ValidationError, match="取得职工本人同意"):
        help_request_create(member=worker_member, data=data, actor=reviewer)
    with pytest.raises(PermissionDenied):
        help_request_create(
            member=worker_member, data=data, actor=street_staff("BY"), consent_recorded=True
        )
    request = help_request_create(
        member=worker_member, data=data, actor=reviewer, consent_recorded=True
    )
    assert request.filed_by_staff == reviewer


def test_files_are_for_their_street_and_every_view_is_logged(client, worker_member):
    reviewer = street_staff("XS")
    data = {**FORM, "household_size": 3, "income_per_head": 850}
    help_request = help_request_create(
        member=worker_member, data=data, actor=reviewer, consent_recorded=True
    )
    staff = login_staff(client, reviewer)
    decide(staff, help_request, step="visit", note="属实",
           visited_on=timezone.localdate().isoformat(), visitors="张主席")  # fmt: skip
    decide(staff, help_request, step="file", tier="relative")
    file = HardshipFile.objects.get()
    page = staff.get(reverse("admin:hardship_hardshipfile_change", args=[file.pk]))
    assert "尿毒症" in page.content.decode()
    log = AuditEvent.objects.get(action="hardship", subject=file.reference)
    assert log.staff == reviewer
    other = login_staff(type(client)(), street_staff("BY"))
    assert (
        other.get(reverse("admin:hardship_hardshipfile_change", args=[file.pk])).status_code == 404
    )
    assert (
        other.get(reverse("admin:hardship_helprequest_change", args=[help_request.pk])).status_code
        == 404
    )
    finance = login_staff(type(client)(), street_staff(None, groups=["财务"]))
    assert finance.get(reverse("admin:hardship_hardshipfile_changelist")).status_code == 403
    assert AuditEvent.objects.filter(action="hardship", subject=file.reference).count() == 1
    # Nothing of it on public pages.
    for url in ("/", "/services/", "/reports/"):
        assert "尿毒症" not in client.get(url).content.decode()


def test_files_due_for_review_are_listed_and_closed_with_a_reason(client, worker_member):
    reviewer = street_staff("XS")
    file = HardshipFile.objects.create(
        member=worker_member, street=worker_member.street, tier="deep", causes=["illness"],
        household_size=2, income_per_head=600,
        review_due_on=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    staff = login_staff(client, reviewer)
    due = staff.get(reverse("admin:hardship_hardshipfile_changelist"), {"due": "1"})
    assert file.reference in due.content.decode()
    staff.post(
        reverse("admin:hardship_hardshipfile_changelist"),
        {"action": "mark_reviewed", "_selected_action": [file.pk]},
    )
    file.refresh_from_db()
    assert file.review_due_on == timezone.localdate() + timedelta(days=365)
    refused = staff.post(reverse("admin:hardship_hardshipfile_close", args=[file.pk]), {})
    assert "这个字段是必填项" in refused.content.decode()
    staff.post(
        reverse("admin:hardship_hardshipfile_close", args=[file.pk]), {"reason": "recovered"}
    )
    file.refresh_from_db()
    assert file.status == "closed" and file.close_reason == "recovered"
    with pytest.raises(ValidationError):
        file_close(file=file, actor=reviewer, reason="moved")


def test_staff_file_a_request_for_a_worker_in_the_admin(client, worker_member):
    staff = login_staff(client, street_staff("XS"))
    url = reverse("admin:hardship_helprequest_on_behalf")
    data = {**FORM, "mobile": worker_member.mobile}
    refused = staff.post(url, data)
    assert "代为申请前请确认已取得职工本人同意" in refused.content.decode()
    unknown = staff.post(url, {**data, "mobile": "13999999999", "consent_recorded": "on"})
    assert "本街道没有登记这个手机号的职工" in unknown.content.decode()
    assert not HelpRequest.objects.exists()
    assert staff.post(url, {**data, "consent_recorded": "on"}).status_code == 302
    assert HelpRequest.objects.get().filed_by_staff is not None
    # Another street's staff cannot find the worker.
    other = login_staff(type(client)(), street_staff("BY"))
    response = other.post(url, {**data, "consent_recorded": "on"})
    assert "本街道没有登记这个手机号的职工" in response.content.decode()


def test_every_staff_view_of_a_request_is_logged(client, worker, worker_member):
    worker.post(reverse("hardship:mine"), FORM)
    help_request = HelpRequest.objects.get()
    staff = login_staff(type(client)(), street_staff("XS"))
    staff.get(reverse("admin:hardship_helprequest_change", args=[help_request.pk]))
    staff.get(reverse("admin:hardship_helprequest_decide", args=[help_request.pk]))
    logs = AuditEvent.objects.filter(action="hardship", subject=help_request.reference)
    assert logs.count() == 2
