"""The payment batch as an Excel file for the bank (xlsxwriter: fast, write-only).

Bank card numbers are masked unless finance asks for them in full, which needs the
``reveal_bank_card`` permission and writes one reveal record per application. Every text
cell is neutralised so a name starting with = + - @ is never run as a formula.
"""

import io

import xlsxwriter

from services.applications.models import PaymentBatch
from services.members.models import PiiRevealLog
from services.members.pii import mask_id_number
from services.spreadsheets import neutralise_cell

HEADER = ["申请编号", "项目", "街道", "姓名", "身份证号", "收款银行卡号", "发放金额（元）"]


def payment_batch_xlsx(*, batch: PaymentBatch, staff, reveal: bool, ip_address=None) -> bytes:
    if reveal and not staff.has_perm("applications.reveal_bank_card"):
        raise PermissionError("no permission to export full bank card numbers")
    rows = batch.applications.select_related("program", "applicant", "street").order_by("reference")
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(batch.reference[:31])
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, HEADER, bold)
    total = 0
    for index, application in enumerate(rows, start=1):
        member = application.applicant
        card = application.bank_card if reveal else application.masked_bank_card
        if reveal:
            PiiRevealLog.objects.create(
                staff=staff, member=member, field="bank_card", ip_address=ip_address
            )
        values = [
            application.reference,
            application.program.name,
            str(application.street or ""),
            member.real_name,
            mask_id_number(member.id_number),
            card,
        ]
        sheet.write_row(index, 0, [neutralise_cell(v) for v in values])
        sheet.write_number(index, 6, float(application.approved_amount), money)
        total += application.approved_amount
    sheet.write(rows.count() + 1, 5, "合计", bold)
    sheet.write_number(rows.count() + 1, 6, float(total), money)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 5, 18)
    sheet.set_column(6, 6, 14)
    workbook.close()
    return buffer.getvalue()
