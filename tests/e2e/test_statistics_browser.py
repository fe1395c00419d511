"""The statistics page in a real browser: a district approver opens it, filters a street and
a month, downloads the Excel file, and the file holds the numbers the page shows; a street
reviewer on a phone sees their own street only. Screenshots of each page."""

from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD
from tests.services.applications.conftest import approver, finance, program
from tests.services.applications.test_statistics import YEAR, sheets, table, world

__all__ = ["approver", "finance", "program", "world"]


def page_rows(page, heading_id):
    """A table's body and total rows as text cells, read from the page as a person sees it."""
    table_ = page.locator(f"section:has(#{heading_id}) table, #{heading_id} ~ * table").first
    rows = table_.locator("tbody tr, tfoot tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def number(text) -> Decimal:
    return Decimal(str(text).replace(",", "").replace("%", "").strip() or "0")


def test_filter_export_and_the_file_holds_the_same_numbers(
    open_page, transactional_db, world, approver
):
    desk = open_page(DESKTOP)
    admin_login(desk, approver, TEST_PASSWORD)
    page = desk.page
    page.get_by_role("link", name="服务项目统计").click()
    expect(page.locator("h1")).to_contain_text("服务项目统计")
    page.select_option("#id_street", label="白杨街道")
    page.select_option("#id_month", label="4月")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("月份：")).to_be_visible()
    desk.screenshot("admin-statistics-filtered-desktop")
    shown = {
        name: page_rows(page, heading)
        for name, heading in (
            ("项目概览", "table-programs"),
            ("按街道", "table-streets"),
            ("按月份", "table-months"),
        )
    }
    # 白杨 in April: b1 and b2 submitted, b1's 2,000 approved, nothing paid in April there
    assert shown["按街道"][0][:4] == ["白杨街道", "2", "2,000.00", "0.00"]

    with page.expect_download() as caught:
        page.get_by_role("link", name="导出 Excel（全部表格）").click()
    book = sheets(Path(caught.value.path()).read_bytes())
    for name, rows in shown.items():
        in_file = table(book[name])
        assert [row[0] for row in in_file] == [row[0] for row in rows], name
        for file_row, page_row in zip(in_file, rows, strict=True):
            numbers = page_row[1:5] if name == "项目概览" else page_row[1:]
            assert [number(v) for v in file_row[1 : 1 + len(numbers)]] == [
                number(v) for v in numbers
            ], name
    filters = {row[0]: row[1] for row in book["按街道"][1:6]}
    assert filters["街道"] == "白杨街道" and filters["月份"] == f"{YEAR}年4月"
    assert desk.csp_violations() == []


def test_a_street_reviewer_on_a_phone_sees_their_street(open_page, transactional_db, world):
    phone = open_page(PHONE)
    admin_login(phone, world["xs_reviewer"], TEST_PASSWORD)
    phone.goto(f"/admin/statistics/?street={world['by'].pk}")
    content = phone.page.content()
    assert "只显示下沙街道的数字" in content and "白杨街道" not in content
    phone.screenshot("admin-statistics-street-390")
    assert phone.page.evaluate("document.body.scrollWidth") <= 390 + 1
    assert phone.axe_violations() == []
