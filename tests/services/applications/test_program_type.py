"""A program type defined only in the tests (its own workflow, proof kinds and details) runs a
whole journey through the shared pages, the admin and the ledger, with no change to
services/applications: what adding a fifth program takes."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from services.applications.models import Application, LedgerEntry, Notification, Program
from services.applications.registry import register_program_type, unregister_program_type
from tests.services.applications import stipend

pytestmark = pytest.mark.urls("tests.services.applications.stipend")


@pytest.fixture
def stipend_program(db):
    register_program_type(stipend.TYPE)
    now = timezone.now()
    yield Program.objects.create(
        code="ZXJ", name="职工子女助学金", year=now.year, kind=stipend.KIND,
        rule_params={"amount": "800"}, required_proofs=["photo"],
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        budget=Decimal("10000"), per_person_cap=Decimal("2000"),
    )  # fmt: skip
    unregister_program_type(stipend.KIND)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "照片.png"
    return buffer


def test_a_program_type_from_elsewhere_runs_the_whole_journey(
    client, worker, member, stipend_program, approver, finance, staff_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # The public pages describe it and link to its own apply page.
    detail = client.get(f"/services/{stipend_program.pk}/").content.decode()
    assert "每次 800 元" in detail and "本人照片" in detail
    assert f'href="/stipend/{stipend_program.pk}/apply/"' in detail

    # Many applications per batch are allowed for this type.
    for purpose in ["秋季学费", "春季学费"]:
        worker.post(f"/stipend/{stipend_program.pk}/apply/", {"purpose": purpose})
    first, second = Application.objects.order_by("id")
    assert not first.single_slot and first.status == "draft"

    page = worker.get(f"/me/applications/{first.pk}/").content.decode()
    assert "秋季学费" in page and "本人照片" in page  # its details, its proofs
    assert "推荐信" not in page  # a proof kind of the type this program does not ask for
    refused = worker.post(f"/me/applications/{first.pk}/submit/", follow=True).content.decode()
    assert "还缺少材料：本人照片" in refused
    worker.post(f"/me/applications/{first.pk}/upload/", {"kind": "photo", "file": png()})
    with django_capture_on_commit_callbacks(execute=True):
        worker.post(f"/me/applications/{first.pk}/submit/")
    first.refresh_from_db()
    assert first.status == "submitted" and first.status_label == "待区总审批"

    # The approver decides in the shared admin page, with the type's own steps.
    district = staff_client(approver)
    review_url = reverse("admin:applications_application_review", args=[first.pk])
    review = district.get(review_url).content.decode()
    assert "核准助学金" in review and "不予发放" in review and 'name="amount"' in review
    assert "秋季学费" in review
    with django_capture_on_commit_callbacks(execute=True):
        district.post(review_url, {"step": "grant", "amount": "800"})
    first.refresh_from_db()
    assert first.status == "granted" and LedgerEntry.objects.get().amount == Decimal("800.00")

    # Finance pays it through the same batches as every program.
    money = staff_client(finance)
    money.post(reverse("admin:applications_paymentbatch_build"), {"program": stipend_program.pk})
    batch = stipend_program.payment_batches.get()
    money.get(reverse("admin:applications_paymentbatch_export", args=[batch.pk]))
    line = batch.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        money.post(
            reverse("admin:applications_paymentbatch_results", args=[batch.pk]),
            {f"line-{line.pk}-result": "paid"},
        )
    first.refresh_from_db()
    assert first.status == "paid" and first.status_label == "助学金已到账"

    timeline = worker.get(f"/me/applications/{first.pk}/").content.decode()
    for label in ["草稿", "待区总审批", "已核准助学金", "助学金已到账"]:
        assert label in timeline
    messages = [n.text for n in Notification.objects.filter(user=member.user).order_by("id")]
    assert messages == [
        f"助学金申请 {first.reference} 已提交。",
        f"助学金 {first.reference} 已核准 800.00 元。",
        f"助学金 {first.reference} 已到账。",
    ]
    assert second.status == "draft"


def test_bad_rule_parameters_are_refused_in_the_admin(stipend_program, approver, staff_client):
    district = staff_client(approver)
    url = reverse("admin:applications_program_change", args=[stipend_program.pk])
    page = district.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data.update({
        "rule_params": '{"amount": "-5"}', "required_proofs": '["photo"]',
        "opens_at_0": "2026-01-01", "opens_at_1": "00:00:00",
        "closes_at_0": "2026-12-31", "closes_at_1": "23:59:59",
    })  # fmt: skip
    response = district.post(url, data)
    assert response.status_code == 200
    assert "amount 应大于 0" in response.content.decode()
    stipend_program.refresh_from_db()
    assert stipend_program.rule_params == {"amount": "800"}
    data.update({"rule_params": '{"amount": "900"}', "required_proofs": '["selfie"]'})
    response = district.post(url, data)
    assert "不认识的材料：selfie" in response.content.decode()
