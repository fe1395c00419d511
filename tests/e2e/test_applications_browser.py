"""厂门口上大学 end to end in a real browser: a worker on a phone applies with two PDF proofs,
staff ask for more, the worker adds a proof and resubmits, the street reviewer (on a phone and
at a desk) sees the school, major and declared months and recommends, the district approver
approves, finance builds a batch, exports it for the bank and records one line failed and the
rest paid, and the worker sees every step on the timeline and in the inbox. A screenshot of
each page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from services.applications.models import Application, LedgerEntry, PaymentBatch, Program
from services.members.models import VerificationStatus
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD, MemberFactory, street_staff
from tests.services.applications.conftest import approved, make_eligible, pdf


@pytest.fixture
def setting(transactional_db, staff_groups, tmp_path):
    now = timezone.now()
    program = Program.objects.create(
        code="CMK", name="厂门口上大学", year=now.year, kind="tuition",
        description="资助会员读专科。", eligibility_text="入会满6个月的会员。",
        rule_params={"share": "0.6", "cap": "4000"}, required_proofs=["admission", "receipt"],
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        budget=Decimal("1840000"), per_person_cap=Decimal("4000"),
    )  # fmt: skip
    member = MemberFactory(
        mobile="13900000789", real_name="郑学员",
        verification_status=VerificationStatus.VERIFIED,
        joined_on=timezone.localdate() - timedelta(days=400), membership_number="QT2025000009",
    )  # fmt: skip
    files = {}
    for name in ("录取通知书.pdf", "学费收据.pdf", "收据原件.pdf"):
        path = tmp_path / name
        path.write_bytes(pdf(name, marker=name).read())
        files[name] = str(path)
    return program, member, files


def staff_tab(open_page, user, viewport=DESKTOP):
    tab = open_page(viewport)
    admin_login(tab, user, TEST_PASSWORD)
    return tab


def review(tab, application, choice, note="", shot=""):
    tab.goto(reverse("admin:applications_application_review", args=[application.pk]))
    tab.page.get_by_label(choice).check()
    if note:
        tab.page.get_by_label("说明").fill(note)
    if shot:
        tab.screenshot(shot)
    tab.page.get_by_role("button", name="保存审核结果").click()
    expect(tab.page.locator("ul.messagelist")).to_contain_text("审核结果已保存")


def test_tuition_application_from_phone_to_payment(open_page, setting):
    program, member, files = setting
    worker = open_page(PHONE)
    page = worker.page
    worker.goto("/accounts/login/")
    page.get_by_label("手机号", exact=True).fill(member.mobile)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    worker.goto("/services/")
    worker.screenshot("services-390")
    page.get_by_role("link", name="厂门口上大学", exact=True).click()
    worker.screenshot("program-390")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_label("学校").fill("浙江工业职业技术学院")
    page.get_by_label("专业").fill("机电一体化")
    page.get_by_label("学年").fill("2026-2027")
    page.get_by_label("实际缴纳学费（元）").fill("5000")
    page.get_by_label("在本区缴纳社保的月数").fill("18")
    page.get_by_label("收款银行卡号").fill("6222021234567890128")
    page.get_by_role("button", name="计算补助金额").click()
    amount = page.get_by_role("status").filter(has_text="按规则可以补助")
    expect(amount).to_contain_text("3,000.00 元")
    expect(amount).to_be_in_viewport()  # on a phone the result is in view, not below the fold
    assert worker.axe_violations() == []
    worker.screenshot("apply-preview-390")
    page.get_by_role("button", name="保存草稿，下一步上传材料").click()

    application = Application.objects.get()
    for kind, name in [("录取通知书", "录取通知书.pdf"), ("学费发票或收据", "学费收据.pdf")]:
        page.get_by_label("材料类型").select_option(label=kind)
        page.get_by_label("文件").set_input_files(files[name])
        page.get_by_role("button", name="上传").click()
        expect(page.get_by_role("link", name=name)).to_be_visible()
    worker.screenshot("application-draft-390")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".status").first).to_have_text("已提交，待初审")
    assert worker.axe_violations() == []
    worker.screenshot("application-submitted-390")

    reviewer = street_staff("XS")
    on_phone = staff_tab(open_page, reviewer, PHONE)
    on_phone.goto(reverse("admin:applications_application_review", args=[application.pk]))
    for declared in ["浙江工业职业技术学院", "机电一体化", "2026-2027", "18 个月", "5,000.00 元"]:
        expect(on_phone.page.locator("#content-main")).to_contain_text(declared)
    expect(on_phone.page.get_by_label("批准金额（元）")).to_have_count(0)
    on_phone.screenshot("admin-review-390")
    street = on_phone  # the same reviewer at a desk (a TOTP code is good for one login)
    street.page.set_viewport_size(DESKTOP)
    street.goto(reverse("admin:applications_application_change", args=[application.pk]))
    expect(street.page.locator("#content-main")).to_contain_text("18 个月")
    street.screenshot("admin-application-1280")
    review(street, application, "需补充材料", "请上传盖章的学费收据原件", "admin-review-needs-info")

    worker.goto(f"/me/applications/{application.pk}/")
    expect(page.locator(".timeline")).to_contain_text("请上传盖章的学费收据原件")
    page.get_by_label("材料类型").select_option(label="学费发票或收据")
    page.get_by_label("文件").set_input_files(files["收据原件.pdf"])
    page.get_by_role("button", name="上传").click()
    worker.screenshot("application-needs-info-390")
    page.get_by_role("button", name="补充完毕，重新提交").click()
    expect(page.locator(".status").first).to_have_text("已提交，待初审")

    review(street, application, "初审通过，推荐到区总复审")
    district = staff_tab(open_page, street_staff(None, groups=["区总复审员"]))
    review(district, application, "复审批准", shot="admin-review-approve")

    # Two more approved applications wait in the same program.
    district_user = Application.objects.get().decided_by
    others = [
        approved(program, make_eligible(mobile=f"1390000079{i}", real_name=name), reviewer,
                 district_user, amount)
        for i, (name, amount) in enumerate([("钱学员", "2000"), ("孙学员", "1500")])
    ]  # fmt: skip

    finance = staff_tab(open_page, street_staff(None, groups=["财务"]))
    finance.goto(reverse("admin:applications_paymentbatch_changelist"))
    finance.page.get_by_role("link", name="生成发放批次").click()
    finance.page.select_option("#id_program", label=str(program))
    finance.screenshot("admin-batch-build")
    finance.page.get_by_role("button", name="生成批次").click()
    expect(finance.page.locator("ul.messagelist")).to_contain_text("已生成发放批次")
    batch = PaymentBatch.objects.get()
    assert batch.lines.count() == 3
    finance.screenshot("admin-payment-batch")
    with finance.page.expect_download() as download:
        finance.page.get_by_role("link", name="下载 Excel（银行卡号遮蔽）").click()
    assert download.value.suggested_filename == f"{batch.reference}.xlsx"
    finance.page.reload()
    finance.page.get_by_role("link", name="录入银行结果").click()
    failing = batch.lines.get(entry__source_id=others[0].pk)
    for line in batch.lines.all():
        finance.page.select_option(
            f"#id_line-{line.pk}-result", "failed" if line == failing else "paid"
        )
    finance.page.fill(f"#id_line-{failing.pk}-note", "户名与卡号不符")
    finance.screenshot("admin-bank-results")
    finance.page.get_by_role("button", name="保存银行结果").click()
    expect(finance.page.locator("ul.messagelist")).to_contain_text("成功 2 笔，失败 1 笔")
    finance.screenshot("admin-payment-batch-closed")
    assert LedgerEntry.objects.get(source_id=others[0].pk).status == "reserved"
    assert Application.objects.get(pk=others[0].pk).status == "approved"
    assert Application.objects.get(pk=others[1].pk).status == "paid"
    assert street.csp_violations() == [] and finance.csp_violations() == []

    worker.goto(f"/me/applications/{application.pk}/")
    timeline = page.locator(".timeline")
    for words in ["已提交，待初审", "需补充材料", "初审通过，待复审", "已批准，待发放", "已发放"]:
        expect(timeline).to_contain_text(words)
    worker.screenshot("application-paid-390")
    worker.goto("/me/inbox/")
    expect(page.locator("main")).to_contain_text("补助 3,000.00 元已发放")
    assert worker.axe_violations() == []
    worker.screenshot("inbox-390")
    desktop = open_page(DESKTOP)
    desktop.goto("/services/")
    desktop.screenshot("services-1280")
