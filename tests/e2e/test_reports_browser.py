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
@pytest.mark.parametrize(
    "path", ["/", "/reports/", "/reports/2023/", "/en/", "/en/reports/", "/en/reports/2023/"]
)
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


@VIEWPORTS
def test_every_section_leads_back_to_the_contents(open_page, report_2023_live, viewport):
    tab = open_page(viewport)
    tab.goto("/reports/2023/")
    page = tab.page
    back = page.get_by_role("link", name="返回目录")
    assert back.count() == 6  # four sections, the plans, open data
    section = page.locator("#section-3")
    section.get_by_role("link", name="返回目录").scroll_into_view_if_needed()
    tab.screenshot(f"report-back-to-toc-link-{viewport['width']}", full_page=False)
    # a keyboard user: the link, then Tab lands on the contents' first entry
    section.get_by_role("link", name="返回目录").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/2023/#toc")
    expect(page.locator("#toc")).to_be_in_viewport()
    page.keyboard.press("Tab")
    first = page.locator("#toc a").first
    assert first.evaluate("el => el === document.activeElement")
    tab.screenshot(f"report-back-at-toc-{viewport['width']}", full_page=False)
    # never printed: the contents are not printed either
    page.emulate_media(media="print")
    expect(back.first).to_be_hidden()
    expect(page.locator("#toc")).to_be_hidden()
    assert tab.csp_violations() == []


@VIEWPORTS
def test_numbers_read_with_thousands_separators(open_page, report_2023_live, viewport):
    tab = open_page(viewport)
    tab.goto("/reports/2023/")
    page = tab.page
    figure = page.locator(".figure", has_text="获得医疗互助补助职工")
    expect(figure.locator(".figure__number")).to_have_text("40,195")
    chart_value = page.locator(".chart__value", has_text="40,195名")
    expect(chart_value).to_be_visible()
    # the value beside the longest bar stays inside the chart's frame
    value_box = chart_value.bounding_box()
    chart_box = page.locator(".chart", has=chart_value).bounding_box()
    assert value_box["x"] + value_box["width"] <= chart_box["x"] + chart_box["width"]
    figure.scroll_into_view_if_needed()
    tab.screenshot(f"report-numbers-{viewport['width']}", full_page=False)
    chart_value.scroll_into_view_if_needed()
    tab.screenshot(f"report-chart-numbers-{viewport['width']}", full_page=False)


@VIEWPORTS
@pytest.mark.parametrize("path", ["/en/", "/en/reports/", "/en/reports/2023/"])
def test_chinese_content_is_marked_chinese_in_the_browser(
    open_page, report_2023_live, viewport, path
):
    """WCAG 3.1.2 as the browser parsed the page (the SVG included): every text with Chinese
    in it has a lang="zh…" ancestor below <html lang="en">."""
    tab = open_page(viewport, locale="en-GB")
    assert tab.goto(path).status == 200
    unmarked = tab.page.evaluate(
        r"""() => {
            const cjk = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const found = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!cjk.test(node.data)) continue;
                const owner = node.parentElement.closest('[lang]');
                if (!owner || owner === document.documentElement ||
                    !owner.getAttribute('lang').startsWith('zh')) found.push(node.data.trim());
            }
            return found;
        }"""
    )
    assert unmarked == []
    if path == "/en/reports/2023/":
        expect(tab.page.locator(".report-hero__language")).to_have_text(
            "This report is published in Chinese."
        )
    tab.screenshot(f"english{path.replace('/', '-')}-{viewport['width']}")
