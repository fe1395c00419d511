"""Races that only a real database with row locks can settle: PostgreSQL, real threads."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from services.applications.models import Application, StatusChange
from services.applications.services import (
    AlreadyApplied,
    Move,
    application_create,
    application_transition,
    attachment_add,
)
from services.applications.workflow import Role, Status
from tests.services.applications.conftest import make_eligible, pdf

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


def test_fifty_approvals_against_a_budget_with_room_for_ten(
    program, reviewer, approver, staff_groups
):
    program.budget = Decimal("10000")
    program.save()
    applications = []
    for index in range(50):
        member = make_eligible(mobile=f"1320000{index:04d}")
        application = application_create(
            program=program, applicant=member, bank_card="6222021234567890128",
            requested_amount=Decimal("1000"), reason="test",
        )  # fmt: skip
        Application.objects.filter(pk=application.pk).update(status=Status.IN_REVIEW)
        applications.append(application)

    results = in_threads(
        50,
        lambda i: bool(
            application_transition(
                application=applications[i],
                actor=approver,
                move=Move(Status.APPROVED, Role.DISTRICT_APPROVER),
            )  # fmt: skip
        ),
    )
    approved = Application.objects.filter(status=Status.APPROVED)
    assert sum(results) == approved.count() == 10
    assert sum(a.approved_amount for a in approved) <= program.budget


def test_twenty_simultaneous_submits_give_one(program, staff_groups):
    member = make_eligible(mobile="13211110000")
    application = application_create(
        program=program, applicant=member, bank_card="6222021234567890128",
        requested_amount=Decimal("1000"), reason="test",
    )  # fmt: skip
    for kind in ("admission", "receipt"):
        attachment_add(application=application, member=member, kind=kind, upload=pdf(kind, kind))
    results = in_threads(
        20,
        lambda i: bool(
            application_transition(
                application=application,
                actor=member.user,
                move=Move(Status.SUBMITTED, Role.APPLICANT),
            )  # fmt: skip
        ),
    )
    assert sum(results) == 1
    assert StatusChange.objects.filter(application=application, to_status="submitted").count() == 1


def test_a_double_clicked_apply_creates_one_application(program, staff_groups):
    member = make_eligible(mobile="13211110001")

    def apply(_):
        try:
            application_create(
                program=program, applicant=member, bank_card="6222021234567890128",
                requested_amount=Decimal("1000"), reason="test",
            )  # fmt: skip
            return True
        except AlreadyApplied:
            return False

    assert sum(in_threads(20, apply)) == 1
    assert Application.objects.filter(applicant=member).count() == 1
