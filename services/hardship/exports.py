"""A campaign's household visits as an Excel file for staff: who was visited (masked mobile),
when, by whom, cash and goods; repeated visits marked. No income, causes or illness."""

import io

from django.utils.translation import gettext as _

from services.members.selectors import staff_scope


def visits_xlsx(campaign, user) -> bytes:
    import xlsxwriter  # loaded when a file is made, not by every process

    visits = staff_scope(user).filter(
        campaign.household_visits.select_related("file__member", "street").order_by(
            "street", "visited_on", "id"
        )
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet(_("走访清单"))
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, [str(campaign)])
    header = [_("档案号"), _("姓名"), _("手机号"), _("街道"), _("走访日期"), _("走访人员"),
              _("慰问金（元）"), _("慰问品"), _("慰问品价值（元）"), _("重复走访")]  # fmt: skip
    sheet.write_row(1, 0, header)
    row = 2
    for visit in visits.iterator(chunk_size=2000):
        member = visit.file.member
        texts = [
            visit.file.reference, member.real_name, member.masked_mobile, visit.street.name,
            f"{visit.visited_on:%Y-%m-%d}", visit.visitors,
        ]  # fmt: skip
        for column, text in enumerate(texts):
            sheet.write_string(row, column, text)  # never a formula, whatever was typed
        sheet.write_number(row, 6, float(visit.cash), money)
        sheet.write_string(row, 7, visit.goods)
        sheet.write_number(row, 8, float(visit.goods_value), money)
        sheet.write_string(row, 9, _("是") if visit.repeat else "")
        row += 1
    sheet.set_column(0, 9, 14)
    book.close()
    return buffer.getvalue()
