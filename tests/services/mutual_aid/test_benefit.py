"""The mutual-aid benefit engine: a table of worked cases, then properties that hold for any
plan and any claims (never negative, never above a cap, monotone in the cost, a year's claims
never above the yearly cap), and the checks on the rules staff enter."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from services.mutual_aid.benefit import Claim, Rules, benefit, parse_rules, rules_as_params

D = Decimal

# ① inpatient costs after basic insurance at 二级 or above
INPATIENT = Rules(
    deductible=D("500.00"), ratios={"二级": D("0.5"), "三级": D("0.4")},
    per_claim_cap=D("20000.00"), yearly_cap=D("30000.00"),
)  # fmt: skip
# ② listed major illnesses plus a daily allowance in hospital
MAJOR = Rules(
    daily_allowance=D("50.00"), max_days=30,
    lump_sums={"恶性肿瘤": D("10000.00"), "急性心肌梗塞": D("8000.00")},
    yearly_cap=D("20000.00"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("rules", "claim", "received", "amount", "words"),
    [
        # 8,000 − 500 = 7,500 × 50 % = 3,750
        (INPATIENT, Claim(D("8000"), "二级"), D(0), D("3750.00"), "7,500.00 元 × 50%"),
        # 三级 pays 40 %: 7,500 × 40 % = 3,000
        (INPATIENT, Claim(D("8000"), "三级"), D(0), D("3000.00"), "40%（三级医院）"),
        # under the deductible: nothing
        (INPATIENT, Claim(D("300"), "二级"), D(0), D("0.00"), "= 0.00 元"),
        # 一级 is not covered
        (INPATIENT, Claim(D("8000"), "一级"), D(0), D("0.00"), "一级医院不在本计划的报销范围内"),
        # rounding half up to the fen: (1000.01 − 500) × 0.5 = 250.005 → 250.01
        (INPATIENT, Claim(D("1000.01"), "二级"), D(0), D("250.01"), "= 250.01 元"),
        # per-claim cap: (60,500 − 500) × 50 % = 30,000 → 20,000
        (INPATIENT, Claim(D("60500"), "二级"), D(0), D("20000.00"), "超过每次最高 20,000.00 元"),
        # yearly cap: 25,000 already received, 5,000 left
        (INPATIENT, Claim(D("20500"), "二级"), D("25000"), D("5000.00"), "还可获 5,000.00 元"),
        # the cap used up: nothing
        (INPATIENT, Claim(D("20500"), "二级"), D("30000"), D("0.00"), "还可获 0.00 元"),
        # lump sum and allowance: 10,000 + 50 × 12 = 10,600
        (MAJOR, Claim(days=12, illness="恶性肿瘤"), D(0), D("10600.00"), "定额 10,000.00 元"),
        # allowance days capped at 30: 50 × 30 = 1,500
        (MAJOR, Claim(days=45), D(0), D("1500.00"), "最多 30 天"),
        # an illness not in the list gets no lump sum
        (MAJOR, Claim(illness="感冒"), D(0), D("0.00"), "感冒不在本计划的病种目录中"),
    ],
)  # fmt: skip
def test_worked_cases(rules, claim, received, amount, words):
    result = benefit(rules, claim, received)
    assert result.amount == amount
    assert words in result.reason
    assert result.amount.as_tuple().exponent == -2


amounts = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False)
shares = st.decimals(min_value=D("0.01"), max_value=1, places=2)
levels = st.sampled_from(["一级", "二级", "三级", ""])


@st.composite
def plans(draw):
    return Rules(
        deductible=draw(st.decimals(min_value=0, max_value=5000, places=2)),
        ratios=draw(st.dictionaries(st.sampled_from(["一级", "二级", "三级"]), shares)),
        daily_allowance=draw(st.decimals(min_value=0, max_value=300, places=2)),
        max_days=draw(st.integers(min_value=1, max_value=90)),
        lump_sums=draw(st.dictionaries(st.sampled_from(["恶性肿瘤", "尿毒症"]), amounts)),
        per_claim_cap=draw(st.one_of(st.none(), amounts)),
        yearly_cap=draw(amounts),
    )


@st.composite
def claims(draw):
    return Claim(
        eligible_cost=draw(amounts), hospital_level=draw(levels),
        days=draw(st.integers(min_value=0, max_value=400)),
        illness=draw(st.sampled_from(["", "恶性肿瘤", "尿毒症", "感冒"])),
    )  # fmt: skip


@given(plans(), claims(), amounts)
def test_never_negative_and_never_above_a_cap(rules, claim, received):
    result = benefit(rules, claim, received)
    assert result.amount >= 0
    if rules.per_claim_cap is not None:
        assert result.amount <= rules.per_claim_cap
    assert result.amount <= max(rules.yearly_cap - received, 0)
    assert result.yearly_left >= 0


@given(plans(), claims(), amounts, amounts)
def test_monotone_in_the_eligible_cost(rules, claim, received, more):
    lower = benefit(rules, claim, received)
    higher = benefit(
        rules, Claim(claim.eligible_cost + more, claim.hospital_level, claim.days, claim.illness),
        received,
    )  # fmt: skip
    assert higher.amount >= lower.amount


@given(plans(), st.lists(claims(), max_size=8))
def test_a_years_claims_never_pass_the_yearly_cap(rules, year):
    received = Decimal("0.00")
    for claim in year:
        received += benefit(rules, claim, received).amount
    assert received <= rules.yearly_cap


def test_the_rules_staff_enter_are_checked_with_reasons():
    good = parse_rules(
        {"deductible": "500", "ratios": {"二级": "0.5"}, "per_claim_cap": "20000"},
        yearly_cap=D("30000"),
    )
    assert good.ratios == {"二级": D("0.5")} and good.deductible == D("500.00")
    assert parse_rules(rules_as_params(good), yearly_cap=D("30000")) == good
    for params, message in (
        ({}, "请至少设置一种给付"),
        ({"ratios": {"四级": "0.5"}}, "医院级别“四级”不认识"),
        ({"ratios": {"二级": "1.5"}}, "报销比例应为 0 到 1 之间"),
        ({"ratios": {"二级": "0.5"}, "deductible": "1e5"}, "最多两位小数的金额"),
        ({"ratios": {"二级": "0.5"}, "deductible": "-1"}, "最多两位小数的金额"),
        ({"ratios": {"二级": "0.5"}, "bonus": "1"}, "不认识的参数：bonus"),
        ({"daily_allowance": "50"}, "最多天数"),
        ({"lump_sums": {"恶性肿瘤": "abc"}}, "病种定额"),
    ):
        with pytest.raises(ValidationError, match=message):
            parse_rules(params, yearly_cap=D("1000"))
