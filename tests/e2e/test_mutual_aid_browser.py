"""职工医疗互助 in a real browser: a street reviewer uploads an employer's roster of 200 rows
with 5 bad ones and reads the report before confirming; a covered worker at 390 px files an
inpatient claim, sees the benefit line by line, uploads the proofs and submits; staff approve,
finance pays, and the worker's remaining yearly cap goes down. A screenshot of each page."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from services.applications.models import Application, PaymentBatch
from services.mutual_aid.models import Coverage, RosterImport
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.e2e.test_applications_browser import review
from tests.factories import TEST_PASSWORD, EnterpriseFactory, make_id_number, street_staff
from tests.services.applications.conftest import make_eligible, pdf
from tests.services.mutual_aid.conftest import person, roster_file


@pytest.fixture
def setting(transactional_db, staff_groups):
    from services.mutual_aid.models import Plan, PlanKind
    from services.mutual_aid.seed import seed_plans

    seed_plans()
    plan = Plan.objects.get(kind=PlanKind.INPATIENT)
    enterprise = EnterpriseFactory(name="钱塘精密制造有限公司")
    folder = Path(tempfile.mkdtemp())
    rows = [person(i) for i in range(195)]
    rows += [
        ("坏号码", "330114199001011230", "13711111111"),  # wrong check digit
        (rows[0][0], rows[0][1], "13722222222"),  # the same person twice
        ("错手机", make_id_number("330114", "19850101", 5), "1234"),
        ("", make_id_number("330114", "19850101", 7), "13733333333"),  # no name
        ("<b>张三</b>", make_id_number("330114", "19850101", 9), "13744444444"),
    ]
    roster = folder / "参保名单.xlsx"
    roster.write_bytes(roster_file(rows).getvalue())
    proofs = {}
    for name in ("结算单.pdf", "出院记录.pdf", "发票.pdf"):
        proofs[name] = folder / name
        proofs[name].write_bytes(pdf(name, name).read())
    return plan, enterprise, roster, proofs


def test_roster_report_then_a_claim_from_phone_to_payment(open_page, setting):
    plan, enterprise, roster, proofs = setting
    reviewer = street_staff("XS")
    staff = open_page(DESKTOP)
    admin_login(staff, reviewer, TEST_PASSWORD)
    staff.goto(reverse("admin:mutual_aid_rosterimport_changelist"))
    staff.page.get_by_role("link", name="上传参保名单").click()
    staff.page.select_option("#id_plan", label=str(plan))
    staff.page.select_option("#id_enterprise", label=str(enterprise))
    staff.page.get_by_label("名单文件（Excel）").set_input_files(roster)
    staff.screenshot("admin-roster-upload")
    staff.page.get_by_role("button", name="上传并检查").click()
    expect(staff.page.locator("#content-main")).to_contain_text(
        "共 200 行：可导入 195 行，不能导入 5 行"
    )
    expect(staff.page.locator("#content-main tbody tr")).to_have_count(5)
    staff.screenshot("admin-roster-report")
    assert not Coverage.objects.exists()
    staff.page.get_by_role("button", name="确认导入 195 人").click()
    expect(staff.page.locator("ul.messagelist")).to_contain_text("已导入 195 人")
    assert Coverage.objects.filter(plan=plan).count() == 195
    staff.page.set_viewport_size(PHONE)
    staff.goto(
        reverse("admin:mutual_aid_rosterimport_report", args=[RosterImport.objects.get().pk])
    )
    staff.screenshot("admin-roster-report-390")

    # A worker of the same employer with an account and a payee card, covered too.
    member = make_eligible(mobile="13655550001", real_name="周住院", employer=enterprise)
    from services.mutual_aid.roster import coverage_add

    coverage_add(
        plan=plan, member=member, enterprise=enterprise, actor=reviewer,
        starts_on=plan.cover_starts,
    )  # fmt: skip

    worker = open_page(PHONE)
    page = worker.page
    worker.goto("/accounts/login/")
    page.get_by_label("手机号", exact=True).fill(member.mobile)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    worker.goto("/me/mutual-aid/")
    expect(page.locator("main")).to_contain_text("30,000.00 元")
    worker.screenshot("mutual-aid-mine-390")
    page.get_by_role("link", name="申请理赔").click()
    today = timezone.localdate()
    page.get_by_label("理赔类型").select_option(label="住院")
    page.get_by_label("医院", exact=True).fill("杭州市第一人民医院")
    page.get_by_label("医院级别").select_option(label="三级医院")
    page.get_by_label("入院（就诊）日期").fill((today - timedelta(days=12)).isoformat())
    page.get_by_label("出院日期").fill((today - timedelta(days=5)).isoformat())
    page.get_by_label("诊断").fill("急性阑尾炎")
    page.get_by_label("医疗费用总额（元）").fill("20000")
    page.get_by_label("基本医保已支付（元）").fill("11000")
    page.get_by_label("合规自付费用（元）").fill("8000")
    page.get_by_label("发票号码").fill("33010026110001\n33010026110002")
    page.get_by_role("button", name="计算给付金额").click()
    benefit = page.get_by_role("status").filter(has_text="按本计划的规则可以给付")
    expect(benefit).to_contain_text("3,000.00 元")
    expect(benefit).to_contain_text("7,500.00 元 × 40%")
    expect(benefit).to_contain_text("这次批准后还剩 27,000.00 元")
    expect(benefit).to_be_in_viewport()
    assert worker.axe_violations() == []
    worker.screenshot("mutual-aid-claim-preview-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="保存草稿，下一步上传材料").click()
    application = Application.objects.get()
    for kind, name in [("医保结算单", "结算单.pdf"), ("出院记录或门诊病历", "出院记录.pdf"),
                       ("医疗费用发票", "发票.pdf")]:  # fmt: skip
        page.get_by_label("材料类型").select_option(label=kind)
        page.get_by_label("文件").set_input_files(proofs[name])
        page.get_by_role("button", name="上传").click()
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".status").first).to_have_text("已提交，待初审")
    worker.screenshot("mutual-aid-claim-submitted-390")

    street = staff  # the same reviewer, on the phone (a TOTP code is good for one login)
    review(street, application, "初审通过，推荐到区总复审", shot="admin-claim-review-390")
    district = open_page(DESKTOP)
    admin_login(district, street_staff(None, groups=["区总复审员"]), TEST_PASSWORD)
    review(district, application, "复审批准")

    finance = open_page(DESKTOP)
    admin_login(finance, street_staff(None, groups=["财务"]), TEST_PASSWORD)
    finance.goto(reverse("admin:applications_paymentbatch_build"))
    finance.page.select_option("#id_program", label=str(plan.program))
    finance.page.get_by_role("button", name="生成批次").click()
    expect(finance.page.locator("ul.messagelist")).to_contain_text("已生成发放批次")
    batch = PaymentBatch.objects.get()
    with finance.page.expect_download():
        finance.page.get_by_role("link", name="下载 Excel（银行卡号遮蔽）").click()
    finance.page.reload()
    finance.page.get_by_role("link", name="录入银行结果").click()
    finance.page.select_option(f"#id_line-{batch.lines.get().pk}-result", "paid")
    finance.page.get_by_role("button", name="保存银行结果").click()
    expect(finance.page.locator("ul.messagelist")).to_contain_text("成功 1 笔")
    # Finance pays but does not open the medical documents.
    claim_page = reverse("admin:mutual_aid_claimdetails_change", args=[application.claim.pk])
    assert finance.goto(claim_page).status in (302, 403)

    worker.goto("/me/mutual-aid/")
    expect(page.locator("main")).to_contain_text("27,000.00 元")
    expect(page.locator("main")).to_contain_text("已发放")
    worker.screenshot("mutual-aid-mine-after-payment-390")
    for tab in (staff, worker, street, district, finance):
        assert tab.csp_violations() == []
