"""The annual report as readers and editors meet it in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import AnnualReport
from reports.services import report_import
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import (
    TEST_PASSWORD,
    AnnualReportFactory,
    ReportSectionFactory,
    StaffUserFactory,
)

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def report_2023_live(transactional_db, report_2023_data):
    report, _ = report_import(data=report_2023_data)
    return report


@VIEWPORTS
def test_report_page_renders_every_section_and_figure(open_page, report_2023_live, viewport):
    tab = open_page(viewport)
    response = tab.goto("/reports/2023/")
    assert response.status == 200
    page = tab.page
    headings = page.locator(".report-section__title").all_inner_texts()
    assert len(headings) == 6  # four sections, the plans, open data
    for section in report_2023_live.sections.all():
        assert any(section.heading in heading for heading in headings)
    assert page.locator(".report-content .figure").count() == 72
    assert page.locator("svg[role=img]").count() >= 4
    assert page.locator(".plan").count() == 4
    # the table of contents takes the reader to a section
    page.get_by_role("link", name="“三大机制” 维护职工合法权益取得实效").click()
    assert page.url.endswith("#section-3")
    assert tab.csp_violations() == []
    tab.screenshot(f"report-2023-{viewport['width']}")


def test_unpublished_report_is_a_404_for_the_public(open_page, transactional_db):
    ReportSectionFactory(report__year=2031, heading="草稿章节")
    tab = open_page()
    response = tab.goto("/reports/2031/")
    assert response.status == 404
    assert "草稿章节" not in tab.page.content()
    assert "页面不存在" in tab.page.content()
    tab.screenshot("report-draft-404")


def test_editor_edits_previews_and_publishes_a_draft(open_page, transactional_db, staff_groups):
    editor = StaffUserFactory(username="editor1", groups=["报告编辑"])
    report = AnnualReportFactory(year=2024, title="2024年度报告")
    ReportSectionFactory(report=report, order=1, heading="旧的章节标题", body="旧的正文。")

    tab = open_page(DESKTOP)
    page = tab.page
    admin_login(tab, editor, TEST_PASSWORD)

    tab.goto(reverse("admin:reports_annualreport_change", args=[report.pk]))
    page.fill("#id_sections-0-heading", "新的章节标题")
    page.fill("#id_sections-0-body", "今年**新**写的正文。")
    page.click("input[name=_continue]")
    expect(page.locator("ul.messagelist")).to_contain_text("成功修改了")
    expect(page.locator(".report-state")).to_contain_text("草稿：公众看不到这份报告")
    tab.screenshot("admin-report-edited")

    public = open_page(PHONE)
    assert public.goto("/reports/2024/").status == 404

    page.get_by_role("link", name="预览").click()
    expect(page.locator(".preview-banner")).to_be_visible()
    assert "新的章节标题" in page.content()
    assert page.locator("strong", has_text="新").count() == 1
    assert page.locator(".preview-banner").is_visible()
    tab.screenshot("admin-report-preview")

    tab.goto(reverse("admin:reports_annualreport_changelist"))
    page.check(f"input[name=_selected_action][value='{report.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist")).to_contain_text("已发布 1 份报告")
    tab.screenshot("admin-report-published")
    assert tab.csp_violations() == []

    assert public.goto("/reports/2024/").status == 200
    assert "新的章节标题" in public.page.content()
    public.screenshot("report-2024-published-phone")
    assert AnnualReport.objects.get(year=2024).is_published


@VIEWPORTS
@pytest.mark.parametrize("path", ["/", "/reports/", "/reports/2023/", "/en/reports/2023/"])
def test_public_pages_pass_axe(open_page, report_2023_live, viewport, path):
    tab = open_page(viewport)
    assert tab.goto(path).status == 200
    assert tab.axe_violations() == []
    assert tab.csp_violations() == []
    tab.screenshot(f"axe{path.replace('/', '-')}-{viewport['width']}", full_page=False)


def test_keyboard_user_can_skip_to_content(open_page, report_2023_live):
    tab = open_page(PHONE)
    tab.goto("/reports/2023/")
    tab.page.keyboard.press("Tab")
    skip = tab.page.get_by_role("link", name="跳到正文")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    tab.screenshot("skip-link-focused", full_page=False)


def test_language_switch(open_page, report_2023_live):
    tab = open_page(PHONE)
    tab.goto("/reports/2023/")
    tab.page.get_by_role("link", name="English").click()
    tab.page.wait_for_url("**/en/reports/2023/")
    assert tab.page.locator("html").get_attribute("lang") == "en"
    assert tab.page.get_by_role("heading", name="Contents").is_visible()
    tab.screenshot("report-2023-english-phone", full_page=False)
