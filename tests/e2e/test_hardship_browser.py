"""困难职工帮扶 in a real browser: a worker at 390 px asks for help; a street reviewer records
the home visit on a phone and opens a file; the district creates a Spring Festival campaign
for the active files of the street; the reviewer records visits in the field (one household
twice: flagged); the campaign page shows the totals. A screenshot of each page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from services.hardship.models import Campaign, HardshipFile, HelpRequest, HouseholdVisit
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD, MemberFactory, street_staff


@pytest.fixture
def setting(transactional_db, staff_groups):
    worker = MemberFactory(mobile="13300000001", real_name="困难甲")
    neighbour = MemberFactory(mobile="13300000002", real_name="困难乙")
    HardshipFile.objects.create(
        member=neighbour, street=neighbour.street, tier="relative", causes=["schooling"],
        household_size=4, income_per_head=Decimal("900"),
    )  # fmt: skip
    return worker, neighbour


def test_help_request_file_campaign_and_visits(open_page, setting):
    worker_member, neighbour = setting
    worker = open_page(PHONE)
    page = worker.page
    worker.goto("/accounts/login/")
    page.get_by_label("手机号", exact=True).fill(worker_member.mobile)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    worker.goto("/me/hardship/")
    page.get_by_label("本人或家人患大病").check()
    page.get_by_label("子女就学负担重").check()
    page.get_by_label("家庭人口").fill("3")
    page.get_by_label("家庭人均月收入（元）").fill("850")
    page.get_by_label("家庭情况").fill("丈夫患尿毒症每周透析，女儿读高中")
    worker.screenshot("hardship-ask-390")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("帮扶申请已提交")
    expect(page.get_by_text("已提交，待入户核实", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert worker.axe_violations() == []
    help_request = HelpRequest.objects.get()

    reviewer = street_staff("XS")
    street = open_page(PHONE)
    admin_login(street, reviewer, TEST_PASSWORD)
    street.goto(reverse("admin:hardship_helprequest_decide", args=[help_request.pk]))
    street.page.get_by_label("已入户核实").check()
    street.page.get_by_label("说明").fill("家中确有重病人，收入低")
    street.page.get_by_label("入户核实日期").fill(timezone.localdate().isoformat())
    street.page.get_by_label("核实人员").fill("张主席、李干事")
    street.screenshot("admin-hardship-visit-390")
    street.page.get_by_role("button", name="保存").click()
    expect(street.page.locator("ul.messagelist")).to_contain_text("已办理")
    street.goto(reverse("admin:hardship_helprequest_decide", args=[help_request.pk]))
    street.page.get_by_label("建档", exact=True).check()
    street.page.get_by_label("困难类别（建档时选择）").select_option(label="深度困难")
    street.page.get_by_role("button", name="保存").click()
    expect(street.page.locator("ul.messagelist")).to_contain_text("已办理")
    file = HardshipFile.objects.get(member=worker_member)
    worker.goto("/me/hardship/")
    expect(page.get_by_text("已建档", exact=True)).to_be_visible()
    worker.screenshot("hardship-filed-390")

    district = open_page(DESKTOP)
    admin_login(district, street_staff(None, groups=["区总复审员"]), TEST_PASSWORD)
    district.goto(reverse("admin:hardship_campaign_add"))
    district.page.get_by_label("活动名称").fill("2026年春节送温暖")
    district.page.get_by_label("活动类型").select_option(label="春节送温暖")
    district.page.get_by_label("年度").fill(str(timezone.localdate().year))
    district.page.get_by_label("预算（元）").fill("300000")
    district.page.get_by_label("每户慰问金标准（元）").fill("500")
    district.page.get_by_role("button", name="保存", exact=True).click()
    campaign = Campaign.objects.get()
    district.goto(reverse("admin:hardship_campaign_targets", args=[campaign.pk]))
    district.page.get_by_label("街道").select_option(label="下沙街道")
    district.page.get_by_role("button", name="保存").click()
    expect(district.page.locator("ul.messagelist")).to_contain_text("已加入 2 户在册档案")

    visits = ((file, "500", "admin-household-visit-390"), (neighbour, "500", ""), (file, "0", ""))
    for target, cash, shot in visits:
        street.goto(reverse("admin:hardship_campaign_visit", args=[campaign.pk]))
        target_file = target if isinstance(target, HardshipFile) else target.hardship_files.get()
        street.page.select_option("#id_file", str(target_file.pk))
        street.page.get_by_label("走访日期").fill(timezone.localdate().isoformat())
        street.page.get_by_label("走访人员").fill("张主席")
        street.page.get_by_label("慰问金（元）").fill(cash)
        street.page.fill("#id_goods", "米、油")
        if shot:
            street.screenshot(shot)
            assert street.page.evaluate("document.documentElement.scrollWidth") <= 390
        street.page.get_by_role("button", name="保存").click()
    expect(street.page.locator("ul.messagelist")).to_contain_text("重复走访")
    assert [v.repeat for v in HouseholdVisit.objects.order_by("pk")] == [False, False, True]

    district.goto(reverse("admin:hardship_campaign_summary", args=[campaign.pk]))
    main = district.page.locator("#content-main")
    expect(main).to_contain_text("1,000.00 元")  # two households of 500; the repeat no cash
    expect(main).to_contain_text("299,000.00 元")
    expect(main).to_contain_text("重复走访")
    district.screenshot("admin-campaign-summary")
    for tab in (worker, street, district):
        assert tab.csp_violations() == []
