"""Reading the bank's return file for a payment batch (python-calamine: fast, reads .xlsx and
.xls without formulas running).

Finance sends the batch's Excel file to the bank and gets it back with two columns filled in,
"银行结果" (成功 / 失败) and "失败原因". Every row is checked against the batch before
anything is recorded: the line number exists and still waits for a result, the amount (when
the column is there) matches, a failure has a reason. Any bad row and nothing is recorded;
the page lists each row's problem.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

PAID_WORDS = {"成功", "已成功", "success", "paid", "ok"}
FAILED_WORDS = {"失败", "已失败", "failed", "fail", "退回"}
MAX_ROWS = 20_000


@dataclass
class BankResults:
    results: list = field(default_factory=list)  # (line, paid, note)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.results)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_bank_results(*, batch, upload) -> BankResults:
    report = BankResults()
    try:
        rows = CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, OSError, IndexError):
        report.problems.append(_("无法读取这个文件；请上传 Excel 文件（.xlsx 或 .xls）。"))
        return report
    header_at = next(
        (i for i, row in enumerate(rows[:30]) if {"序号", "银行结果"} <= {_text(c) for c in row}),
        None,
    )
    if header_at is None:
        report.problems.append(_("文件中找不到“序号”和“银行结果”两列的表头。"))
        return report
    header = [_text(c) for c in rows[header_at]]
    col = {
        name: header.index(name)
        for name in ("序号", "银行结果", "失败原因", "金额（元）")
        if name in header
    }
    lines = {line.sequence: line for line in batch.lines.select_related("entry")}
    seen = set()
    for number, row in enumerate(
        rows[header_at + 1 : header_at + 1 + MAX_ROWS], start=header_at + 2
    ):
        cells = [_text(c) for c in row] + [""] * len(header)
        sequence, result = cells[col["序号"]], cells[col["银行结果"]]
        if not sequence or not sequence.isdigit():
            continue  # blank rows, the totals and the signature lines
        if not result:
            continue  # the bank has not answered for this line yet
        where = _("第 %(row)s 行（序号 %(seq)s）") % {"row": number, "seq": sequence}
        line = lines.get(int(sequence))
        if line is None:
            report.problems.append(where + _("：本批次没有这个序号。"))
            continue
        if line.sequence in seen:
            report.problems.append(where + _("：序号重复。"))
            continue
        seen.add(line.sequence)
        if line.result != "pending":
            report.problems.append(where + _("：这一行的结果已经录入过了。"))
            continue
        word = result.lower()
        if word not in PAID_WORDS | FAILED_WORDS:
            report.problems.append(
                where + _("：银行结果应为“成功”或“失败”，现在是“%(v)s”。") % {"v": result[:20]}
            )
            continue
        note = cells[col["失败原因"]][:200] if "失败原因" in col else ""
        if word in FAILED_WORDS and not note:
            report.problems.append(where + _("：失败的行请填写失败原因。"))
            continue
        if "金额（元）" in col and cells[col["金额（元）"]]:
            try:
                amount = Decimal(cells[col["金额（元）"]].replace(",", ""))
            except InvalidOperation:
                amount = None
            if amount is None or amount.quantize(Decimal("0.01")) != line.amount:
                report.problems.append(where + _("：金额与本批次记录不一致。"))
                continue
        report.results.append((line, word in PAID_WORDS, note))
    if not report.results and not report.problems:
        report.problems.append(_("文件中没有填写银行结果的行。"))
    return report
