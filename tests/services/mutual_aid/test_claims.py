"""Claims: the benefit shown before saving, invoices claimed once, the deadline with its date,
two-stage review with corrected amounts kept in the audit, payment through the shared
batches, and medical details seen by reviewers only, each view logged."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from services.applications.models import (
    Application,
    LedgerEntry,
    PaymentBatch,
    Program,
    StatusChange,
)
from services.members.models import AuditEvent
from services.mutual_aid.models import ClaimDetails
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import make_eligible, pdf, take


def claim_form(**changes):
    today = timezone.localdate()
    data = {
        "kind": "inpatient", "hospital": "杭州市第一人民医院", "hospital_level": "三级",
        "admitted_on": (today - timedelta(days=12)).isoformat(),
        "discharged_on": (today - timedelta(days=5)).isoformat(),
        "diagnosis": "急性阑尾炎", "total_cost": "20000", "insurance_paid": "11000",
        "eligible_cost": "8000", "invoices": "33010026110001\n33010026110002",
    }  # fmt: skip
    data.update(changes)
    return data


def login(client, member):
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


def file_claim(client, plan, **changes):
    return client.post(
        reverse("mutual_aid:claim", args=[plan.program.pk]), {**claim_form(**changes), "save": "1"}
    )


def test_the_member_sees_the_benefit_line_by_line_then_files_reviews_and_is_paid(
    client, plan, covered, reviewer, approver, django_capture_on_commit_callbacks
):
    worker = login(client, covered)
    mine = worker.get(reverse("mutual_aid:mine")).content.decode()
    assert "职工住院医疗互助" in mine and "30,000.00 元" in mine
    url = reverse("mutual_aid:claim", args=[plan.program.pk])
    preview = worker.post(url, {**claim_form(), "preview": "1"}).content.decode()
    # (8,000 − 500) × 40 % = 3,000 at a 三级 hospital
    assert "3,000.00 元" in preview and "7,500.00 元 × 40%（三级医院）" in preview
    assert "这次批准后还剩 27,000.00 元" in preview
    assert not Application.objects.exists()
    response = file_claim(worker, plan)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.requested_amount == Decimal("3000.00")
    assert application.claim.diagnosis == "急性阑尾炎"
    assert sorted(application.claim.invoices.values_list("number", flat=True)) == [
        "33010026110001", "33010026110002",
    ]  # fmt: skip
    for kind in ("settlement", "discharge", "invoice"):
        worker.post(
            reverse("applications:upload", args=[application.pk]),
            {"kind": kind, "file": pdf(f"{kind}.pdf", kind)},
        )
    worker.post(reverse("applications:submit", args=[application.pk]))
    assert take(application, reviewer, "recommend")
    assert take(application, approver, "approve")
    entry = LedgerEntry.objects.get()
    assert entry.amount == Decimal("3000.00") and entry.program == plan.program
    finance = login_staff(type(client)(), street_staff(None, groups=["财务"]))
    finance.post(reverse("admin:applications_paymentbatch_build"), {"program": plan.program.pk})
    line = PaymentBatch.objects.get().lines.get()
    finance.get(reverse("admin:applications_paymentbatch_export", args=[line.batch_id]))
    with django_capture_on_commit_callbacks(execute=True):
        finance.post(
            reverse("admin:applications_paymentbatch_results", args=[line.batch_id]),
            {f"line-{line.pk}-result": "paid"},
        )
    application.refresh_from_db()
    assert application.status == "paid"
    assert "27,000.00 元" in worker.get(reverse("mutual_aid:mine")).content.decode()


def test_who_may_claim_and_until_when(client, plan, enterprise, covered):
    stranger = make_eligible(mobile="13600000077")
    page = login(type(client)(), stranger).get(reverse("mutual_aid:claim", args=[plan.program.pk]))
    assert "您不在“职工住院医疗互助”的参保名单中" in page.content.decode()
    Program.objects.filter(pk=plan.program.pk).update(closes_at=timezone.now() - timedelta(days=1))
    worker = login(client, covered)
    page = worker.get(reverse("mutual_aid:claim", args=[plan.program.pk])).content.decode()
    deadline = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert f"理赔申请已于 {deadline} 截止" in page
    assert file_claim(worker, plan).status_code == 200
    assert not Application.objects.exists()


def test_bad_amounts_and_dates_are_told_beside_the_field(client, plan, covered):
    worker = login(client, covered)
    today = timezone.localdate()
    for changes, message in (
        ({"eligible_cost": "9500"}, "合规自付费用不能超过费用总额减去医保已支付的部分"),
        ({"insurance_paid": "30000"}, "基本医保已支付的金额不能超过费用总额"),
        ({"admitted_on": f"{today.year - 1}-06-01", "discharged_on": f"{today.year - 1}-06-05"},
         "就诊日期应在保障期内"),
        ({"discharged_on": ""}, "住院理赔请填写出院日期"),
        ({"total_cost": "1e5"}, "请填写金额数字"),
        ({"invoices": "12"}, "应为 4 到 40 位字母、数字"),
        ({"invoices": "A1234\na1234"}, "同一张发票填了两次"),
        ({"diagnosis": "x" * 201}, "200"),
        ({"hospital_level": "一级", "eligible_cost": "8000"}, "没有可给付的金额"),
    ):  # fmt: skip
        response = file_claim(worker, plan, **changes)
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert not Application.objects.exists()


def test_an_invoice_is_claimed_once_by_anyone_and_freed_by_a_withdrawal(
    client, plan, enterprise, covered, approver
):
    from services.mutual_aid.roster import coverage_add

    other = make_eligible(mobile="13600000002", employer=enterprise)
    coverage_add(
        plan=plan, member=other, enterprise=enterprise, actor=approver,
        starts_on=plan.cover_starts,
    )  # fmt: skip
    assert file_claim(login(client, covered), plan).status_code == 302
    second = login(type(client)(), other)
    response = file_claim(second, plan, invoices="33010026110002")
    assert "发票号码 33010026110002 已用于其他理赔申请" in response.content.decode()
    assert Application.objects.count() == 1
    first = Application.objects.get()
    take(first, covered.user, "withdraw")
    assert file_claim(second, plan, invoices="33010026110002").status_code == 302


def test_reviewers_correct_the_amounts_and_the_audit_keeps_both(client, plan, covered, reviewer):
    file_claim(login(client, covered), plan)
    application = Application.objects.get()
    for kind in ("settlement", "discharge", "invoice"):
        from services.applications.services import attachment_add

        attachment_add(application=application, actor=covered.user, kind=kind,
                       upload=pdf(kind, kind))  # fmt: skip
    assert take(application, covered.user, "submit")
    staff = login_staff(type(client)(), reviewer)
    url = reverse("admin:mutual_aid_claim_correct", args=[application.claim.pk])
    refused = staff.post(url, {"total_cost": "20000", "insurance_paid": "11000",
                               "eligible_cost": "6000", "note": ""})  # fmt: skip
    assert "这个字段是必填项" in refused.content.decode() or "必填" in refused.content.decode()
    staff.post(url, {"total_cost": "20000", "insurance_paid": "11000", "eligible_cost": "6000",
                     "note": "按结算单更正"})  # fmt: skip
    application.refresh_from_db()
    # (6,000 − 500) × 40 % = 2,200
    assert application.requested_amount == Decimal("2200.00")
    change = StatusChange.objects.filter(object_id=application.pk).latest("pk")
    assert change.amount_before == Decimal("3000.00") and change.amount_after == Decimal("2200.00")
    assert "8,000.00 → 6,000.00" in change.note and "按结算单更正" in change.note
    # The worker reads it on the timeline.
    page = login(type(client)(), covered).get(reverse("applications:detail", args=[application.pk]))
    assert "按结算单更正" in page.content.decode()
    # Not the applicant's own draft, nor another street's reviewer.
    other = login_staff(type(client)(), street_staff("BY"))
    assert other.post(url, {"total_cost": "1", "insurance_paid": "0", "eligible_cost": "1",
                            "note": "x"}).status_code == 404  # fmt: skip


def test_medical_details_are_for_reviewers_only_and_every_view_is_logged(
    client, plan, covered, reviewer
):
    file_claim(login(client, covered), plan)
    application = Application.objects.get()
    from services.applications.services import attachment_add

    attachment = attachment_add(application=application, actor=covered.user, kind="discharge",
                                upload=pdf("出院记录.pdf", "d"))  # fmt: skip
    claim = ClaimDetails.objects.get()
    staff = login_staff(type(client)(), reviewer)
    page = staff.get(reverse("admin:mutual_aid_claimdetails_change", args=[claim.pk]))
    assert "急性阑尾炎" in page.content.decode()
    file_url = reverse("admin:applications_attachment_file", args=[attachment.pk])
    assert staff.get(file_url).status_code == 200
    logged = AuditEvent.objects.filter(staff=reviewer, action="medical", member=covered)
    assert logged.count() == 2
    finance = login_staff(type(client)(), street_staff(None, groups=["财务"]))
    assert finance.get(file_url).status_code == 403
    assert finance.get(
        reverse("admin:mutual_aid_claimdetails_change", args=[claim.pk])
    ).status_code in (302, 403)
    # The review page and the application list show no diagnosis.
    review = staff.get(reverse("admin:applications_application_review", args=[application.pk]))
    assert "急性阑尾炎" not in review.content.decode()


def test_nothing_paid_by_insurance_is_a_claim_too(client, plan, covered):
    response = file_claim(
        login(client, covered), plan, total_cost="6000", insurance_paid="0", eligible_cost="6000"
    )
    assert response.status_code == 302
    claim = ClaimDetails.objects.get()
    assert claim.insurance_paid == Decimal("0") and claim.eligible_cost == Decimal("6000")


def test_a_stay_before_the_cover_started_is_refused(client, plan, enterprise, approver):
    from services.mutual_aid.roster import coverage_add

    late = make_eligible(mobile="13600000055", employer=enterprise)
    coverage_add(plan=plan, member=late, enterprise=enterprise, actor=approver,
                 starts_on=timezone.localdate() - timedelta(days=3))  # fmt: skip
    response = file_claim(login(client, late), plan)  # admitted 12 days ago
    assert "之前的就诊不在保障范围内" in response.content.decode()
    assert not Application.objects.exists()


def test_a_correction_is_told_to_the_member_and_finance_cannot_open_it(
    client, plan, covered, reviewer
):
    from services.applications.models import Notification
    from services.mutual_aid.services import claim_correct

    file_claim(login(client, covered), plan)
    application = Application.objects.get()
    for kind in ("settlement", "discharge", "invoice"):
        from services.applications.services import attachment_add

        attachment_add(application=application, actor=covered.user, kind=kind,
                       upload=pdf(kind, kind))  # fmt: skip
    take(application, covered.user, "submit")
    claim_correct(claim=application.claim, actor=reviewer, note="按结算单更正",
                  amounts={"eligible_cost": Decimal("6000")})  # fmt: skip
    told = Notification.objects.filter(user=covered.user).latest("pk").text
    assert "已由审核人员更正" in told and "2,200.00 元" in told and "按结算单更正" in told
    finance = login_staff(type(client)(), street_staff(None, groups=["财务"]))
    url = reverse("admin:mutual_aid_claim_correct", args=[application.claim.pk])
    assert finance.get(url).status_code == 403
    # The review page links the claim's medical page; the view is logged with what was seen.
    staff = login_staff(type(client)(), reviewer)
    review = staff.get(reverse("admin:applications_application_review", args=[application.pk]))
    claim_url = reverse("admin:mutual_aid_claimdetails_change", args=[application.claim.pk])
    assert claim_url in review.content.decode()
    staff.get(claim_url)
    log = AuditEvent.objects.filter(action="medical").latest("pk")
    assert application.reference in log.subject
