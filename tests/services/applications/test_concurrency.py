"""Races that only a real database with row locks can settle: PostgreSQL, real threads."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from services.applications.ledger import payment_batch_build
from services.applications.models import Application, LedgerEntry, PaymentLine, StatusChange
from services.applications.workflow import Status
from tests.services.applications.conftest import (
    draft,
    make_eligible,
    submitted,
    take,
    with_proofs,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite ignores them)"
    ),
]


def in_threads(count, work):
    def run(index):
        try:
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def in_review(program, member, amount="1000"):
    application = draft(program, member, amount)
    Application.objects.filter(pk=application.pk).update(status=Status.IN_REVIEW)
    application.refresh_from_db()
    return application


def test_fifty_approvals_against_a_budget_with_room_for_ten(
    program, reviewer, approver, staff_groups
):
    program.budget = Decimal("10000")
    program.save()
    applications = [
        in_review(program, make_eligible(mobile=f"1320000{index:04d}")) for index in range(50)
    ]
    results = in_threads(50, lambda i: bool(take(applications[i], approver, "approve")))
    approved = Application.objects.filter(status=Status.APPROVED)
    assert sum(results) == approved.count() == 10
    assert sum(a.approved_amount for a in approved) <= program.budget
    assert LedgerEntry.objects.filter(program=program).count() == 10


def test_the_same_worker_approved_in_two_batches_at_once_is_paid_once(
    program, approver, staff_groups
):
    second_batch = type(program).objects.get(pk=program.pk)
    second_batch.pk, second_batch.batch = None, 2
    second_batch.save()
    member = make_eligible(mobile="13211110002")
    pair = [in_review(program, member), in_review(second_batch, member)]
    results = in_threads(2, lambda i: bool(take(pair[i], approver, "approve")))
    assert sum(results) == 1
    assert LedgerEntry.objects.filter(member=member).count() == 1


def test_a_quota_of_one_with_three_simultaneous_submits_takes_one(program, staff_groups):
    program.max_applications = 1
    program.save()
    applications = [
        with_proofs(draft(program, make_eligible(mobile=f"1321111100{i}"))) for i in range(3)
    ]
    results = in_threads(
        3, lambda i: bool(take(applications[i], applications[i].applicant.user, "submit"))
    )
    assert sum(results) == 1
    assert Application.objects.filter(status=Status.SUBMITTED).count() == 1


def test_twenty_simultaneous_submits_give_one(program, staff_groups):
    application = with_proofs(draft(program, make_eligible(mobile="13211110000")))
    member = application.applicant
    results = in_threads(20, lambda i: bool(take(application, member.user, "submit")))
    assert sum(results) == 1
    assert StatusChange.objects.filter(application=application, to_status="submitted").count() == 1


def test_a_double_clicked_apply_creates_one_application(program, staff_groups):
    member = make_eligible(mobile="13211110001")

    def apply(_):
        try:
            draft(program, member)
            return True
        except ValidationError:
            return False

    assert sum(in_threads(20, apply)) == 1
    assert Application.objects.filter(applicant=member).count() == 1


def test_two_finance_users_building_batches_at_once_put_each_row_in_one_batch(
    program, reviewer, approver, finance, staff_groups
):
    from tests.factories import street_staff

    other_finance = street_staff(None, groups=["财务"])
    for index in range(12):
        application = submitted(program, make_eligible(mobile=f"1321112{index:04d}"), "500")
        assert take(application, reviewer, "recommend")
        assert take(application, approver, "approve")
    clerks = [finance, other_finance]

    def build(i):
        try:
            return payment_batch_build(program=program, actor=clerks[i]).pk
        except ValidationError:
            return None

    batches = [b for b in in_threads(2, build) if b is not None]
    lines = PaymentLine.objects.filter(batch__in=batches)
    assert lines.count() == 12
    assert lines.values("entry").distinct().count() == 12
    assert LedgerEntry.objects.filter(status="in_batch").count() == 12


def test_deadline_passed_is_a_reason_not_an_error(program, staff_groups):
    application = with_proofs(draft(program, make_eligible(mobile="13211110099")))
    program.closes_at = timezone.now() - timedelta(seconds=1)
    program.save()
    decision = take(application, application.applicant.user, "submit")
    assert not decision and decision.code == "closed"
