"""The program type behind a mutual-aid plan: claims reviewed in two stages and paid through
the shared ledger, with the benefit computed by the plan's rules (``benefit.py``)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.registry import ProgramType
from services.applications.workflow import TWO_STAGE
from services.decisions import Decision
from services.money import yuan
from services.mutual_aid.benefit import parse_rules, rules_as_params

PROOFS = {
    "settlement": gettext_lazy("医保结算单"),
    "discharge": gettext_lazy("出院记录或门诊病历"),
    "invoice": gettext_lazy("医疗费用发票"),
    "other": gettext_lazy("其他材料"),
}


def validate_params(params) -> dict:
    """The plan's rules, checked; stored back in one form. The yearly cap per member is the
    program's ``per_person_cap``, so it is not a parameter here."""
    return rules_as_params(parse_rules(params, yearly_cap=Decimal("0")))


def describe(program) -> str:
    rules = parse_rules(program.rule_params or {}, yearly_cap=program.per_person_cap)
    parts = []
    if rules.ratios:
        ratios = "、".join(
            _("%(level)s医院 %(share)s%%")
            % {"level": level, "share": format((share * 100).normalize(), "f")}
            for level, share in sorted(rules.ratios.items())
        )
        parts.append(
            _("合规自付费用超过起付线 %(deductible)s 元的部分，按 %(ratios)s 给付")
            % {"deductible": yuan(rules.deductible), "ratios": ratios}
        )
    if rules.daily_allowance:
        parts.append(
            _("住院每天 %(daily)s 元，每次最多 %(days)s 天")
            % {"daily": yuan(rules.daily_allowance), "days": rules.max_days}
        )
    if rules.lump_sums:
        parts.append(
            _("确诊所列病种定额给付（%(list)s）")
            % {"list": "、".join(f"{k} {yuan(v)} 元" for k, v in rules.lump_sums.items())}
        )
    if rules.per_claim_cap is not None:
        parts.append(_("每次最多 %(cap)s 元") % {"cap": yuan(rules.per_claim_cap)})
    parts.append(_("每人每年最多 %(cap)s 元") % {"cap": yuan(program.per_person_cap)})
    return "；".join(parts) + "。"


def claim_details(application) -> list[tuple[str, str]]:
    """What the member declared, for the worker's page and the review page. The diagnosis is
    not here: only staff allowed to see medical details read it, on the claim's own page."""
    claim = getattr(application, "claim", None)
    if claim is None:
        return []
    rows = [
        (_("理赔类型"), claim.get_kind_display()),
        (_("医院"), f"{claim.hospital}（{claim.get_hospital_level_display()}）"),
        (_("入院（就诊）日期"), f"{claim.admitted_on:%Y-%m-%d}"),
    ]
    if claim.discharged_on:
        rows.append((_("出院日期"), f"{claim.discharged_on:%Y-%m-%d}（{claim.days} 天）"))
    if claim.illness:
        rows.append((_("病种"), claim.illness))
    rows += [
        (_("医疗费用总额"), _("%(amount)s 元") % {"amount": yuan(claim.total_cost)}),
        (_("基本医保已支付"), _("%(amount)s 元") % {"amount": yuan(claim.insurance_paid)}),
        (_("合规自付费用"), _("%(amount)s 元") % {"amount": yuan(claim.eligible_cost)}),
        (_("发票号码"), "、".join(i.number for i in claim.invoices.all())),
    ]
    return rows


def still_covered(application) -> Decision:
    """Checked again under the ledger's locks when the money is decided."""
    from services.mutual_aid.selectors import covered

    claim = getattr(application, "claim", None)
    if claim is None or not covered(member=application.applicant, plan=claim.plan):
        return Decision.deny(
            _("申请人不在这个互助计划的参保名单中，不能批准。"), code="not_covered"
        )
    return Decision.allow()


def claim_for_staff(application) -> list[tuple[str, str]]:
    """The claim's medical page (diagnosis, correcting the amounts) from the review page."""
    from django.urls import reverse

    claim = getattr(application, "claim", None)
    if claim is None:
        return []
    url = reverse("admin:mutual_aid_claimdetails_change", args=[claim.pk])
    return [(url, _("理赔申报：诊断与更正申报金额（查看会被记录）"))]


MUTUAL_AID = ProgramType(
    kind="mutual_aid",
    label=gettext_lazy("职工医疗互助理赔"),
    workflow=TWO_STAGE,
    apply_url_name="mutual_aid:claim",
    edit_url_name="mutual_aid:edit",
    proof_kinds=PROOFS,
    validate_params=validate_params,
    describe=describe,
    details=claim_details,
    decision_guard=still_covered,
    one_per_batch=False,
    medical=True,
    staff_records=claim_for_staff,
    params_help=gettext_lazy(
        '例如 {"deductible": "500", "ratios": {"二级": "0.5", "三级": "0.4"}, '
        '"per_claim_cap": "20000"}；或 {"daily_allowance": "50", "max_days": 30, '
        '"lump_sums": {"恶性肿瘤": "10000"}}。每人每年上限填在“每人上限”。'
    ),
)
