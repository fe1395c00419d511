"""The mutual-aid benefit engine: a pure function, no database.

A plan's rules are the figures staff enter for a plan year (no figure lives in the code):

- ``deductible`` (起付线): the part of each claim's eligible out-of-pocket cost the member
  bears; ``ratios``: the share paid above it, by hospital level (一级/二级/三级); a level not
  listed is not covered;
- ``daily_allowance`` and ``max_days``: a sum per day in hospital, for at most so many days a
  claim;
- ``lump_sums``: a fixed sum for each listed illness (重大疾病, 女性特定癌症);
- ``per_claim_cap``: at most this much for one claim; the yearly cap per member is the
  program's ``per_person_cap`` (the ledger checks it again under its locks).

``benefit`` takes the rules, one claim's amounts and what the member has already been granted
by the plan this period, and gives the benefit with every step explained: the deductible, the
ratio, the allowance, the lump sum, the per-claim cap, the yearly cap. Amounts are Decimal 元;
the one multiplication by a ratio is rounded half up to the fen, every other step adds or
caps amounts already in fen, so the result is exact to the fen.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from services.money import FEN, yuan

ZERO = Decimal("0.00")
LEVELS = ("一级", "二级", "三级")
LIMIT = Decimal("10000000")  # no single figure of a plan reaches 10 million 元
# Written out in full: no scientific notation ("1e5"), at most two places.
AMOUNT = re.compile(r"\d{1,8}(\.\d{1,2})?")
SHARE = re.compile(r"[01](\.\d{1,4})?")


@dataclass(frozen=True)
class Rules:
    deductible: Decimal = ZERO
    ratios: dict = field(default_factory=dict)  # hospital level -> share, 0 < share <= 1
    daily_allowance: Decimal = ZERO
    max_days: int = 0
    lump_sums: dict = field(default_factory=dict)  # listed illness -> amount
    per_claim_cap: Decimal | None = None
    yearly_cap: Decimal = ZERO


@dataclass(frozen=True)
class Claim:
    """What one claim asks for: the eligible out-of-pocket cost after basic medical insurance
    at a hospital level, days in hospital, and a listed illness (or none)."""

    eligible_cost: Decimal = ZERO
    hospital_level: str = ""
    days: int = 0
    illness: str = ""


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal
    explanation: str


@dataclass(frozen=True)
class Benefit:
    amount: Decimal
    lines: tuple[Line, ...]
    yearly_left: Decimal  # what is left of the yearly cap after this claim

    @property
    def reason(self) -> str:
        return "；".join(f"{line.label}：{line.explanation}" for line in self.lines)


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def benefit(rules: Rules, claim: Claim, received: Decimal) -> Benefit:
    """The benefit of one claim, step by step."""
    lines: list[Line] = []
    subtotal = ZERO
    if rules.ratios and claim.eligible_cost > 0:
        over = max(claim.eligible_cost - rules.deductible, ZERO)
        lines.append(Line(
            _("起付线"), over,
            _("合规自付 %(cost)s 元 − 起付线 %(deductible)s 元 = %(over)s 元")
            % {"cost": yuan(claim.eligible_cost), "deductible": yuan(rules.deductible),
               "over": yuan(over)},
        ))  # fmt: skip
        ratio = rules.ratios.get(claim.hospital_level)
        if ratio is None:
            part = ZERO
            explanation = _("%(level)s医院不在本计划的报销范围内") % {
                "level": claim.hospital_level or _("该级别")
            }
        else:
            part = _fen(over * ratio)
            explanation = _("%(over)s 元 × %(ratio)s%%（%(level)s医院）= %(part)s 元") % {
                "over": yuan(over), "ratio": _percent(ratio), "level": claim.hospital_level,
                "part": yuan(part),
            }  # fmt: skip
        lines.append(Line(_("按比例报销"), part, explanation))
        subtotal += part
    if rules.daily_allowance > 0 and claim.days > 0:
        days = min(claim.days, rules.max_days)
        part = rules.daily_allowance * days
        lines.append(Line(
            _("住院津贴"), part,
            _("%(daily)s 元/天 × %(days)s 天（本计划每次最多 %(max)s 天）= %(part)s 元")
            % {"daily": yuan(rules.daily_allowance), "days": days, "max": rules.max_days,
               "part": yuan(part)},
        ))  # fmt: skip
        subtotal += part
    if claim.illness:
        part = rules.lump_sums.get(claim.illness, ZERO)
        if part:
            explanation = _("%(illness)s定额 %(part)s 元") % {
                "illness": claim.illness,
                "part": yuan(part),
            }
        else:
            explanation = _("%(illness)s不在本计划的病种目录中") % {"illness": claim.illness}
        lines.append(Line(_("病种定额"), part, explanation))
        subtotal += part
    amount = subtotal
    if rules.per_claim_cap is not None and amount > rules.per_claim_cap:
        amount = rules.per_claim_cap
        lines.append(Line(
            _("单次封顶"), amount,
            _("合计 %(subtotal)s 元，超过每次最高 %(cap)s 元，按 %(cap)s 元")
            % {"subtotal": yuan(subtotal), "cap": yuan(rules.per_claim_cap)},
        ))  # fmt: skip
    left = max(rules.yearly_cap - received, ZERO)
    if amount > left:
        lines.append(Line(
            _("年度封顶"), left,
            _("每人每年最高 %(cap)s 元，本年已获 %(received)s 元，还可获 %(left)s 元")
            % {"cap": yuan(rules.yearly_cap), "received": yuan(received), "left": yuan(left)},
        ))  # fmt: skip
        amount = left
    amount = amount.quantize(FEN)
    return Benefit(amount=amount, lines=tuple(lines), yearly_left=(left - amount).quantize(FEN))


def _percent(share: Decimal) -> str:
    return format((share * 100).normalize(), "f")


# -- the rules as staff enter them -------------------------------------------------------------


def _amount(params: dict, key: str, label: str, *, required=False) -> Decimal:
    raw = params.get(key)
    if raw in (None, ""):
        if required:
            raise ValidationError(_("请填写%(label)s（%(key)s）。") % {"label": label, "key": key})
        return ZERO
    text = str(raw).strip()
    if not AMOUNT.fullmatch(text) or Decimal(text) >= LIMIT:
        raise ValidationError(
            _("%(label)s（%(key)s）应为 0 到 1000 万元之间、最多两位小数的金额。")
            % {"label": label, "key": key}
        )
    return Decimal(text).quantize(FEN)


def parse_rules(params: dict, *, yearly_cap: Decimal) -> Rules:
    """The plan's rule parameters, checked; raises ``ValidationError`` with a message staff can
    act on. At least one kind of benefit (ratios, an allowance, lump sums) must be set."""
    if not isinstance(params, dict):
        raise ValidationError(_("计算参数应为一个 JSON 对象。"))
    known = {"deductible", "ratios", "daily_allowance", "max_days", "lump_sums", "per_claim_cap"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValidationError(
            _("不认识的参数：%(keys)s。可用的参数：%(known)s。")
            % {"keys": "、".join(unknown), "known": "、".join(sorted(known))}
        )
    ratios = {}
    for level, raw in (params.get("ratios") or {}).items():
        if level not in LEVELS:
            raise ValidationError(
                _("医院级别“%(level)s”不认识，应为一级、二级或三级。") % {"level": level}
            )
        text = str(raw).strip()
        share = Decimal(text) if SHARE.fullmatch(text) else Decimal(0)
        if not Decimal(0) < share <= 1:
            raise ValidationError(_('报销比例应为 0 到 1 之间的小数，例如 "0.5"。'))
        ratios[level] = share
    lump_sums = {}
    for illness, raw in (params.get("lump_sums") or {}).items():
        name = str(illness).strip()
        if not name or len(name) > 30:
            raise ValidationError(_("病种名称应为 1 到 30 个字。"))
        lump_sums[name] = _amount({"x": raw}, "x", _("病种定额"), required=True)
    daily = _amount(params, "daily_allowance", _("每日住院津贴"))
    try:
        max_days = int(params.get("max_days") or 0)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("最多津贴天数（max_days）应为整数。")) from error
    if daily > 0 and not 0 < max_days <= 365:
        raise ValidationError(_("设了每日住院津贴，请填写 1 到 365 之间的最多天数（max_days）。"))
    if not (ratios or daily > 0 or lump_sums):
        raise ValidationError(
            _("请至少设置一种给付：按比例报销（ratios）、住院津贴或病种定额（lump_sums）。")
        )
    per_claim = params.get("per_claim_cap")
    return Rules(
        deductible=_amount(params, "deductible", _("起付线")),
        ratios=ratios,
        daily_allowance=daily,
        max_days=max_days,
        lump_sums=lump_sums,
        per_claim_cap=None
        if per_claim in (None, "")
        else _amount(params, "per_claim_cap", _("单次最高给付")),
        yearly_cap=yearly_cap,
    )


def rules_as_params(rules: Rules) -> dict:
    """The checked rules, stored back as strings (JSON keeps no Decimal)."""
    params = {}
    if rules.deductible:
        params["deductible"] = str(rules.deductible)
    if rules.ratios:
        params["ratios"] = {k: str(v) for k, v in rules.ratios.items()}
    if rules.daily_allowance:
        params["daily_allowance"] = str(rules.daily_allowance)
        params["max_days"] = rules.max_days
    if rules.lump_sums:
        params["lump_sums"] = {k: str(v) for k, v in rules.lump_sums.items()}
    if rules.per_claim_cap is not None:
        params["per_claim_cap"] = str(rules.per_claim_cap)
    return params
