"""`manage.py seed_scale` builds the district-scale data set for performance work; here at a
tiny size. The data must look as the services would have written it: counts as asked, every
case in a status of its workflow with the audit trail that leads there, money in the ledger
for what was approved, ID numbers that decrypt and are found through the blind index, counters
left so that the services' next numbers are fresh, and the same seed giving the same data."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from reports.models import AnnualReport
from services.applications.engine import WORKFLOWS
from services.applications.models import (
    Application,
    LedgerEntry,
    PaymentLine,
    Program,
    ReferenceCounter,
    StatusChange,
)
from services.courses.models import Course, Enrollment
from services.hardship.models import EnterpriseVisit, HelpRequest, HouseholdVisit
from services.members.models import JoinRequest, Member, SkillCertificate, User
from services.members.pii import blind_index, decrypt
from services.members.validators import validate_id_number
from services.mutual_aid.models import ClaimDetails

SMALL = {"members": 300, "applications": 200, "claims": 50, "visits": 60, "enrolments": 40}
DEMO_MOBILES = "1380000"


def seed(*extra: str) -> str:
    out = io.StringIO()
    arguments = [f"--{name}={value}" for name, value in SMALL.items()]
    call_command("seed_scale", *arguments, *extra, stdout=out)
    return out.getvalue()


def fingerprint(output: str) -> str:
    return re.search(r"fingerprint: ([0-9a-f]{64})", output).group(1)


@pytest.fixture
def seeded(staff_groups):
    return seed()


def test_counts(seeded):
    assert Member.objects.exclude(mobile__startswith=DEMO_MOBILES).count() == 300
    assert Application.objects.count() == 200
    assert Application.objects.filter(program__kind="mutual_aid").count() == 50
    assert ClaimDetails.objects.count() == 50  # every claim has its details
    study = Application.objects.filter(program__kind__in=["tuition", "skill_award"])
    assert study.filter(tuition__isnull=True, skill__isnull=True).count() == 0
    assert HouseholdVisit.objects.count() + EnterpriseVisit.objects.count() == 60
    assert Enrollment.objects.count() == 40
    assert Course.objects.count() == 35
    assert AnnualReport.objects.published().count() == 3
    for line in ("members", "applications", "annual reports"):
        assert re.search(rf"^{line}\s+\d", seeded, re.MULTILINE)  # the progress of each phase
    assert "members.Member" in seeded and "total:" in seeded  # the summary


def _check_trails(model) -> int:
    """Each case's changes, oldest first, go step by step through its workflow's table and
    end in the status it holds; returns how many cases were checked."""
    changes = {}
    rows = StatusChange.objects.filter(content_type=ContentType.objects.get_for_model(model))
    for change in rows.order_by("at", "id"):
        changes.setdefault(change.object_id, []).append(change)
    checked = 0
    for case in model.objects.all():
        workflow = case.workflow
        assert case.status in workflow.statuses.values, (case, case.status)
        trail = changes[case.pk]
        assert trail[0].step == "" and trail[0].from_status == ""
        for before, after in zip(trail, trail[1:], strict=False):
            assert after.from_status == before.to_status, (case, after.step)
            step = workflow.get_step(after.step)
            assert after.from_status in step.source and after.to_status == step.target
        assert trail[-1].to_status == case.status
        assert {c.workflow for c in trail} == {workflow.name}
        checked += 1
    return checked


def test_every_case_is_in_a_status_of_its_workflow_with_its_trail(seeded):
    assert _check_trails(Application) == 200
    for model in (JoinRequest, SkillCertificate, Enrollment, HelpRequest):
        assert _check_trails(model) == model.objects.count()
    assert set(WORKFLOWS["two_stage"].statuses.values) >= set(
        Application.objects.values_list("status", flat=True)
    )


def test_money_of_approved_and_paid_applications_is_in_the_ledger(seeded):
    source = ContentType.objects.get_for_model(Application)
    live = {
        entry.source_id: entry
        for entry in LedgerEntry.objects.filter(source_type=source).exclude(status="reversed")
    }
    for application in Application.objects.all():
        entry = live.get(application.pk)
        if application.status in ("approved", "paid"):
            assert entry is not None and entry.amount == application.approved_amount
            assert (application.status == "paid") == (entry.status == "paid")
            assert entry.events.filter(action="reserve").exists()
        else:
            assert entry is None
    for entry in LedgerEntry.objects.filter(status="paid", source_type=source):
        assert entry.lines.filter(result="paid", batch__status="closed").exists()
    assert not PaymentLine.objects.filter(result="pending").exclude(entry__status="in_batch")


def test_id_numbers_decrypt_and_are_found_through_the_blind_index(seeded):
    member = Member.objects.exclude(mobile__startswith=DEMO_MOBILES).order_by("pk").last()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert stored != member.id_number and decrypt(stored) == member.id_number
    assert validate_id_number(member.id_number) == member.id_number  # GB 11643 check digit
    assert member.id_number.startswith("33") and 1965 <= member.birth_date.year <= 2005
    assert Member.objects.get(id_number_index=blind_index(member.id_number)) == member
    assert member.id_number_masked == member.masked_id_number
    # One password hash for every generated login, and it is the demo password.
    logins = User.objects.filter(member__isnull=False, username__in=[member.mobile])
    assert logins.get().check_password("qiantang-demo-2026")
    generated = User.objects.exclude(username__startswith=DEMO_MOBILES).filter(member__isnull=False)
    assert generated.values("password").distinct().count() == 1


def test_new_application_by_the_service_gets_a_fresh_reference(seeded):
    from services.applications.services import application_create

    year = timezone.localdate().year
    program = Program.objects.get(code="CMK", year=year, batch=1)
    member = (
        Member.objects.filter(verification_status="verified", street__isnull=False)
        .exclude(applications__program=program)
        .first()
    )
    taken = set(Application.objects.values_list("reference", flat=True))
    application = application_create(
        program=program, applicant=member, requested_amount=Decimal("1000.00"),
        reason="测试", actor=member.user,
    )  # fmt: skip
    assert application.reference not in taken
    counter = ReferenceCounter.objects.get(key=f"QT-CMK-{year}")
    assert application.reference == f"QT-CMK-{year}-{counter.last:06d}"
    assert counter.last == 1 + max(
        int(ref.rsplit("-", 1)[1]) for ref in taken if ref.startswith(f"QT-CMK-{year}-")
    )


def test_same_seed_gives_the_same_data(staff_groups):
    def contents():
        applications = list(
            Application.objects.order_by("reference").values_list(
                "reference", "status", "requested_amount", "approved_amount", "submitted_at"
            )
        )
        members = [
            (m.mobile, m.real_name, m.id_number, m.membership_number)
            for m in Member.objects.order_by("mobile")
        ]
        return applications, members

    savepoint = transaction.savepoint_create()
    first = seed()
    first_contents = contents()
    transaction.savepoint_rollback(savepoint)
    assert not Member.objects.exists()
    second = seed()
    assert fingerprint(first) == fingerprint(second)
    assert contents() == first_contents
    transaction.savepoint_rollback(savepoint)
    assert fingerprint(seed("--seed=7")) != fingerprint(first)


def test_refuses_in_production(staff_groups, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not Member.objects.exists()


def test_refuses_a_database_with_workers_unless_forced(staff_groups):
    from tests.factories import MemberFactory

    MemberFactory(mobile="13912345678")
    with pytest.raises(CommandError, match="--force"):
        seed()
    with pytest.raises(CommandError, match="--claims"):
        call_command("seed_scale", "--applications=10", "--claims=20", stdout=io.StringIO())
