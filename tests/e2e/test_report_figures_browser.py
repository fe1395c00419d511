"""The report counts itself, in a real browser: an editor starts this year's report from last
year's, checks its figures against the records, takes the live values and publishes; the
public report page then shows last year's values and the change. Screenshots of each page."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import AnnualReport
from reports.services import report_draft_next_year, report_import, report_publish
from services.applications.ledger import payment_batch_build, payment_line_record
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD, StaffUserFactory, street_staff
from tests.services.applications.conftest import approved, make_eligible, program

__all__ = ["program"]


@pytest.fixture
def last_year_published(transactional_db, staff_groups, report_2023_data, program):
    """Reports up to last year published (last year's CMK figures typed by hand), and this
    year's CMK records: five workers paid 14,000 元."""
    this_year = timezone.localdate().year
    report, _ = report_import(data=report_2023_data)
    while report.year < this_year - 1:
        report = report_draft_next_year(report=report, actor=None)
    report.figures.filter(source="ledger.paid_people", source_option="program:CMK").update(
        value=Decimal(3)
    )
    report.figures.filter(source="ledger.paid_amount", source_option="program:CMK").update(
        value=Decimal("1.5")
    )
    report.figures.filter(value=0).update(qualifier="")  # the rest typed as exact zeros
    report.title = f"{report.year}年报告"
    report.save()
    assert report_publish(report=report, user=None)
    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    finance = street_staff(None, groups=["财务"])
    for i, amount in enumerate(["3000", "2500", "4000", "1200", "3300"]):
        member = make_eligible(mobile=f"1391000000{i}", real_name=f"职工{i}")
        approved(program, member, reviewer, approver, amount=amount)
    batch = payment_batch_build(program=program, actor=finance)
    batch.exported_at = batch.created_at
    batch.save()
    for line in batch.lines.all():
        payment_line_record(line=line, paid=True, actor=finance)
    return report


def test_editor_takes_live_figures_and_the_public_sees_the_change(open_page, last_year_published):
    last = last_year_published
    editor = StaffUserFactory(groups=["报告编辑"])
    desk = open_page(DESKTOP)
    admin_login(desk, editor, TEST_PASSWORD)
    page = desk.page
    desk.goto("/admin/reports/annualreport/")
    page.locator(f"input[name=_selected_action][value='{last.pk}']").check()
    page.select_option("select[name=action]", "draft_next_year")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text(f"已新建 {last.year + 1} 年度报告草稿")
    draft = AnnualReport.objects.get(year=last.year + 1)

    page.get_by_role("link", name="去编辑").click()
    page.get_by_role("link", name="与服务记录核对").click()
    expect(page.locator("h1")).to_contain_text("数字与服务记录核对")
    row = page.locator("tr", has_text="“厂门口上大学”资助职工")
    expect(row).to_contain_text("5 名")
    desk.screenshot("admin-report-live-desktop")
    page.get_by_label("采用““厂门口上大学”资助职工”的实时数值").check()
    page.get_by_label("采用““厂门口上大学”资助专科学费”的实时数值").check()
    page.get_by_role("button", name="采用实时数值").click()
    expect(page.locator(".messagelist")).to_contain_text("已采用 2 个实时数值")
    expect(page.locator("tr", has_text="“厂门口上大学”资助专科学费")).to_contain_text("一致")

    desk.goto(f"/admin/reports/annualreport/{draft.pk}/change/")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("报告已发布")

    reader = open_page(PHONE)
    reader.goto(f"/reports/{draft.year}/")
    people = reader.page.locator(".figure", has_text="“厂门口上大学”资助职工")
    expect(people).to_contain_text(f"{last.year}年 3名，增加 2（+66.7%）")
    expect(people).to_contain_text("据服务记录统计")
    money = reader.page.locator(".figure", has_text="“厂门口上大学”资助专科学费")
    expect(money).to_contain_text("1.4万元")
    expect(money).to_contain_text(f"{last.year}年 1.5万元，减少 0.1（−6.7%）")
    people.scroll_into_view_if_needed()
    reader.screenshot("report-year-over-year-390", full_page=False)
    assert reader.page.evaluate("document.documentElement.scrollWidth") <= 390
    assert reader.axe_violations() == []
    reader.page.get_by_role("link", name="项目统计 JSON").click()
    assert '"min_group": 5' in reader.page.content()
