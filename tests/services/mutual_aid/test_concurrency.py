"""Claims of one member approved at the same time never pass the plan's yearly cap: the
ledger locks the member's row (PostgreSQL, real threads)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from services.applications.models import Application, LedgerEntry
from services.applications.workflow import Status
from services.mutual_aid.services import claim_file
from tests.services.applications.conftest import take
from tests.services.applications.test_concurrency import in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite ignores them)"
    ),
]


def test_ten_claims_approved_at_once_stay_within_the_yearly_cap(plan, covered, approver):
    today = timezone.localdate()
    claims = []
    for index in range(10):
        # (13,000 − 500) × 40 % = 5,000 each; the cap of 30,000 has room for six.
        application = claim_file(
            member=covered, plan=plan, actor=covered.user,
            data={"kind": "inpatient", "hospital": "医院", "hospital_level": "三级",
                  "admitted_on": today - timedelta(days=10), "discharged_on": today,
                  "illness": "", "diagnosis": "", "total_cost": Decimal("20000"),
                  "insurance_paid": Decimal("7000"), "eligible_cost": Decimal("13000"),
                  "invoices": [f"INV-{index:04d}"]},
        )  # fmt: skip
        assert application.requested_amount == Decimal("5000.00")
        claims.append(application)
    Application.objects.filter(pk__in=[a.pk for a in claims]).update(status=Status.IN_REVIEW)
    results = in_threads(10, lambda i: bool(take(claims[i], approver, "approve")))
    assert sum(results) == 6
    granted = sum(e.amount for e in LedgerEntry.objects.filter(member=covered))
    assert granted == Decimal("30000.00") <= plan.program.per_person_cap


def test_one_invoice_filed_twice_at_once_is_claimed_once(plan, enterprise, covered, approver):
    from django.core.exceptions import ValidationError

    from services.mutual_aid.roster import coverage_add
    from tests.services.applications.conftest import make_eligible

    people = [covered]
    for index in range(1, 8):
        other = make_eligible(mobile=f"1361000{index:04d}", employer=enterprise)
        coverage_add(
            plan=plan,
            member=other,
            enterprise=enterprise,
            actor=approver,
            starts_on=plan.cover_starts,
        )
        people.append(other)
    today = timezone.localdate()

    def file(index):
        member = people[index]
        try:
            claim_file(
                member=member, plan=plan, actor=member.user,
                data={"kind": "inpatient", "hospital": "医院", "hospital_level": "二级",
                      "admitted_on": today - timedelta(days=3), "discharged_on": today,
                      "illness": "", "diagnosis": "", "total_cost": Decimal("3000"),
                      "insurance_paid": Decimal("1000"), "eligible_cost": Decimal("2000"),
                      "invoices": ["SAME-0001"]},
            )  # fmt: skip
        except ValidationError:
            return False
        return True

    assert sum(in_threads(len(people), file)) == 1
    assert Application.objects.count() == 1
