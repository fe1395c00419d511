"""Reads about mutual aid: who is covered, what is left of a member's yearly cap."""

from decimal import Decimal

from django.utils import timezone

from services.applications.ledger import member_year_total
from services.members.selectors import staff_scope
from services.mutual_aid.models import ClaimDetails, Coverage, Plan, RosterImport


def covered(*, member, plan) -> bool:
    return Coverage.objects.filter(member=member, plan=plan).exists()


def plans_of(member):
    """The plans covering the member, newest first, with their programs."""
    return (
        Plan.objects.filter(coverages__member=member)
        .select_related("program")
        .order_by("-cover_starts", "kind")
    )


def current_plans_of(member, today=None):
    today = today or timezone.localdate()
    return plans_of(member).filter(cover_starts__lte=today, cover_ends__gte=today)


def received(*, member, plan) -> Decimal:
    """What the member has been granted by the plan's program code in its year (approved or
    paid, in every batch)."""
    program = plan.program
    return member_year_total(member=member, program_code=program.code, year=program.year)


def yearly_left(*, member, plan) -> Decimal:
    return max(plan.program.per_person_cap - received(member=member, plan=plan), Decimal("0"))


def rosters_visible_to(user):
    return staff_scope(user).filter(
        RosterImport.objects.select_related("plan__program", "enterprise", "created_by"),
        "enterprise__street",
    )


def coverages_visible_to(user):
    return staff_scope(user).filter(
        Coverage.objects.select_related("plan__program", "member", "enterprise"),
        "enterprise__street",
    )


def claims_visible_to(user):
    return staff_scope(user).filter(
        ClaimDetails.objects.select_related(
            "application__applicant", "application__program", "plan__program"
        ),
        "application__street",
    )
