"""What the worker sees and can still change: the declared details, editing a draft, taking
back a wrong proof, messages in their own language; and what staff see of the payee card."""

from datetime import UTC, datetime

from django.urls import reverse

from services.applications.models import Application, Attachment, Notification
from tests.services.applications.conftest import (
    CARD,
    approved,
    draft,
    make_eligible,
    pdf,
    submitted,
    take,
)
from tests.services.applications.test_flow import APPLY


def test_the_worker_sees_and_edits_the_draft_details(worker, program, member):
    worker.post(
        f"/services/{program.pk}/apply/", {**APPLY, "social_insurance_months": "20", "save": "1"}
    )
    application = Application.objects.get()
    page = worker.get(f"/me/applications/{application.pk}/").content.decode()
    for shown in ["浙江工业职业技术学院", "机电一体化", "2026-2027", "5,000.00 元", "20 个月"]:
        assert shown in page
    edit_url = f"/me/applications/{application.pk}/edit/"
    assert f'href="{edit_url}"' in page
    form = worker.get(edit_url).content.decode()
    assert (
        'value="浙江工业职业技术学院"' in form and CARD not in form
    )  # the card is never sent back
    worker.post(edit_url, {**APPLY, "bank_card": "", "tuition_paid": "6000", "save": "1"})
    application.refresh_from_db()
    assert application.tuition.tuition_paid == 6000
    assert str(application.requested_amount) == "3600.00"
    assert "6,000.00 元 × 60%" in application.amount_reason


def test_a_submitted_application_cannot_be_edited(worker, program, member):
    application = submitted(program, member)
    response = worker.post(
        f"/me/applications/{application.pk}/edit/", {**APPLY, "tuition_paid": "9000", "save": "1"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.tuition if hasattr(application, "tuition") else True
    assert str(application.requested_amount) == "3000.00"


def test_a_wrong_proof_can_be_deleted_until_staff_have_seen_it(
    worker, program, member, reviewer, django_capture_on_commit_callbacks
):
    application = draft(program, member)
    worker.post(
        f"/me/applications/{application.pk}/upload/",
        {"kind": "admission", "file": pdf("wrong.pdf", "w")},
    )
    wrong = Attachment.objects.get()
    stored = wrong.file.path
    with django_capture_on_commit_callbacks(execute=True):
        worker.post(f"/me/applications/{application.pk}/delete-file/{wrong.pk}/")
    assert not Attachment.objects.exists()
    import os

    assert not os.path.exists(stored)  # the file goes too

    for kind in ("admission", "receipt"):
        worker.post(
            f"/me/applications/{application.pk}/upload/", {"kind": kind, "file": pdf(kind, kind)}
        )
    assert take(application, member.user, "submit")
    assert take(application, reviewer, "ask_info", note="请补充")
    seen = Attachment.objects.first()
    response = worker.post(f"/me/applications/{application.pk}/delete-file/{seen.pk}/", follow=True)
    assert "已经提交给工作人员，不能删除" in response.content.decode()
    assert Attachment.objects.filter(pk=seen.pk).exists()
    worker.post(
        f"/me/applications/{application.pk}/upload/", {"kind": "other", "file": pdf("new.pdf", "n")}
    )
    new = Attachment.objects.get(original_name="new.pdf")
    worker.post(f"/me/applications/{application.pk}/delete-file/{new.pk}/")
    assert not Attachment.objects.filter(pk=new.pk).exists()


def test_messages_are_sent_in_the_language_the_worker_uses(
    client, program, member, reviewer, sms_outbox, django_capture_on_commit_callbacks
):
    from tests.factories import TEST_PASSWORD

    client.post("/en/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    member.user.refresh_from_db()
    assert member.user.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(program, member)
    sent = [text for mobile, text in sms_outbox if mobile == member.mobile][-1]
    assert "submitted" in sent and application.reference in sent
    notification = Notification.objects.filter(user=member.user).last()
    assert "已提交" in notification.text_in("zh-hans")  # kept as source text, not frozen
    client.get("/me/")  # back on the Chinese pages
    member.user.refresh_from_db()
    assert member.user.language == "zh-hans"


def test_the_same_payee_card_on_two_members_is_flagged_to_staff(
    program, member, reviewer, approver, staff_client
):
    other = make_eligible(mobile="13200000077")  # registered with the same card as member's
    assert other.bank_card == member.bank_card
    page = staff_client(approver).get(reverse("admin:members_member_change", args=[member.pk]))
    assert "另有 1 名职工登记了同一张卡" in page.content.decode()
    assert CARD not in page.content.decode()


def test_times_are_shown_in_asia_shanghai_in_the_admin(
    program, member, reviewer, approver, staff_client
):
    application = approved(program, member, reviewer, approver)
    # 23:30 UTC is 07:30 the next morning in Shanghai.
    Application.objects.filter(pk=application.pk).update(
        submitted_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    page = staff_client(approver).get(
        reverse("admin:applications_application_change", args=[application.pk])
    )
    html = page.content.decode()
    assert "2026年3月2日 07:30" in html and "23:30" not in html
