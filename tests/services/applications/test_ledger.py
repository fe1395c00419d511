"""The money ledger through the admin: batches, the bank's results, failures back in the queue,
corrections and reversals, each audited; the batch's Excel file prints as finance files it."""

import io
import re
import zipfile
from decimal import Decimal

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services.applications.models import (
    LedgerEntry,
    LedgerEvent,
    Notification,
    PaymentBatch,
    StatusChange,
)
from tests.services.applications.conftest import approved, make_eligible, take


def build(client, program):
    return client.post(reverse("admin:applications_paymentbatch_build"), {"program": program.pk})


def export(client, batch):
    return client.get(reverse("admin:applications_paymentbatch_export", args=[batch.pk]))


def record(client, batch, results):
    data = {}
    for line, (result, note) in results.items():
        data[f"line-{line.pk}-result"] = result
        data[f"line-{line.pk}-note"] = note
    return client.post(reverse("admin:applications_paymentbatch_results", args=[batch.pk]), data)


def paid_messages(member):
    return [n for n in Notification.objects.filter(user=member.user) if "已发放" in n.text]


def test_a_failed_line_goes_back_to_the_queue_and_is_paid_in_the_next_batch(
    program, reviewer, approver, finance, staff_client, django_capture_on_commit_callbacks
):
    members = [make_eligible(mobile=f"1350000000{i}") for i in range(3)]
    applications = [approved(program, m, reviewer, approver, "1000") for m in members]
    money = staff_client(finance)
    build(money, program)
    first = PaymentBatch.objects.get()
    export(money, first)
    lines = {line.entry.source_id: line for line in first.lines.select_related("entry")}
    failing = lines[applications[0].pk]
    with django_capture_on_commit_callbacks(execute=True):
        record(money, first, {
            line: ("failed", "账户已销户") if line == failing else ("paid", "")
            for line in lines.values()
        })  # fmt: skip
    entry = LedgerEntry.objects.get(source_id=applications[0].pk)
    assert entry.status == "reserved" and entry.failures == 1
    assert entry.last_failure == "账户已销户"
    applications[0].refresh_from_db()
    assert applications[0].status == "approved"
    assert paid_messages(members[0]) == []  # not told anything about a failure
    first.refresh_from_db()
    assert first.status == "closed"

    # The next batch takes only the entry that came back; this time the bank pays it.
    build(money, program)
    second = PaymentBatch.objects.exclude(pk=first.pk).get()
    assert [line.entry_id for line in second.lines.all()] == [entry.pk]
    export(money, second)
    with django_capture_on_commit_callbacks(execute=True):
        record(money, second, {second.lines.get(): ("paid", "")})
    applications[0].refresh_from_db()
    assert applications[0].status == "paid"
    assert len(paid_messages(members[0])) == 1  # told once, when paid
    actions = list(entry.events.values_list("action", flat=True))
    assert actions == ["reserve", "batch", "failed", "batch", "paid"]


def test_results_before_the_export_and_twice_are_refused(
    program, reviewer, approver, finance, staff_client
):
    approved(program, make_eligible(mobile="13500000010"), reviewer, approver)
    money = staff_client(finance)
    build(money, program)
    batch = PaymentBatch.objects.get()
    line = batch.lines.get()
    early = record(money, batch, {line: ("paid", "")})
    assert early.status_code == 302
    line.refresh_from_db()
    assert line.result == "pending"  # not exported yet: nothing recorded
    export(money, batch)
    record(money, batch, {line: ("paid", "")})
    again = money.get(reverse("admin:applications_paymentbatch_results", args=[batch.pk]))
    assert "本批次所有款项都已录入结果" in again.content.decode()


def test_a_failure_needs_the_banks_reason(program, reviewer, approver, finance, staff_client):
    approved(program, make_eligible(mobile="13500000011"), reviewer, approver)
    money = staff_client(finance)
    build(money, program)
    batch = PaymentBatch.objects.get()
    export(money, batch)
    line = batch.lines.get()
    response = record(money, batch, {line: ("failed", "")})
    assert "失败时请填写银行退回的原因" in response.content.decode()
    line.refresh_from_db()
    assert line.result == "pending"


def return_file(rows, header=("序号", "款项", "金额（元）", "银行结果", "失败原因")):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["钱塘区总工会 补助发放表"])
    sheet.write_row(3, 0, header)
    for index, row in enumerate(rows, start=4):
        sheet.write_row(index, 0, row)
    workbook.close()
    return SimpleUploadedFile("回单.xlsx", buffer.getvalue())


def test_the_banks_return_file_records_every_line_or_nothing(
    program, reviewer, approver, finance, staff_client, django_capture_on_commit_callbacks
):
    applications = [
        approved(program, make_eligible(mobile=f"1350000002{i}"), reviewer, approver, "1200")
        for i in range(2)
    ]
    money = staff_client(finance)
    build(money, program)
    batch = PaymentBatch.objects.get()
    export(money, batch)
    url = reverse("admin:applications_paymentbatch_results", args=[batch.pk])

    bad = money.post(url, {"upload": "1", "file": return_file([
        [1, "x", 1200, "成功", ""], [2, "x", 999, "成功", ""], [7, "x", 1, "失败", ""],
    ])})  # fmt: skip
    page = bad.content.decode()
    assert "金额与本批次记录不一致" in page and "本批次没有这个序号" in page
    assert batch.lines.filter(result="pending").count() == 2  # nothing recorded

    not_excel = money.post(url, {"upload": "1", "file": SimpleUploadedFile("x.xlsx", b"nope")})
    assert "无法读取这个文件" in not_excel.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        good = money.post(url, {"upload": "1", "file": return_file([
            [1, "x", "1,200.00", "成功", ""], [2, "x", 1200, "失败", "户名不符"], ["合计"],
        ])})  # fmt: skip
    assert good.status_code == 302
    statuses = dict(batch.lines.values_list("sequence", "result"))
    assert statuses == {1: "paid", 2: "failed"}
    first = batch.lines.get(sequence=1).entry.source_id
    assert {a.pk: a.status for a in applications}  # both exist
    assert type(applications[0]).objects.get(pk=first).status == "paid"


def test_correcting_an_amount_and_revoking_are_audited(
    program, member, reviewer, approver, staff_client
):
    application = approved(program, member, reviewer, approver, "3000")
    needs_note = take(application, approver, "correct_amount", amount=Decimal("2500"))
    assert not needs_note and needs_note.code == "note_required"
    assert take(
        application, approver, "correct_amount", amount=Decimal("2500"), note="收据金额有误"
    )
    change = StatusChange.objects.filter(application=application, step="correct_amount").get()
    assert (change.amount_before, change.amount_after) == (Decimal("3000"), Decimal("2500"))
    assert change.actor == approver and change.note == "收据金额有误"
    entry = LedgerEntry.objects.get()
    assert entry.amount == Decimal("2500")

    assert take(application, approver, "revoke", note="重复申请，撤销批准")
    entry.refresh_from_db()
    application.refresh_from_db()
    assert application.status == "rejected" and entry.status == "reversed"
    assert (entry.reversed_by, entry.reversal_reason) == (approver, "重复申请，撤销批准")
    assert entry.reversed_at is not None
    reversal = entry.events.get(action=LedgerEvent.Action.REVERSE)
    assert reversal.actor == approver and reversal.note == "重复申请，撤销批准"
    # The money is free again for the budget.
    from services.applications.ledger import budget_used

    assert budget_used(program) == 0


def test_finance_reverses_a_paid_entry_with_a_reason(
    program, member, reviewer, approver, finance, staff_client
):
    approved(program, member, reviewer, approver, "1000")
    money = staff_client(finance)
    build(money, program)
    batch = PaymentBatch.objects.get()
    export(money, batch)
    record(money, batch, {batch.lines.get(): ("paid", "")})
    entry = LedgerEntry.objects.get()
    url = reverse("admin:applications_ledgerentry_reverse", args=[entry.pk])
    assert "请" in money.post(url, {"reason": ""}).content.decode()
    money.post(url, {"reason": "职工退回多发款项"})
    entry.refresh_from_db()
    assert entry.status == "reversed" and entry.reversed_by == finance
    assert staff_client(approver).get(url).status_code == 403  # only with the permission


def test_a_double_clicked_build_makes_one_batch(program, reviewer, approver, finance, staff_client):
    approved(program, make_eligible(mobile="13500000030"), reviewer, approver)
    money = staff_client(finance)
    assert build(money, program).status_code == 302
    again = build(money, program)
    assert again.status_code == 200
    assert "没有待发放的款项" in again.content.decode()
    assert PaymentBatch.objects.count() == 1


def test_the_batch_prints_one_page_wide_with_titles_totals_and_signatures(
    program, reviewer, approver, finance, staff_client
):
    for i in range(3):
        approved(program, make_eligible(mobile=f"1350000004{i}"), reviewer, approver, "1000")
    money = staff_client(finance)
    build(money, program)
    batch = PaymentBatch.objects.get()
    content = export(money, batch).content
    archive = zipfile.ZipFile(io.BytesIO(content))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    workbook = archive.read("xl/workbook.xml").decode()
    strings = archive.read("xl/sharedStrings.xml").decode()
    assert 'orientation="landscape"' in sheet and 'paperSize="9"' in sheet
    assert 'fitToHeight="0"' in sheet and 'fitToPage="1"' in sheet
    assert re.search(r"_xlnm.Print_Titles[^>]*>[^<]*\$4:\$4", workbook)  # header row repeated
    assert batch.reference in strings and program.name in strings
    assert "合计 3 笔" in strings and "经办人（签字）" in strings and "审核人（签字）" in strings
    batch.refresh_from_db()
    assert batch.status == "exported" and batch.exported_at is not None


def test_references_reserved_at_once_follow_on_from_those_taken_one_by_one(db):
    from services.applications.ledger import next_reference, reserve_references
    from services.applications.models import ReferenceCounter

    assert reserve_references("PAY", 2031, 0) == []
    assert not ReferenceCounter.objects.filter(key="PAY-2031").exists()
    assert next_reference("PAY", 2031) == "PAY-2031-000001"
    assert reserve_references("PAY", 2031, 3) == [
        "PAY-2031-000002", "PAY-2031-000003", "PAY-2031-000004",
    ]  # fmt: skip
    assert next_reference("PAY", 2031) == "PAY-2031-000005"
    assert ReferenceCounter.objects.get(key="PAY-2031").last == 5
