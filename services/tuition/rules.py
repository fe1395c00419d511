"""How much a worker gets, and whether they may apply: pure functions, no database.

厂门口上大学 and the other study subsidies pay a share of the tuition actually paid, up to the
program's cap and the per-person cap (for example 60 %, at most 4,000 元 a year). Skill awards
pay a fixed amount for the level on the certificate. Amounts are Decimal 元 rounded to fen.
Every result carries the reason in words, so the worker sees *why* before submitting.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from services.decisions import Decision
from services.money import FEN, yuan


@dataclass(frozen=True)
class Amount:
    value: Decimal
    reason: str


def percent(share: Decimal) -> str:
    """0.6 -> "60", 0.125 -> "12.5"."""
    return format((share * 100).normalize(), "f")


def tuition_subsidy(
    *, tuition_paid: Decimal, share: Decimal, cap: Decimal, per_person_cap: Decimal
) -> Amount:
    raw = (tuition_paid * share).quantize(FEN, rounding=ROUND_HALF_UP)
    limit = min(cap, per_person_cap)
    value = min(raw, limit).quantize(FEN)
    reason = _("实缴学费 %(paid)s 元 × %(share)s%% = %(raw)s 元") % {
        "paid": yuan(tuition_paid),
        "share": percent(share),
        "raw": yuan(raw),
    }
    if value < raw:
        reason += _("，超过上限 %(limit)s 元，按上限补助") % {"limit": yuan(limit)}
    return Amount(value, reason)


def skill_award(*, level: str, amounts: dict, per_person_cap: Decimal) -> Amount:
    if level not in amounts:
        return Amount(Decimal("0.00"), _("该项目不奖励“%(level)s”等级") % {"level": level})
    value = min(Decimal(str(amounts[level])), per_person_cap).quantize(FEN)
    return Amount(value, _("%(level)s 奖励 %(value)s 元") % {"level": level, "value": yuan(value)})


@dataclass(frozen=True)
class ApplicantFacts:
    is_verified_member: bool
    joined_on: date | None
    birth_date: date
    subsidised_this_year: bool
    # Months of social insurance the worker declares; counts instead of membership months.
    social_insurance_months: int | None = None


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def eligibility(
    *, facts: ApplicantFacts, min_membership_months: int, min_age: int, today: date
) -> Decision:
    if not facts.is_verified_member:
        return Decision.deny(
            _("只有已核实的工会会员可以申请，请先在“我的”页面申请入会。"), code="not_member"
        )
    member_months = months_between(facts.joined_on, today) if facts.joined_on else 0
    if max(member_months, facts.social_insurance_months or 0) < min_membership_months:
        return Decision.deny(
            _("入会满 %(months)s 个月（或在本区缴纳社保满 %(months)s 个月）才能申请。")
            % {"months": min_membership_months},
            code="tenure",
        )
    age = (
        today.year
        - facts.birth_date.year
        - ((today.month, today.day) < (facts.birth_date.month, facts.birth_date.day))
    )
    if age < min_age:
        return Decision.deny(_("年满 %(age)s 周岁才能申请。") % {"age": min_age}, code="age")
    if facts.subsidised_this_year:
        return Decision.deny(_("您今年已经获得过本项目的补助。"), code="already_paid_this_year")
    return Decision.allow()
