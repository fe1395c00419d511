"""The payment batch as an Excel file for the bank (xlsxwriter: fast, write-only).

It prints as finance files it: A4 landscape, one page wide, the header row repeated on every
page, the batch reference, program and date in the title, a totals row, and lines for the
signatures of the preparer and the approver. Two empty columns, 银行结果 and 失败原因, are
for the bank's answer; the same file comes back and is read by ``bank_results``.

Bank card numbers are masked unless finance asks for them in full, which needs the
``reveal_bank_card`` permission and writes one reveal record per member. Every text cell is
neutralised so a name starting with = + - @ is never run as a formula.
"""

import io

from django.utils import timezone

from services.applications.ledger import entry_remarks
from services.applications.models import PaymentBatch
from services.members.audit import Action, audit_record
from services.members.pii import mask_card
from services.spreadsheets import neutralise_cell

HEADER = [
    "序号", "款项", "街道", "姓名", "身份证号", "收款银行卡号", "金额（元）", "银行结果",
    "失败原因", "核对提示",
]  # fmt: skip
WIDTHS = [6, 30, 9, 9, 21, 23, 12, 9, 16, 24]


def payment_batch_xlsx(*, batch: PaymentBatch, actor, reveal: bool, ip_address=None) -> bytes:
    import xlsxwriter  # loaded when a file is made, not by every process

    if reveal and not actor.has_perm("applications.reveal_bank_card"):
        raise PermissionError("no permission to export full bank card numbers")
    lines = list(
        batch.lines.select_related("entry", "entry__member", "entry__member__street").order_by(
            "sequence"
        )
    )
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(batch.reference[:31])
    title = workbook.add_format({"bold": True, "font_size": 14})
    bold = workbook.add_format(
        {"bold": True, "border": 1, "bg_color": "#EEEEEE", "text_wrap": True}
    )
    cell = workbook.add_format({"border": 1})
    money = workbook.add_format({"border": 1, "num_format": "#,##0.00"})
    wrap = workbook.add_format({"border": 1, "text_wrap": True, "font_size": 9})
    total_money = workbook.add_format({"bold": True, "border": 1, "num_format": "#,##0.00"})

    created = timezone.localtime(batch.created_at)
    program = batch.program.name if batch.program else ""
    sheet.write(0, 0, neutralise_cell(f"钱塘区总工会 补助发放表 {batch.reference}"), title)
    sheet.write(1, 0, neutralise_cell(f"项目：{program}    生成日期：{created:%Y-%m-%d}"))
    sheet.write_row(3, 0, HEADER, bold)
    row = 4
    total = 0
    for line in lines:
        member = line.entry.member
        if reveal:
            audit_record(
                actor=actor, member=member, action=Action.BANK_CARD, ip_address=ip_address,
                obj=batch, subject=batch.reference,
            )  # fmt: skip
            card = member.bank_card
        else:
            card = mask_card(member.bank_card_last4)
        values = [
            line.entry.purpose, str(member.street or ""), member.real_name,
            member.masked_id_number, card,
        ]  # fmt: skip
        sheet.write_number(row, 0, line.sequence, cell)
        sheet.write_row(row, 1, [neutralise_cell(v) for v in values], cell)
        sheet.write_number(row, 6, float(line.amount), money)
        sheet.write_blank(row, 7, None, cell)
        sheet.write_blank(row, 8, None, cell)
        sheet.write(row, 9, neutralise_cell("；".join(entry_remarks(line.entry))), wrap)
        total += line.amount
        row += 1
    sheet.write(row, 5, f"合计 {len(lines)} 笔", bold)
    sheet.write_number(row, 6, float(total), total_money)
    row += 3
    sheet.write(row, 0, "经办人（签字）：")
    sheet.write(row, 4, "审核人（签字）：")
    sheet.write(row, 7, "日期：")

    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    sheet.repeat_rows(3)  # the header row on every printed page
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L{batch.reference}&R&P / &N")
    sheet.freeze_panes(4, 0)
    workbook.close()
    return buffer.getvalue()
