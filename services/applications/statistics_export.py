"""The statistics page as an Excel file: one sheet per table (programs, statuses, streets,
months) and one with what the numbers mean.

Every sheet starts with the filters it was made with, then a header row, the rows and the
totals, exactly as the page shows them (both are drawn from one ``Statistics``). Counts and
money are numbers, not text (money with two decimals and thousands separators, the budget
share as a percentage), so staff can add them up. Aggregates only: no name, number or
anything else about a person. Text (program names, typed by staff) is neutralised, so a name
starting with = + - @ is never run as a formula.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from services.applications.statistics import NOTES, Line, Statistics, describe_filters
from services.spreadsheets import neutralise_cell


class _Sheet:
    """A worksheet written top to bottom, as xlsxwriter's constant-memory mode requires."""

    def __init__(self, book, formats, name: str, stats: Statistics, header: list[str]):
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        self.row = 0
        self.text(0, _("钱塘区总工会 服务项目统计"), formats["title"])
        self.row += 1
        for label, value in describe_filters(stats.filters):
            self.text(0, label)
            self.text(1, value)
            self.row += 1
        self.text(0, _("导出时间"))
        self.text(1, f"{timezone.localtime():%Y-%m-%d %H:%M}")
        self.row += 2
        for column, title in enumerate(header):
            self.text(column, title, formats["header"])
        self.sheet.set_column(0, 0, 28)
        self.sheet.set_column(1, len(header) - 1, 16)
        self.sheet.freeze_panes(self.row + 1, 1)
        self.row += 1

    def text(self, column: int, value, cell_format=None) -> None:
        self.sheet.write_string(self.row, column, neutralise_cell(str(value)), cell_format)

    def count(self, column: int, value: int, bold=False) -> None:
        self.sheet.write_number(self.row, column, value, self.formats["bold" if bold else "count"])

    def money(self, column: int, value, bold=False) -> None:
        name = "money_bold" if bold else "money"
        self.sheet.write_number(self.row, column, float(value), self.formats[name])

    def line(self, line: Line, *, bold=False, budget=False) -> None:
        """A program, street or month row: label, (budget,) submitted, approved, paid(, share)."""
        self.text(0, line.label, self.formats["bold_text"] if bold else None)
        column = 1
        if budget:
            self.money(column, line.budget, bold)
            column += 1
        self.count(column, line.submitted, bold)
        self.money(column + 1, line.approved, bold)
        self.money(column + 2, line.paid, bold)
        if budget:
            if line.share is None:
                self.text(column + 3, "—")
            else:
                self.sheet.write_number(
                    self.row, column + 3, float(line.share), self.formats["share"]
                )
        self.row += 1


def statistics_xlsx(stats: Statistics) -> bytes:
    import xlsxwriter  # loaded when a file is made, not by every process

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "constant_memory": True, "strings_to_formulas": False}
    )
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1}),
        "bold_text": book.add_format({"bold": True}),
        "count": book.add_format({"num_format": "#,##0"}),
        "bold": book.add_format({"num_format": "#,##0", "bold": True}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "money_bold": book.add_format({"num_format": "#,##0.00", "bold": True}),
        "share": book.add_format({"num_format": "0.0%"}),
    }
    amounts = [_("已提交申请"), _("批准金额（元）"), _("已发放金额（元）")]

    programs = _Sheet(book, formats, _("项目概览"), stats,
                      [_("项目"), _("预算（元）"), *amounts, _("预算使用")])  # fmt: skip
    for line in stats.programs:
        programs.line(line, budget=True)
    programs.line(stats.programs_total, bold=True, budget=True)

    columns = [_("项目"), *stats.status_columns, _("合计")]
    statuses = _Sheet(book, formats, _("申请状态"), stats, columns)
    for line in stats.programs:
        statuses.text(0, line.label)
        for column, count in enumerate([*line.statuses, line.status_total], start=1):
            if count is None:
                statuses.text(column, "—")
            else:
                statuses.count(column, count)
        statuses.row += 1
    statuses.text(0, _("合计"), formats["bold_text"])
    totals = stats.status_totals
    for column, count in enumerate([*totals, stats.applications_total], start=1):
        statuses.count(column, count, bold=True)

    streets = _Sheet(book, formats, _("按街道"), stats, [_("街道"), *amounts])
    for line in stats.streets:
        streets.line(line)
    streets.line(stats.streets_total, bold=True)

    months = _Sheet(book, formats, _("按月份"), stats, [_("月份"), *amounts])
    for line in stats.months:
        months.line(line)
    months.line(stats.months_total, bold=True)

    notes = book.add_worksheet(pgettext("statistics workbook sheet", "说明"))
    notes.set_column(0, 0, 120)
    for row, note in enumerate(NOTES):
        notes.write_string(row, 0, neutralise_cell(str(note)))
    book.close()
    return buffer.getvalue()
