"""The audit log (services/members/models/audit.py): what staff do to personal data and
money, in one table nobody in the application can change, searchable by the staff who may."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.applications.ledger import entry_for, ledger_reverse
from services.applications.services import program_save
from services.members.models import AuditEvent, Member
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import approved, make_eligible, program, submitted

__all__ = ["program"]


def actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).values_list("action", flat=True))


def test_nobody_in_the_application_can_change_a_row(db):
    event = AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, subject="原样")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(subject="改过")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE members_auditevent SET subject = 'x'")
    if connection.vendor == "postgresql":  # SQLite's test runner empties tables with DELETE
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).subject == "原样"


def test_deleting_a_member_keeps_what_was_done_to_their_data(db, staff_groups):
    member = make_eligible(mobile="13911110001")
    staff = street_staff(None, groups=["系统管理员"])
    AuditEvent.objects.create(staff=staff, member=member, action="member_view")
    user = member.user
    Member.objects.filter(pk=member.pk).delete()
    user.delete()
    assert AuditEvent.objects.filter(member_id=member.pk, action="member_view").count() == 1


def test_staff_logins_and_failed_second_factors(db, staff_groups):
    staff = street_staff("XS")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = Client()
    client.post(
        "/admin/login/", {"username": staff.username, "password": "wrong", "otp_token": "1"}
    )
    client.post(
        "/admin/login/",
        {"username": staff.username, "password": TEST_PASSWORD, "otp_token": "000000"},
    )
    assert actions(staff=staff) == ["otp_failed", "login_failed"]
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.ip_address == "127.0.0.1" and staff.username not in failed.subject
    login_staff(client, staff)
    assert actions(staff=staff)[0] == "login"


def test_views_proofs_decisions_money_exports_and_program_edits(
    db, staff_groups, program, django_capture_on_commit_callbacks
):
    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    finance = street_staff(None, groups=["财务"])
    member = make_eligible(mobile="13911110002", real_name="审计甲")
    application = approved(program, member, reviewer, approver, "2000")
    decisions = AuditEvent.objects.filter(action="status", member=member)
    assert {event.staff for event in decisions} == {reviewer, approver}
    assert all(application.reference in event.subject for event in decisions)
    assert AuditEvent.objects.filter(action="ledger", staff=approver, member=member).exists()
    ledger_reverse(entry=entry_for(application), actor=approver, reason="撤销")
    assert AuditEvent.objects.filter(action="ledger", subject__contains="冲销").exists()

    staff = login_staff(Client(), approver)
    staff.get(reverse("admin:members_member_change", args=[member.pk]))
    attachment = application.attachments.first()
    staff.get(reverse("admin:applications_attachment_file", args=[attachment.pk]))
    staff.get(reverse("admin:applications_application_export_csv"))
    assert set(actions(staff=approver, member=member)) >= {"member_view", "proof"}
    assert AuditEvent.objects.filter(staff=approver, action="export").exists()

    program.budget = Decimal("123456.00")
    program_save(program=program, actor=approver)
    edit = AuditEvent.objects.get(action="program")
    assert "总预算（元）：" in edit.subject and "→ 123456.00" in edit.subject
    program_save(program=program, actor=approver)  # nothing changed: nothing recorded
    assert AuditEvent.objects.filter(action="program").count() == 1
    assert finance  # finance's batch export is recorded in tests/services/applications


def test_the_log_is_searched_by_person_staff_object_and_date(db, staff_groups, program):
    reviewer = street_staff("XS")
    sysadmin = street_staff(None, groups=["系统管理员"])
    member = make_eligible(mobile="13911110003", real_name="审计乙")
    other = make_eligible(mobile="13911110004", real_name="别人")
    for person in (member, other):
        submitted(program, person)
        AuditEvent.objects.create(staff=reviewer, member=person, action="member_view")
    client = login_staff(Client(), sysadmin)
    url = reverse("admin:members_auditevent_changelist")
    by_name = client.get(url, {"q": "审计乙"}).content.decode()
    assert "审*乙" in by_name or "审计乙" in by_name
    assert "别人" not in by_name and "别*" not in by_name
    by_masked = client.get(url, {"q": member.id_number_masked}).content.decode()
    assert "别人" not in by_masked
    by_staff = client.get(url, {"staff__id__exact": reviewer.pk}).content.decode()
    assert by_staff.count("查看职工档案") >= 2
    assert client.get(url, {"at__gte": "2000-01-01T00:00:00+08:00"}).status_code == 200
    # Street reviewers do not read the log.
    assert login_staff(Client(), reviewer).get(url).status_code == 403


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and grants are PostgreSQL's")
def test_the_application_role_of_the_readme_may_add_to_the_log_and_nothing_else(db):
    """The grants README's "The audit log's database role" gives the application: INSERT and
    SELECT on the log, and no UPDATE, DELETE or TRUNCATE (the trigger aside)."""
    role = "portal_app_audit_test"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON members_auditevent FROM {role}")
        cursor.execute(f"SET ROLE {role}")
        try:
            cursor.execute(
                "INSERT INTO members_auditevent (action, subject, object_id, at) "
                "VALUES ('login', '', '', now()) RETURNING id"
            )
            added = cursor.fetchone()[0]
            for statement, params in (
                ("UPDATE members_auditevent SET subject = 'x' WHERE id = %s", [added]),
                ("DELETE FROM members_auditevent WHERE id = %s", [added]),
                ("TRUNCATE members_auditevent", None),
            ):
                cursor.execute("SAVEPOINT refused")
                with pytest.raises(DatabaseError, match="permission denied"):
                    cursor.execute(statement, params)
                cursor.execute("ROLLBACK TO SAVEPOINT refused")
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def test_decisions_carry_the_address_and_program_times_keep_their_seconds(
    db, staff_groups, program
):
    reviewer = street_staff("XS")
    application = submitted(program, make_eligible(mobile="13911110009"))
    client = login_staff(Client(), reviewer)
    review = reverse("admin:applications_application_review", args=[application.pk])
    client.post(review, {"step": "recommend", "note": ""}, REMOTE_ADDR="198.51.100.7")
    assert AuditEvent.objects.get(action="status", staff=reviewer).ip_address == "198.51.100.7"

    # The admin's time field shows minutes: saving a program leaves 23:59:59 as it was.
    from django.utils import timezone

    from services.applications.models import Program

    closes = timezone.localtime(program.closes_at).replace(hour=23, minute=59, second=59)
    Program.objects.filter(pk=program.pk).update(closes_at=closes)
    from tests.factories import StaffUserFactory

    superuser = login_staff(Client(), StaffUserFactory(is_superuser=True))
    url = reverse("admin:applications_program_change", args=[program.pk])
    page = superuser.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("opens_at", "closes_at")
    }
    opens = timezone.localtime(program.opens_at)
    data.update(
        rule_params='{"share": "0.6", "cap": "4000"}', required_proofs='["admission", "receipt"]',
        opens_at_0=opens.strftime("%Y-%m-%d"), opens_at_1=opens.strftime("%H:%M"),
        closes_at_0=closes.strftime("%Y-%m-%d"), closes_at_1="23:59", budget="200000",
        per_person_cap="4000",
    )  # fmt: skip
    saved = superuser.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    program.refresh_from_db()
    assert timezone.localtime(program.closes_at).second == 59
    edit = AuditEvent.objects.filter(action="program").latest("pk")
    assert "23:59:00" not in edit.subject and "总预算（元）：" in edit.subject
