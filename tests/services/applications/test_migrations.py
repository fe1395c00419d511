"""Upgrading a database made before the shared engine and the ledger loses nothing: status
changes and join-request events become the engine's audit rows, inbox texts stay, each
member's payee card moves onto the member, approved and paid money becomes ledger entries,
and new reference numbers continue the old sequence."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from services.members.pii import blind_index
from tests.factories import make_id_number

BEFORE = [
    ("applications", "0003_program_workflow_kind"),
    ("members", "0004_member_id_number_masked"),
    ("tuition", "0001_initial"),
]
CARD = "6222021234567890128"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_upgrading_keeps_every_record():
    old = migrate(BEFORE)
    User = old.get_model("members", "User")
    Member = old.get_model("members", "Member")
    Street = old.get_model("members", "Street")
    JoinRequest = old.get_model("members", "JoinRequest")
    JoinRequestEvent = old.get_model("members", "JoinRequestEvent")
    Program = old.get_model("applications", "Program")
    Application = old.get_model("applications", "Application")
    StatusChange = old.get_model("applications", "StatusChange")
    Notification = old.get_model("applications", "Notification")
    PaymentBatch = old.get_model("applications", "PaymentBatch")
    ReferenceCounter = old.get_model("applications", "ReferenceCounter")

    street = Street.objects.get_or_create(code="XS", defaults={"name": "下沙街道"})[0]
    staff = User.objects.create(username="staff", is_staff=True)
    worker = User.objects.create(username="13900000001")
    number = make_id_number()
    member = Member.objects.create(
        user=worker, real_name="旧数据", id_number=number, id_number_index=blind_index(number),
        birth_date="1990-01-01", sex="M", mobile="13900000001", street=street,
    )  # fmt: skip
    join = JoinRequest.objects.create(
        member=member, street=street, employment_form="rider", employer_text="平台",
        status="approved",
    )  # fmt: skip
    JoinRequestEvent.objects.create(join_request=join, to_status="submitted", actor=worker)
    JoinRequestEvent.objects.create(
        join_request=join, from_status="submitted", to_status="approved", actor=staff, note="好"
    )
    now = timezone.now()
    program = Program.objects.create(
        code="CMK", name="厂门口上大学", year=2026, kind="tuition",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        budget=Decimal("10000"), per_person_cap=Decimal("4000"),
    )  # fmt: skip
    batch = PaymentBatch.objects.create(reference="PAY-20260301-101010-1", created_by=staff)
    paid = Application.objects.create(
        reference="QT-CMK-2026-000001", program=program, applicant=member, street=street,
        status="paid", requested_amount=Decimal("3000"), approved_amount=Decimal("3000"),
        amount_reason="r", bank_card=CARD, decided_by=staff, payment_batch=batch,
    )  # fmt: skip
    for frm, to in [("", "draft"), ("draft", "submitted"), ("approved", "paid")]:
        StatusChange.objects.create(application=paid, from_status=frm, to_status=to, actor=staff)
    Notification.objects.create(user=worker, application=paid, text="您的申请已发放。")
    ReferenceCounter.objects.create(key="CMK-2026", last=1)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from services.applications.models import Application as NewApplication
    from services.applications.models import LedgerEntry, PaymentLine
    from services.applications.models import Notification as NewNotification
    from services.applications.services import application_create
    from services.members.models import JoinRequest as NewJoinRequest
    from services.members.models import Member as NewMember

    upgraded = NewMember.objects.get(pk=member.pk)
    assert upgraded.bank_card == CARD and upgraded.bank_card_last4 == "0128"
    application = NewApplication.objects.get(pk=paid.pk)
    assert [c.to_status for c in application.changes.order_by("id")] == [
        "draft", "submitted", "paid",
    ]  # fmt: skip
    assert application.changes.first().to_status_label == "草稿"
    join_history = NewJoinRequest.objects.get(pk=join.pk).changes.order_by("id")
    assert [(c.to_status, c.note) for c in join_history] == [("submitted", ""), ("approved", "好")]
    entry = LedgerEntry.objects.get()
    assert (entry.status, entry.amount, entry.source_id) == ("paid", Decimal("3000"), paid.pk)
    assert PaymentLine.objects.get().result == "paid"
    assert NewNotification.objects.get().text == "您的申请已发放。"
    # The next reference continues the old sequence.
    NewMember.objects.filter(pk=member.pk).update(
        verification_status="verified", joined_on=timezone.localdate() - timedelta(days=400)
    )
    from services.applications.models import Program as NewProgram

    program = NewProgram.objects.get(pk=program.pk)
    Status = NewApplication.objects.filter(pk=paid.pk)
    Status.update(status="withdrawn")  # free the one-per-batch slot for the check below
    fresh = application_create(
        program=program, applicant=upgraded, requested_amount=Decimal("1"), reason="",
        actor=upgraded.user,
    )  # fmt: skip
    assert fresh.reference == "QT-CMK-2026-000002"
