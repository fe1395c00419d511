"""Applying to a tuition or skill program: eligibility, the amount by the program's rule,
then a draft application with its details, all in one transaction."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from services.applications import selectors
from services.applications.models import Application, Program, ProgramKind
from services.applications.services import application_create
from services.decisions import Decision
from services.members.models import Member
from services.tuition import rules
from services.tuition.models import SkillAwardRequest, TuitionRequest


def tuition_can_apply(
    *, member: Member, program: Program, social_insurance_months: int | None = None
) -> Decision:
    available = selectors.program_availability(program=program)
    if not available:
        return available
    return rules.eligibility(
        facts=rules.ApplicantFacts(
            is_verified_member=member.is_member,
            joined_on=member.joined_on,
            birth_date=member.birth_date,
            subsidised_this_year=selectors.subsidised_this_year(member=member, program=program),
            social_insurance_months=social_insurance_months,
        ),
        min_membership_months=program.min_membership_months,
        min_age=program.min_age,
        today=timezone.localdate(),
    )


def tuition_amount(*, program: Program, data: dict) -> rules.Amount:
    if program.kind == ProgramKind.TUITION:
        return rules.tuition_subsidy(
            tuition_paid=Decimal(data["tuition_paid"]),
            share=program.param("share", "0.6"),
            cap=program.param("cap", program.per_person_cap),
            per_person_cap=program.per_person_cap,
        )
    return rules.skill_award(
        level=data["level"],
        amounts=program.rule_params.get("amounts", {}),
        per_person_cap=program.per_person_cap,
    )


def tuition_apply(*, member: Member, program: Program, data: dict) -> Application:
    decision = tuition_can_apply(
        member=member, program=program, social_insurance_months=data.get("social_insurance_months")
    )
    if not decision:
        raise ValidationError(decision.reason)
    amount = tuition_amount(program=program, data=data)
    if amount.value <= 0:
        raise ValidationError(amount.reason)
    with transaction.atomic():
        application = application_create(
            program=program,
            applicant=member,
            bank_card=data["bank_card"],
            requested_amount=amount.value,
            reason=amount.reason,
        )
        if program.kind == ProgramKind.TUITION:
            TuitionRequest.objects.create(
                application=application,
                school=data["school"],
                major=data["major"],
                level=data["level"],
                academic_year=data["academic_year"],
                tuition_paid=data["tuition_paid"],
            )
        else:
            SkillAwardRequest.objects.create(
                application=application,
                level=data["level"],
                occupation=data["occupation"],
                certificate_number=data["certificate_number"],
            )
    return application
