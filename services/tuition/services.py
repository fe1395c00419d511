"""Applying to a tuition or skill program: eligibility with its reasons, the amount by the
program's rule, then a draft application with its details (or the draft changed), in one
transaction."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications import selectors
from services.applications.ledger import member_year_total
from services.applications.models import Application, Program
from services.applications.services import application_create, application_update
from services.decisions import Decision
from services.members.certificates import verified_certificates
from services.members.models import CertificateStatus, Member, User
from services.members.services import member_set_bank_card
from services.tuition import rules
from services.tuition.models import SkillAwardRequest, TuitionRequest


def tuition_can_apply(
    *, member: Member, program: Program, social_insurance_months: int | None = None
) -> Decision:
    """Whether the worker may apply, and if not, why (told before they fill in a form)."""
    available = selectors.program_availability(program=program)
    if not available:
        return available
    earlier = selectors.earlier_application(member=member, program=program)
    if earlier is not None:
        if earlier.status == "rejected":
            return Decision.deny(
                _("您在本批次的申请（%(ref)s）未通过，本批次不能再次申请。")
                % {"ref": earlier.reference},
                code="rejected_before",
            )
        return Decision.deny(
            _("您已经申请过本批次（%(ref)s，%(status)s），请在“我的申请”中查看。")
            % {"ref": earlier.reference, "status": earlier.status_label},
            code="already_applied",
        )
    if program.kind == "skill_award":
        on_record = certificate_on_record(member)
        if not on_record:
            return on_record
    return rules.eligibility(
        facts=rules.ApplicantFacts(
            is_verified_member=member.is_member,
            joined_on=member.joined_on,
            birth_date=member.birth_date,
            subsidised_this_year=member_year_total(
                member=member, program_code=program.code, year=program.year
            )
            > 0,
            social_insurance_months=social_insurance_months,
        ),
        min_membership_months=program.min_membership_months,
        min_age=program.min_age,
        today=timezone.localdate(),
    )


def certificate_on_record(member: Member) -> Decision:
    """A skill award is for a verified certificate on the worker's record."""
    if verified_certificates(member).exists():
        return Decision.allow()
    if member.certificates.filter(status=CertificateStatus.SUBMITTED).exists():
        return Decision.deny(
            _("您上传的职业技能等级证书正在核验，核验通过后就可以申请。"),
            code="certificate_waiting",
        )
    return Decision.deny(
        _("请先在“我的证书”上传职业技能等级证书，核验通过后再申请。"), code="no_certificate"
    )


def _check_certificate(*, member: Member, program: Program, data: dict, application=None) -> None:
    """The certificate is the worker's, verified, and not already awarded by this program (in
    any year or batch)."""
    certificate = data.get("certificate")
    if (
        certificate is None
        or certificate.member_id != member.pk
        or certificate.status != CertificateStatus.VERIFIED
    ):
        raise ValidationError(_("请选择一张已核验的证书。"), code="certificate_used")
    used = SkillAwardRequest.objects.filter(
        certificate=certificate, application__program__code=program.code
    ).exclude(application__status__in=["rejected", "withdrawn"])
    if application is not None:
        used = used.exclude(application=application)
    if used.exists():
        raise ValidationError(
            _("这张证书已经申请过“%(program)s”，同一张证书不能重复奖励。")
            % {"program": program.name},
            code="certificate_used",
        )


def tuition_amount(*, program: Program, data: dict) -> rules.Amount:
    """What the rule gives for these details; a program whose parameters are wrong says so
    instead of failing."""
    params = program.rule_params or {}
    try:
        params = program.program_type.validate_params(params)
    except ValidationError:
        return rules.Amount(Decimal("0.00"), _("本项目的计算参数设置有误，请联系区总工会。"))
    if program.kind == "tuition":
        return rules.tuition_subsidy(
            tuition_paid=Decimal(data["tuition_paid"]),
            share=Decimal(params["share"]),
            cap=Decimal(params["cap"]),
            per_person_cap=program.per_person_cap,
        )
    return rules.skill_award(
        level=data["level"], amounts=params["amounts"], per_person_cap=program.per_person_cap
    )


def _details(program: Program, data: dict) -> dict:
    if program.kind == "tuition":
        fields = ["school", "major", "level", "academic_year", "tuition_paid"]
    else:
        fields = ["certificate", "level", "occupation", "certificate_number"]
    return {
        **{name: data[name] for name in fields},
        "social_insurance_months": data.get("social_insurance_months"),
    }


def tuition_apply(*, member: Member, program: Program, data: dict, actor: User) -> Application:
    decision = tuition_can_apply(
        member=member, program=program, social_insurance_months=data.get("social_insurance_months")
    )
    if not decision:
        raise ValidationError(decision.reason, code=decision.code or "not_eligible")
    if program.kind == "skill_award":
        _check_certificate(member=member, program=program, data=data)
    amount = tuition_amount(program=program, data=data)
    if amount.value <= 0:
        raise ValidationError(amount.reason, code="no_amount")
    with transaction.atomic():
        if data.get("bank_card"):
            member_set_bank_card(member=member, card=data["bank_card"], actor=actor)
        elif not member.bank_card:
            raise ValidationError(_("请填写收款银行卡号。"), code="bank_card_required")
        application = application_create(
            program=program, applicant=member, requested_amount=amount.value,
            reason=amount.reason, actor=actor,
        )  # fmt: skip
        model = TuitionRequest if program.kind == "tuition" else SkillAwardRequest
        model.objects.create(application=application, **_details(program, data))
    return application


def tuition_update(*, application: Application, data: dict, actor: User) -> Application:
    """The worker changes a draft: its details, and the amount the rule now gives."""
    program = application.program
    if program.kind == "skill_award":
        _check_certificate(
            member=application.applicant, program=program, data=data, application=application
        )
    amount = tuition_amount(program=program, data=data)
    if amount.value <= 0:
        raise ValidationError(amount.reason, code="no_amount")
    with transaction.atomic():
        application_update(
            application=application, requested_amount=amount.value, reason=amount.reason,
            actor=actor,
        )  # fmt: skip
        if data.get("bank_card"):
            member_set_bank_card(member=application.applicant, card=data["bank_card"], actor=actor)
        model = TuitionRequest if program.kind == "tuition" else SkillAwardRequest
        model.objects.filter(application=application).update(**_details(program, data))
    return application
