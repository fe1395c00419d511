"""The amount and eligibility rules, tested without the database."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.tuition.rules import (
    ApplicantFacts,
    eligibility,
    months_between,
    skill_award,
    tuition_subsidy,
)


def test_share_of_tuition_up_to_the_cap():
    low = tuition_subsidy(
        tuition_paid=Decimal("5000"), share=Decimal("0.6"), cap=Decimal("4000"),
        per_person_cap=Decimal("4000"),
    )  # fmt: skip
    assert low.value == Decimal("3000.00")
    assert "5,000.00 元 × 60% = 3,000.00 元" in low.reason
    high = tuition_subsidy(
        tuition_paid=Decimal("9800"), share=Decimal("0.6"), cap=Decimal("4000"),
        per_person_cap=Decimal("4000"),
    )  # fmt: skip
    assert high.value == Decimal("4000.00") and "按上限补助" in high.reason


@given(
    st.decimals(min_value=0, max_value=100000, places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=1, places=2),
    st.decimals(min_value=0, max_value=10000, places=2),
    st.decimals(min_value=0, max_value=10000, places=2),
)
def test_tuition_subsidy_never_exceeds_any_limit(paid, share, cap, per_person):
    amount = tuition_subsidy(tuition_paid=paid, share=share, cap=cap, per_person_cap=per_person)
    assert amount.value <= cap and amount.value <= per_person
    assert amount.value <= paid * share + Decimal("0.005")  # at most rounding up half a fen
    assert amount.value == amount.value.quantize(Decimal("0.01"))
    assert amount.value >= 0


def test_skill_award_by_level():
    amounts = {"高级工": "1000", "技师": "2000"}
    assert skill_award(level="技师", amounts=amounts, per_person_cap=Decimal("3000")).value == 2000
    assert skill_award(level="技师", amounts=amounts, per_person_cap=Decimal("1500")).value == 1500
    none = skill_award(level="初级工", amounts=amounts, per_person_cap=Decimal("3000"))
    assert none.value == 0 and "不奖励" in none.reason


def facts(**overrides):
    base = {
        "is_verified_member": True,
        "joined_on": date(2025, 1, 10),
        "birth_date": date(1990, 6, 1),
        "subsidised_this_year": False,
    }
    return ApplicantFacts(**{**base, **overrides})


def check(**overrides):
    return eligibility(
        facts=facts(**overrides), min_membership_months=6, min_age=18, today=date(2026, 11, 24)
    )


def test_eligibility_reasons():
    assert check()
    assert "工会会员" in check(is_verified_member=False).reason
    assert "入会满 6 个月" in check(joined_on=date(2026, 6, 1)).reason
    assert check(joined_on=date(2026, 5, 24))
    assert "年满 18 周岁" in check(birth_date=date(2008, 11, 25)).reason
    assert check(birth_date=date(2008, 11, 24))
    assert "已经获得过" in check(subsidised_this_year=True).reason


def test_months_between():
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert months_between(date(2026, 1, 15), date(2026, 7, 15)) == 6


def test_social_insurance_months_can_stand_in_for_membership_months():
    assert not check(joined_on=date(2026, 6, 1))
    assert check(joined_on=date(2026, 6, 1), social_insurance_months=8)
    assert not check(joined_on=date(2026, 6, 1), social_insurance_months=5)
    assert check(joined_on=None, is_verified_member=True, social_insurance_months=6)


def test_amounts_always_have_two_decimal_places():
    capped = tuition_subsidy(
        tuition_paid=Decimal("8000"), share=Decimal("0.6"), cap=Decimal("4000"),
        per_person_cap=Decimal("4000"),
    )  # fmt: skip
    assert str(capped.value) == "4000.00"
