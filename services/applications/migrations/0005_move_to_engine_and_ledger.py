"""Existing data into the new shapes: status changes and join-request events become the
engine's audit rows, inbox texts become messages, each member's payee card moves from their
latest application onto the member, approved and paid applications get their ledger entries
(paid ones with a paid line in their batch), and reference counters take their new keys."""

from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    from services.members.pii import blind_index

    ContentType = apps.get_model("contenttypes", "ContentType")
    StatusChange = apps.get_model("applications", "StatusChange")
    Notification = apps.get_model("applications", "Notification")
    Application = apps.get_model("applications", "Application")
    LedgerEntry = apps.get_model("applications", "LedgerEntry")
    LedgerEvent = apps.get_model("applications", "LedgerEvent")
    PaymentLine = apps.get_model("applications", "PaymentLine")
    PaymentBatch = apps.get_model("applications", "PaymentBatch")
    ReferenceCounter = apps.get_model("applications", "ReferenceCounter")
    Program = apps.get_model("applications", "Program")
    JoinRequestEvent = apps.get_model("members", "JoinRequestEvent")
    Member = apps.get_model("members", "Member")

    application_type, _ = ContentType.objects.get_or_create(
        app_label="applications", model="application"
    )
    join_type, _ = ContentType.objects.get_or_create(app_label="members", model="joinrequest")

    StatusChange.objects.filter(application__isnull=False).update(
        content_type=application_type, object_id=F("application_id"), workflow="two_stage"
    )
    for event in JoinRequestEvent.objects.order_by("at", "id"):
        change = StatusChange.objects.create(
            content_type=join_type, object_id=event.join_request_id, workflow="joining",
            from_status=event.from_status, to_status=event.to_status, actor_id=event.actor_id,
            note=event.note,
        )  # fmt: skip
        StatusChange.objects.filter(pk=change.pk).update(at=event.at)

    for notification in Notification.objects.all():
        notification.message = notification.text
        if notification.application_id:
            notification.content_type = application_type
            notification.object_id = notification.application_id
            notification.link = f"/me/applications/{notification.application_id}/"
        notification.save()

    for member in Member.objects.filter(bank_card=""):
        latest = (
            Application.objects.filter(applicant=member).exclude(bank_card="").order_by("-id").first()
        )
        if latest is not None:
            number = latest.bank_card
            member.bank_card = number
            member.bank_card_index = blind_index(f"card:{number}")
            member.bank_card_last4 = number[-4:]
            member.save(update_fields=["bank_card", "bank_card_index", "bank_card_last4"])

    for application in Application.objects.filter(
        status__in=["approved", "paid"], approved_amount__gt=0
    ).select_related("program", "applicant", "payment_batch"):
        program = application.program
        actor_id = (
            application.decided_by_id or application.recommended_by_id
            or application.applicant.user_id
        )  # fmt: skip
        batch = application.payment_batch
        paid = application.status == "paid"
        entry = LedgerEntry.objects.create(
            member_id=application.applicant_id, program=program, year=program.year,
            source_type=application_type, source_id=application.pk,
            purpose=f"{program.name} {application.reference}"[:120],
            amount=application.approved_amount, status="paid" if paid else "reserved",
            created_by_id=actor_id, paid_at=batch.created_at if paid and batch else None,
        )  # fmt: skip
        LedgerEvent.objects.create(
            entry=entry, action="reserve", amount=entry.amount, actor_id=actor_id
        )
        if paid and batch is not None:
            sequence = PaymentLine.objects.filter(batch=batch).count() + 1
            PaymentLine.objects.create(
                batch=batch, entry=entry, sequence=sequence, amount=entry.amount, result="paid",
                recorded_by_id=batch.created_by_id, recorded_at=batch.created_at,
            )  # fmt: skip
            LedgerEvent.objects.create(
                entry=entry, action="paid", amount=entry.amount, batch=batch,
                actor_id=batch.created_by_id,
            )  # fmt: skip
            PaymentBatch.objects.filter(pk=batch.pk).update(
                program=program, status="closed", exported_at=batch.created_at,
                closed_at=batch.created_at,
            )  # fmt: skip

    codes = set(Program.objects.values_list("code", flat=True))
    for counter in ReferenceCounter.objects.all():
        code, _sep, year = counter.key.rpartition("-")
        if code in codes and year.isdigit():
            ReferenceCounter.objects.update_or_create(
                key=f"QT-{code}-{year}", defaults={"last": counter.last}
            )
            counter.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_engine_and_ledger"),
        ("members", "0005_language_bank_card"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
