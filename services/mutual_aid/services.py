"""Every write about mutual-aid claims goes through these functions (rosters: ``roster.py``).

A member covered by a plan files a claim: the benefit the plan's rules give is shown line by
line before saving, with what is left of the yearly cap; the claim is a draft application of
the plan's program with its ``ClaimDetails`` and invoice numbers, then proofs, then submit, on
the shared two-stage workflow. Reviewing staff may correct the declared amounts: the benefit
is recomputed and the audit keeps both versions. Approval reserves the money in the ledger
(the yearly cap per member is checked again there, under locks).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from services.applications.engine import notify, record_change, steps_for
from services.applications.models import Application, ReferenceCounter
from services.applications.selectors import program_availability
from services.applications.services import application_create, application_update
from services.decisions import Decision
from services.members.models import Member, User
from services.members.services import member_set_bank_card
from services.money import yuan
from services.mutual_aid import selectors
from services.mutual_aid.benefit import Benefit, Claim, benefit, parse_rules
from services.mutual_aid.models import ClaimDetails, ClaimInvoice, ClaimKind, Coverage, Plan

DETAIL_FIELDS = (
    "kind", "hospital", "hospital_level", "admitted_on", "discharged_on", "illness",
    "diagnosis", "total_cost", "insurance_paid", "eligible_cost",
)  # fmt: skip
AMOUNT_FIELDS = ("total_cost", "insurance_paid", "eligible_cost")


def amount_label(field: str) -> str:
    return {
        "total_cost": _("医疗费用总额"), "insurance_paid": _("基本医保已支付"),
        "eligible_cost": _("合规自付费用"),
    }[field]  # fmt: skip


def claim_can_file(*, member: Member, plan: Plan) -> Decision:
    """Whether the member may file a claim on the plan now, and if not, why."""
    if not selectors.covered(member=member, plan=plan):
        return Decision.deny(
            _("您不在“%(plan)s”的参保名单中。医疗互助由单位工会统一参保，请联系单位工会。")
            % {"plan": plan.program.name},
            code="not_covered",
        )
    program = plan.program
    if timezone.now() > program.closes_at:
        return Decision.deny(
            _("“%(plan)s”的理赔申请已于 %(date)s 截止。")
            % {
                "plan": program.name,
                "date": timezone.localtime(program.closes_at).strftime("%Y-%m-%d"),
            },
            code="closed",
        )
    return program_availability(program=program)


@dataclass(frozen=True)
class Preview:
    benefit: Benefit
    received: Decimal
    cap: Decimal


def claim_benefit(*, plan: Plan, member: Member, data: dict) -> Preview:
    """The benefit the plan's rules give for these amounts, with the yearly cap."""
    program = plan.program
    rules = parse_rules(program.rule_params or {}, yearly_cap=program.per_person_cap)
    already = selectors.received(member=member, plan=plan)
    days = 0
    if data.get("discharged_on") and data["kind"] == ClaimKind.INPATIENT:
        days = max((data["discharged_on"] - data["admitted_on"]).days, 1)
    claim = Claim(
        eligible_cost=data["eligible_cost"], hospital_level=data["hospital_level"], days=days,
        illness=data.get("illness", "") if data["kind"] == ClaimKind.ILLNESS else "",
    )  # fmt: skip
    return Preview(benefit(rules, claim, already), already, program.per_person_cap)


def check_claim(*, plan: Plan, data: dict, member: Member | None = None) -> list[tuple[str, str]]:
    """What is wrong with the declared facts, as (field, reason) pairs."""
    problems = []
    total, insured, eligible = (data[f] for f in AMOUNT_FIELDS)
    if insured > total:
        problems.append(("insurance_paid", _("基本医保已支付的金额不能超过费用总额。")))
    elif eligible > total - insured:
        problems.append((
            "eligible_cost",
            _("合规自付费用不能超过费用总额减去医保已支付的部分（%(left)s 元）。")
            % {"left": yuan(total - insured)},
        ))  # fmt: skip
    admitted, discharged = data["admitted_on"], data.get("discharged_on")
    if not plan.cover_starts <= admitted <= plan.cover_ends:
        problems.append((
            "admitted_on",
            _("就诊日期应在保障期内（%(start)s 至 %(end)s）。")
            % {"start": f"{plan.cover_starts:%Y-%m-%d}", "end": f"{plan.cover_ends:%Y-%m-%d}"},
        ))  # fmt: skip
    if admitted > timezone.localdate():
        problems.append(("admitted_on", _("就诊日期不能晚于今天。")))
    starts = (
        Coverage.objects.filter(plan=plan, member=member)
        .values_list("starts_on", flat=True)
        .first()
        if member is not None
        else None
    )
    if starts is not None and admitted < starts and plan.cover_starts <= admitted:
        problems.append((
            "admitted_on",
            _("您的保障从 %(date)s 开始，之前的就诊不在保障范围内。")
            % {"date": f"{starts:%Y-%m-%d}"},
        ))  # fmt: skip
    if data["kind"] == ClaimKind.INPATIENT and discharged is None:
        problems.append(("discharged_on", _("住院理赔请填写出院日期。")))
    if discharged is not None:
        if discharged < admitted:
            problems.append(("discharged_on", _("出院日期不能早于入院日期。")))
        elif discharged > timezone.localdate():
            problems.append(("discharged_on", _("出院后才能申请理赔。")))
    if data["kind"] == ClaimKind.ILLNESS:
        listed = parse_rules(plan.program.rule_params or {}, yearly_cap=Decimal(0)).lump_sums
        if data.get("illness") not in listed:
            problems.append(("illness", _("请选择本计划病种目录中的病种。")))
    return problems


def _raise_first(problems) -> None:
    if problems:
        field, reason = problems[0]
        raise ValidationError({field: reason})


def _store_invoices(claim: ClaimDetails, numbers: list[str]) -> None:
    """Invoice numbers are claimed once, in anyone's claim. Saves of claims take turns (a row
    lock), so two claims with the same invoice filed at once get one; a withdrawn claim frees
    its invoices."""
    ReferenceCounter.objects.select_for_update().get_or_create(key="mutual-aid-invoices")
    held = ClaimInvoice.objects.filter(number__in=numbers).exclude(claim=claim)
    freed = held.filter(claim__application__status="withdrawn")
    freed.delete()
    taken = held.select_related("claim__application").first()
    if taken is not None:
        raise ValidationError(
            {"invoices": _("发票号码 %(number)s 已用于其他理赔申请，同一张发票不能重复理赔。")
             % {"number": taken.number}}
        )  # fmt: skip
    claim.invoices.exclude(number__in=numbers).delete()
    have = set(claim.invoices.values_list("number", flat=True))
    try:
        with transaction.atomic():
            ClaimInvoice.objects.bulk_create(
                ClaimInvoice(claim=claim, number=n) for n in numbers if n not in have
            )
    except IntegrityError as error:
        raise ValidationError(
            {"invoices": _("发票号码已用于其他理赔申请，同一张发票不能重复理赔。")}
        ) from error


def claim_file(*, member: Member, plan: Plan, data: dict, actor: User) -> Application:
    """A draft claim with its details and invoices, or nothing at all."""
    if actor.pk != member.user_id:
        raise PermissionDenied(_("只有职工本人可以申请理赔。"))
    decision = claim_can_file(member=member, plan=plan)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    _raise_first(check_claim(plan=plan, data=data, member=member))
    preview = claim_benefit(plan=plan, member=member, data=data)
    if preview.benefit.amount <= 0:
        raise ValidationError(
            _("按本计划的规则，这次理赔没有可给付的金额：%(why)s")
            % {"why": preview.benefit.reason or "-"},
            code="no_amount",
        )
    with transaction.atomic():
        if data.get("bank_card"):
            member_set_bank_card(member=member, card=data["bank_card"], actor=actor)
        elif not member.bank_card_last4:
            raise ValidationError({"bank_card": _("请填写收款银行卡号，给付发放到这张卡。")})
        application = application_create(
            program=plan.program, applicant=member, requested_amount=preview.benefit.amount,
            reason=preview.benefit.reason, actor=actor,
        )  # fmt: skip
        claim = ClaimDetails.objects.create(
            application=application,
            plan=plan,
            **{f: _value(data, f) for f in DETAIL_FIELDS},
        )
        _store_invoices(claim, data["invoices"])
    return application


def _value(data: dict, field: str):
    """The declared value; an empty optional field is stored empty (a date as None), and an
    amount of 0 stays 0."""
    value = data.get(field)
    if value is None or value == "":
        return None if field == "discharged_on" else ""
    return value


def claim_update(*, application: Application, data: dict, actor: User) -> Application:
    """The member changes a draft claim: its details, invoices and the benefit."""
    claim = application.claim
    _raise_first(check_claim(plan=claim.plan, data=data, member=application.applicant))
    preview = claim_benefit(plan=claim.plan, member=application.applicant, data=data)
    if preview.benefit.amount <= 0:
        raise ValidationError(
            _("按本计划的规则，这次理赔没有可给付的金额：%(why)s")
            % {"why": preview.benefit.reason or "-"},
            code="no_amount",
        )
    with transaction.atomic():
        application_update(
            application=application, requested_amount=preview.benefit.amount,
            reason=preview.benefit.reason, actor=actor,
        )  # fmt: skip
        for field in DETAIL_FIELDS:
            setattr(claim, field, _value(data, field))
        claim.save()
        _store_invoices(claim, data["invoices"])
    return application


def claim_correct(*, claim: ClaimDetails, actor: User, amounts: dict, note: str) -> Decimal:
    """Reviewing staff correct the declared amounts (from the settlement slip): the benefit is
    recomputed and becomes the amount the rules give; the audit row keeps the old and the new
    figures and the amounts before and after."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请写明更正的原因，申请人会看到。")})
    if len(note) > 300:
        raise ValidationError({"note": _("原因最多 300 个字。")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=claim.application_id)
        claim = ClaimDetails.objects.select_for_update().get(pk=claim.pk)
        allowed = {row.name for row, _role in steps_for(actor, application)}
        if not allowed & {"recommend", "approve"}:
            raise PermissionDenied(_("只有正在审核这份申请的工作人员可以更正金额。"))
        role = next(r for row, r in steps_for(actor, application) if row.name in allowed)
        data = {f: getattr(claim, f) for f in DETAIL_FIELDS} | amounts
        _raise_first(check_claim(plan=claim.plan, data=data))
        preview = claim_benefit(plan=claim.plan, member=application.applicant, data=data)
        changes = [
            _("%(field)s %(old)s → %(new)s 元")
            % {"field": amount_label(f),
               "old": yuan(getattr(claim, f)), "new": yuan(amounts[f])}
            for f in AMOUNT_FIELDS if f in amounts and amounts[f] != getattr(claim, f)
        ]  # fmt: skip
        if not changes:
            raise ValidationError({"note": _("金额没有变化。")})
        before = application.requested_amount
        for field, value in amounts.items():
            setattr(claim, field, value)
        claim.save(update_fields=list(amounts))
        application.requested_amount = preview.benefit.amount
        application.amount_reason = preview.benefit.reason[:300]
        application.save(update_fields=["requested_amount", "amount_reason"])
        record_change(
            application=application, step=None, actor=actor, role=role,
            note=_("更正申报金额：%(changes)s。%(note)s")
            % {"changes": "；".join(changes), "note": note},
            from_status=application.status, amounts=(before, preview.benefit.amount),
        )  # fmt: skip
        notify(
            user_id=application.applicant.user_id,
            message=gettext_noop(
                "您的理赔申请 %(ref)s 的申报金额已由审核人员更正：%(changes)s。"
                "按规则重新计算的给付为 %(amount)s 元。原因：%(note)s"
            ),
            params={"ref": application.reference, "changes": "；".join(changes),
                    "amount": yuan(preview.benefit.amount), "note": note},
            link=application.get_absolute_url(), about=application,
        )  # fmt: skip
    return preview.benefit.amount
