"""Business rules the worker meets, and who may see what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from services.applications.models import Application, Attachment
from services.applications.workflow import Status
from tests.factories import TEST_PASSWORD, MemberFactory, street_staff
from tests.services.applications.conftest import (
    draft,
    make_eligible,
    submitted,
    take,
    with_proofs,
)
from tests.services.applications.test_flow import APPLY


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"opens_at": timezone.now() + timedelta(days=3)}, "尚未开始受理"),
        ({"closes_at": timezone.now() - timedelta(days=1)}, "本批次已截止申请"),
        ({"budget": Decimal("0")}, "本批次预算已经用完"),
        ({"max_applications": 0}, "本批次名额已满"),
    ],
)
def test_the_worker_is_told_why_a_program_is_not_open(client, worker, program, change, message):
    for field, value in change.items():
        setattr(program, field, value)
    program.save()
    assert message in client.get(f"/services/{program.pk}/").content.decode()
    page = worker.get(f"/services/{program.pk}/apply/").content.decode()
    assert message in page
    worker.post(f"/services/{program.pk}/apply/", {**APPLY, "save": "1"})
    assert not Application.objects.exists()


def test_ineligible_workers_are_told_why(client, program):
    newcomer = MemberFactory(mobile="13200000009")  # registered, not a member
    client.post("/accounts/login/", {"username": newcomer.mobile, "password": TEST_PASSWORD})
    page = client.get(f"/services/{program.pk}/apply/").content.decode()
    assert "只有已核实的工会会员可以申请" in page


def test_submission_after_the_deadline_is_refused(program, member):
    application = with_proofs(draft(program, member))
    program.closes_at = timezone.now() - timedelta(minutes=1)
    program.save()
    decision = take(application, member.user, "submit")
    assert not decision and "已截止" in decision.reason and decision.code == "closed"
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_bad_bank_card_and_amount_input(worker, program, member):
    from services.members.models import Member

    Member.objects.filter(pk=member.pk).update(bank_card="", bank_card_last4="")  # none on file
    response = worker.post(
        f"/services/{program.pk}/apply/",
        {**APPLY, "bank_card": "6222021234567890123", "tuition_paid": "五千", "save": "1"},
    )
    html = response.content.decode()
    assert "银行卡号校验不通过" in html and "请填写金额数字" in html
    assert not Application.objects.exists()


def test_a_card_on_file_is_not_changed_by_an_application(worker, program, member):
    """A new card typed into a later application would move money already decided; the
    apply form offers no card field once one is on file."""
    page = worker.get(f"/services/{program.pk}/apply/").content.decode()
    assert 'name="bank_card"' not in page and "**** 0128" in page
    worker.post(
        f"/services/{program.pk}/apply/", {**APPLY, "bank_card": "6217001234567890122", "save": "1"}
    )
    member.refresh_from_db()
    assert member.bank_card_last4 == "0128"


def test_mass_assignment_of_status_and_amount_does_nothing(worker, program):
    worker.post(
        f"/services/{program.pk}/apply/",
        {**APPLY, "save": "1", "status": "approved", "approved_amount": "99999",
         "requested_amount": "99999", "reference": "QT-X", "applicant": "1"},
    )  # fmt: skip
    application = Application.objects.get()
    assert application.status == "draft" and application.approved_amount is None
    assert application.requested_amount == Decimal("3000.00")


def test_a_second_application_to_the_same_batch_is_refused(worker, program, member):
    worker.post(f"/services/{program.pk}/apply/", {**APPLY, "save": "1"})
    again = worker.post(f"/services/{program.pk}/apply/", {**APPLY, "save": "1"})
    assert "您已经申请过本批次" in again.content.decode()
    assert Application.objects.count() == 1
    with pytest.raises(IntegrityError):
        Application.objects.create(
            program=program, applicant=member, reference="QT-DUP", requested_amount=1,
            amount_reason="",
        )  # fmt: skip


def test_reviewers_cannot_skip_steps_or_review_their_own(program, member, reviewer, approver):
    application = submitted(program, member)
    skip = take(application, approver, "approve")
    assert not skip and "不能进行这一步" in skip.reason and skip.code == "not_allowed_now"
    assert take(application, reviewer, "recommend")
    # The reviewer who recommended cannot also approve, even holding both roles.
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get(name="区总复审员"))
    reviewer._portal_group_names = None  # groups are read once per user object
    own = take(application, reviewer, "approve")
    assert not own and "初审推荐人不能再做复审" in own.reason and own.code == "recommender"
    applicant_as_staff = take(application, member.user, "approve")
    assert not applicant_as_staff and applicant_as_staff.code == "no_role"


def test_rejection_needs_a_reason(program, member, reviewer):
    application = submitted(program, member)
    decision = take(application, reviewer, "reject")
    assert not decision and "写明原因" in decision.reason and decision.code == "note_required"


def test_approval_cannot_exceed_the_budget(program, member, reviewer, approver):
    program.budget = Decimal("2000")
    program.save()
    application = submitted(program, member)
    take(application, reviewer, "recommend")
    decision = take(application, approver, "approve", amount=Decimal("3000"))
    assert not decision and "预算不足：本批次还剩 2,000.00 元" in decision.reason
    assert decision.code == "budget"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and application.approved_amount is None


def test_withdraw_before_a_decision(worker, program, member):
    application = submitted(program, member)
    confirm = worker.get(f"/me/applications/{application.pk}/withdraw/")
    assert "确定撤回这份申请吗" in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # asking is not withdrawing
    worker.post(f"/me/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_another_worker_gets_404_everywhere(client, program, member):
    application = submitted(program, member)
    attachment = Attachment.objects.filter(application=application).first()
    intruder = make_eligible(mobile="13200000003")
    client.post("/accounts/login/", {"username": intruder.mobile, "password": TEST_PASSWORD})
    base = f"/me/applications/{application.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}files/{attachment.pk}/").status_code == 404
    for action in ("upload/", "submit/", "withdraw/"):
        assert client.post(base + action).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.reference not in client.get("/me/applications/").content.decode()


def test_staff_of_another_street_cannot_see_it(program, member, staff_client):
    application = submitted(program, member)
    attachment = Attachment.objects.filter(application=application).first()
    baiyang_reviewer = street_staff("BY")
    other = staff_client(baiyang_reviewer)
    assert (
        application.reference
        not in other.get(reverse("admin:applications_application_changelist")).content.decode()
    )
    for url in [
        reverse("admin:applications_application_change", args=[application.pk]),
        reverse("admin:applications_application_review", args=[application.pk]),
    ]:
        response = other.get(url)
        assert response.status_code == 404
        assert application.reference not in response.content.decode()
    assert (
        other.get(reverse("admin:applications_attachment_file", args=[attachment.pk])).status_code
        == 404
    )
    assert not take(application, baiyang_reviewer, "recommend")


def test_public_services_page_lists_programs(client, program):
    html = client.get("/services/").content.decode()
    assert "厂门口上大学" in html
    detail = client.get(f"/services/{program.pk}/").content.decode()
    assert "实缴学费的 60%" in detail and "录取通知书、学费发票或收据" in detail
    assert f'href="/services/{program.pk}/apply/"' in detail


def test_a_new_member_can_declare_social_insurance_months(client, program):
    newcomer = make_eligible(mobile="13200000010")
    newcomer.joined_on = timezone.localdate() - timedelta(days=40)
    newcomer.save()
    client.post("/accounts/login/", {"username": newcomer.mobile, "password": TEST_PASSWORD})
    url = f"/services/{program.pk}/apply/"
    page = client.get(url).content.decode()
    assert "入会满 6 个月（或在本区缴纳社保满 6 个月）才能申请" in page
    assert 'name="social_insurance_months"' in page
    refused = client.post(url, {**APPLY, "save": "1"})
    assert "才能申请" in refused.content.decode() and not Application.objects.exists()
    client.post(url, {**APPLY, "save": "1", "social_insurance_months": "9"})
    assert Application.objects.get().applicant == newcomer
