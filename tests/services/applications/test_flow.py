"""A worker applies to 厂门口上大学 and follows it to payment, over HTTP."""

import io
import re
import zipfile
from decimal import Decimal

from django.urls import reverse

from services.applications.models import (
    Application,
    LedgerEntry,
    Notification,
    PaymentBatch,
    StatusChange,
)
from services.members.models import AuditEvent
from tests.services.applications.conftest import CARD, pdf

APPLY = {
    "school": "浙江工业职业技术学院",
    "major": "机电一体化",
    "level": "junior_college",
    "academic_year": "2026-2027",
    "tuition_paid": "5000",
    "bank_card": CARD,
}


def statuses(application):
    return list(application.changes.order_by("at", "id").values_list("to_status", flat=True))


def test_the_whole_journey(
    worker, member, program, reviewer, approver, finance, staff_client,
    django_capture_on_commit_callbacks, sms_outbox,
):  # fmt: skip
    # The worker sees what the rule gives before saving anything.
    preview = worker.post(f"/services/{program.pk}/apply/", {**APPLY, "preview": "1"})
    html = preview.content.decode()
    assert "3,000.00 元" in html and "5,000.00 元 × 60% = 3,000.00 元" in html
    assert not Application.objects.exists()

    saved = worker.post(f"/services/{program.pk}/apply/", {**APPLY, "save": "1"})
    application = Application.objects.get()
    assert saved["Location"] == f"/me/applications/{application.pk}/"
    assert re.fullmatch(rf"QT-CMK-{program.year}-000001", application.reference)
    assert application.status == "draft" and application.requested_amount == Decimal("3000.00")
    assert application.tuition.school == "浙江工业职业技术学院"
    application.applicant.refresh_from_db()
    assert application.applicant.bank_card == CARD  # the payee card lives on the member

    detail_url = f"/me/applications/{application.pk}/"
    refused = worker.post(detail_url + "submit/", follow=True)
    assert "还缺少材料：录取通知书、学费发票或收据" in refused.content.decode()

    for kind, marker in [("admission", "a"), ("receipt", "b")]:
        response = worker.post(
            detail_url + "upload/", {"kind": kind, "file": pdf(f"{kind}.pdf", marker)}
        )
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        worker.post(detail_url + "submit/")
    application.refresh_from_db()
    assert application.status == "submitted" and application.submitted_at

    street = staff_client(reviewer)
    review_url = reverse("admin:applications_application_review", args=[application.pk])
    page = street.get(review_url).content.decode()
    assert "剩余 100,000.00 元" in page
    assert "admission.pdf" in page
    # The reviewer sees what the worker declared.
    for declared in ["浙江工业职业技术学院", "机电一体化", "2026-2027", "5,000.00 元"]:
        assert declared in page
    assert 'name="amount"' not in page  # the street's steps take no amount
    with django_capture_on_commit_callbacks(execute=True):
        street.post(review_url, {"step": "ask_info", "note": "请补充学费收据原件"})
    application.refresh_from_db()
    assert application.status == "needs_info"
    assert "请补充学费收据原件" in worker.get(detail_url).content.decode()

    worker.post(detail_url + "upload/", {"kind": "receipt", "file": pdf("收据原件.pdf", "c")})
    with django_capture_on_commit_callbacks(execute=True):
        worker.post(detail_url + "submit/")
        street.post(review_url, {"step": "recommend"})
    application.refresh_from_db()
    assert application.status == "in_review" and application.recommended_by == reviewer

    district = staff_client(approver)
    assert 'name="amount"' in district.get(review_url).content.decode()
    over_cap = district.post(review_url, {"step": "approve", "amount": "4500", "note": "x"})
    assert "超过每人每年上限" in over_cap.content.decode()
    unexplained = district.post(review_url, {"step": "approve", "amount": "3500"})
    assert "请在说明中写明原因" in unexplained.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        district.post(review_url, {"step": "approve", "amount": "3000"})
    application.refresh_from_db()
    assert application.status == "approved" and application.approved_amount == Decimal("3000.00")
    entry = LedgerEntry.objects.get()
    assert entry.status == "reserved" and entry.amount == Decimal("3000.00")

    money = staff_client(finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = money.post(
            reverse("admin:applications_application_changelist"),
            {"action": "build_payment_batch", "_selected_action": [application.pk]},
        )
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse(
        "admin:applications_paymentbatch_change", args=[batch.pk]
    )
    application.refresh_from_db()
    assert application.status == "approved"  # not paid until the bank says so
    assert batch.reference == f"PAY-{batch.created_at.year}-000001"

    export = money.get(reverse("admin:applications_paymentbatch_export", args=[batch.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = zipfile.ZipFile(io.BytesIO(export.content)).read("xl/sharedStrings.xml").decode()
    assert application.reference in cells and "**** 0128" in cells and CARD not in cells
    assert member.id_number not in cells
    revealed = money.post(
        reverse("admin:applications_paymentbatch_export", args=[batch.pk]), {"reveal": "1"}
    )
    cells = zipfile.ZipFile(io.BytesIO(revealed.content)).read("xl/sharedStrings.xml").decode()
    assert CARD in cells
    assert AuditEvent.objects.filter(action="bank_card", staff=finance).count() == 1

    line = batch.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        money.post(
            reverse("admin:applications_paymentbatch_results", args=[batch.pk]),
            {f"line-{line.pk}-result": "paid", f"line-{line.pk}-note": ""},
        )
    application.refresh_from_db()
    batch.refresh_from_db()
    assert application.status == "paid" and batch.status == "closed"

    # Masking sweep over every page of the journey: no full ID number, mobile or card.
    pages = [
        worker.get(detail_url), worker.get("/me/applications/"), worker.get("/me/inbox/"),
        street.get(reverse("admin:applications_application_change", args=[application.pk])),
        money.get(reverse("admin:applications_application_change", args=[application.pk])),
        money.get(reverse("admin:applications_application_changelist")),
        money.get(reverse("admin:applications_paymentbatch_change", args=[batch.pk])),
    ]  # fmt: skip
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert CARD not in html and member.id_number not in html and member.mobile not in html

    # The worker saw every step on the timeline, in the inbox and by text message.
    assert statuses(application) == [
        "draft", "submitted", "needs_info", "submitted", "in_review", "approved", "paid",
    ]  # fmt: skip
    timeline = worker.get(detail_url).content.decode()
    for words in ["已提交，待初审", "需补充材料", "初审通过，待复审", "已批准，待发放", "已发放"]:
        assert words in timeline
    inbox = worker.get("/me/inbox/").content.decode()
    assert Notification.objects.filter(user=member.user).count() == 6
    assert "补助 3,000.00 元已发放" in inbox
    assert len([m for m in sms_outbox if m[0] == member.mobile]) == 6
    assert StatusChange.objects.filter(application=application).count() == 7


def test_finance_without_reveal_permission_gets_masked_cards_only(
    program, member, finance, staff_client, staff_groups
):
    from django.contrib.auth.models import Permission

    from tests.factories import street_staff

    clerk = street_staff(None, groups=[])
    clerk.user_permissions.add(*Permission.objects.filter(codename="view_paymentbatch"))
    batch = PaymentBatch.objects.create(reference="PAY-TEST", created_by=finance)
    client = staff_client(clerk)
    url = reverse("admin:applications_paymentbatch_export", args=[batch.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reveal": "1"}).status_code == 403
