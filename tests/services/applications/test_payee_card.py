"""The payee card: changed only with the password and told to the worker's phone, flagged to
finance when it changed after the money was decided; a payment the bank returns is told to
the worker, so the card can be put right before the next batch."""

import io
import zipfile

from django.urls import reverse

from services.applications.ledger import payment_batch_build, payment_line_record
from services.applications.models import Notification
from tests.factories import TEST_PASSWORD
from tests.services.applications.conftest import approved

NEW_CARD = "6217001234567890122"


def test_changing_the_card_needs_the_password_and_tells_the_phone(
    worker, member, sms_outbox, django_capture_on_commit_callbacks
):
    wrong = worker.post("/me/bank-card/", {"card": NEW_CARD, "password": "not-it"})
    assert "密码不正确" in wrong.content.decode()
    member.refresh_from_db()
    assert member.bank_card_last4 == "0128"
    with django_capture_on_commit_callbacks(execute=True):
        done = worker.post("/me/bank-card/", {"card": NEW_CARD, "password": TEST_PASSWORD})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.bank_card == NEW_CARD and member.bank_card_changed_at is not None
    texts = [text for to, text in sms_outbox if to == member.mobile]
    assert any("尾号 0122" in text and "如非本人操作" in text for text in texts)


def test_finance_sees_a_card_changed_after_the_decision(
    worker, program, member, reviewer, approver, finance, staff_client
):
    approved(program, member, reviewer, approver)
    worker.post("/me/bank-card/", {"card": NEW_CARD, "password": TEST_PASSWORD})
    batch = payment_batch_build(program=program, actor=finance)
    money = staff_client(finance)
    page = money.get(reverse("admin:applications_paymentbatch_change", args=[batch.pk]))
    assert "更换（核定之后），请核实" in page.content.decode()
    export = money.get(reverse("admin:applications_paymentbatch_export", args=[batch.pk]))
    cells = zipfile.ZipFile(io.BytesIO(export.content)).read("xl/sharedStrings.xml").decode()
    assert "核对提示" in cells and "核定之后" in cells


def test_a_returned_payment_is_told_to_the_worker(
    program, member, reviewer, approver, finance, django_capture_on_commit_callbacks
):
    approved(program, member, reviewer, approver)
    batch = payment_batch_build(program=program, actor=finance)
    batch.exported_at = batch.created_at
    batch.save()
    with django_capture_on_commit_callbacks(execute=True):
        payment_line_record(
            line=batch.lines.get(), paid=False, note="户名与卡号不符", actor=finance
        )
    told = Notification.objects.filter(user=member.user).order_by("-id").first()
    assert "发放未成功" in told.text and "户名与卡号不符" in told.text
    assert told.link == "/me/bank-card/"
