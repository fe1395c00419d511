"""The two program types this app runs, as the shared machinery sees them.

- ``tuition``: a share of the tuition actually paid, up to a cap (厂门口上大学, 求学圆梦, 双提升
  学历). Rule parameters: ``{"share": "0.6", "cap": "4000"}``.
- ``skill_award``: a fixed amount for the level on a skill certificate (双提升 技能, 新时代技能
  人才奖励). Rule parameters: ``{"amounts": {"高级工": "1000", "技师": "2000"}}``.

Both follow the shared two-stage workflow, allow one application per worker per batch, and
are paid at most once per worker per program year (checked again when the money is decided).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.ledger import member_year_total
from services.applications.registry import ProgramType
from services.applications.workflow import TWO_STAGE
from services.decisions import Decision
from services.members.models import SkillLevel
from services.tuition.rules import percent, yuan
from services.words import clauses, listing


class Proof(models.TextChoices):
    ADMISSION = "admission", gettext_lazy("录取通知书")
    RECEIPT = "receipt", gettext_lazy("学费发票或收据")
    CERTIFICATE = "certificate", gettext_lazy("职业技能等级证书")
    DEGREE = "degree", gettext_lazy("学历证书")
    OTHER = "other", gettext_lazy("其他材料")


PROOFS = dict(Proof.choices)


def _decimal(value, *, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            _("“%(name)s”应为数字，现在是“%(value)s”。") % {"name": name, "value": value},
            code="not_a_number",
        ) from error
    if not number.is_finite():
        raise ValidationError(_("“%(name)s”应为数字。") % {"name": name}, code="not_a_number")
    return number


def _only_keys(params, allowed: set[str]) -> dict:
    if not isinstance(params, dict):
        raise ValidationError(_('规则参数应为一个对象，例如 {"share": "0.6"}。'), code="shape")
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValidationError(
            _("不认识的参数：%(keys)s。可用的参数：%(allowed)s。")
            % {"keys": listing(unknown), "allowed": listing(sorted(allowed))},
            code="unknown_key",
        )
    return params


def validate_tuition_params(params) -> dict:
    _only_keys(params, {"share", "cap"})
    if "share" not in params or "cap" not in params:
        raise ValidationError(
            _("学费补助需要 share（比例）和 cap（上限）两个参数。"), code="missing"
        )
    share = _decimal(params["share"], name="share")
    cap = _decimal(params["cap"], name="cap")
    if not Decimal("0") < share <= Decimal("1"):
        raise ValidationError(_("share 应为 0 到 1 之间的小数，例如 0.6 表示 60%。"), code="share")
    if cap <= 0:
        raise ValidationError(_("cap（每人上限）应大于 0。"), code="cap")
    return {"share": str(share), "cap": str(cap)}


def validate_skill_params(params) -> dict:
    _only_keys(params, {"amounts"})
    amounts = params.get("amounts")
    if not isinstance(amounts, dict) or not amounts:
        raise ValidationError(
            _('技能奖励需要 amounts：每个技能等级的金额，例如 {"高级工": "1000"}。'),
            code="missing",
        )
    levels = set(SkillLevel.values)
    cleaned = {}
    for level, amount in amounts.items():
        if level not in levels:
            raise ValidationError(
                _("“%(level)s”不是技能等级；可用：%(levels)s。")
                % {"level": level, "levels": listing(SkillLevel.values)},
                code="level",
            )
        value = _decimal(amount, name=level)
        if value <= 0:
            raise ValidationError(
                _("“%(level)s”的金额应大于 0。") % {"level": level}, code="amount"
            )
        cleaned[level] = str(value)
    return {"amounts": cleaned}


def describe_tuition(program) -> str:
    share = Decimal(str(program.rule_params.get("share", "0")))
    return _("实缴学费的 %(share)s%%，每人每年最多 %(cap)s 元") % {
        "share": percent(share),
        "cap": yuan(program.per_person_cap),
    }


def describe_skill(program) -> str:
    amounts = program.rule_params.get("amounts", {})
    return clauses(
        _("%(level)s %(amount)s 元") % {"level": level, "amount": yuan(Decimal(str(amount)))}
        for level, amount in amounts.items()
    )


def _months(value) -> str:
    return _("%(n)s 个月") % {"n": value} if value is not None else _("未填写")


def tuition_details(application) -> list[tuple[str, str]]:
    details = getattr(application, "tuition", None)
    if details is None:
        return []
    return [
        (_("学校"), details.school),
        (_("专业"), details.major),
        (_("层次"), details.get_level_display()),
        (_("学年"), details.academic_year),
        (_("实际缴纳学费"), _("%(amount)s 元") % {"amount": yuan(details.tuition_paid)}),
        (_("申报的社保缴纳月数"), _months(details.social_insurance_months)),
    ]


def skill_details(application) -> list[tuple[str, str]]:
    details = getattr(application, "skill", None)
    if details is None:
        return []
    rows = [
        (_("技能等级"), details.get_level_display()),
        (_("职业（工种）"), details.occupation),
        (_("证书编号"), details.certificate_number),
    ]
    certificate = details.certificate
    if certificate is not None:
        rows.append(
            (
                _("证书核验"),
                _("%(status)s（%(ref)s，%(when)s）")
                % {
                    "status": certificate.get_status_display(),
                    "ref": certificate.reference,
                    "when": date_format(localtime(certificate.decided_at), "Y-m-d")
                    if certificate.decided_at
                    else "-",
                },
            )
        )
    rows.append((_("申报的社保缴纳月数"), _months(details.social_insurance_months)))
    return rows


def certificate_on_record(application) -> frozenset[str]:
    """A skill award's certificate is the verified one on the worker's record."""
    details = getattr(application, "skill", None)
    certificate = details.certificate if details is not None else None
    if certificate is not None and certificate.status == "verified":
        return frozenset({Proof.CERTIFICATE.value})
    return frozenset()


def certificate_for_staff(application) -> list[tuple[str, str]]:
    """The certificate the award rests on, linked to its file in the admin."""
    details = getattr(application, "skill", None)
    certificate = details.certificate if details is not None else None
    if certificate is None:
        return []
    label = _("职业技能等级证书（档案中，%(status)s）：%(name)s") % {
        "status": certificate.get_status_display(), "name": certificate.original_name,
    }  # fmt: skip
    return [(reverse("admin:members_skillcertificate_file", args=[certificate.pk]), label)]


def once_a_year(application) -> Decision:
    """Checked again under the ledger's locks when the money is decided."""
    member = application.applicant
    if not member.is_member:
        return Decision.deny(_("申请人已不是有效会员，不能批准。"), code="not_member")
    program = application.program
    if member_year_total(member=member, program_code=program.code, year=program.year) > 0:
        return Decision.deny(
            _("该职工 %(year)s 年已获得过本项目补助（含其他批次），不能重复补助。")
            % {"year": program.year},
            code="already_paid_this_year",
        )
    return Decision.allow()


TUITION = ProgramType(
    kind="tuition",
    label=gettext_lazy("学费按比例补助（有上限）"),
    workflow=TWO_STAGE,
    apply_url_name="tuition:apply",
    edit_url_name="tuition:edit",
    proof_kinds=PROOFS,
    validate_params=validate_tuition_params,
    describe=describe_tuition,
    details=tuition_details,
    decision_guard=once_a_year,
    params_help=gettext_lazy(
        '例如 {"share": "0.6", "cap": "4000"}：实缴学费的 60%，最多 4000 元。'
    ),
)

SKILL_AWARD = ProgramType(
    kind="skill_award",
    label=gettext_lazy("按技能等级定额奖励"),
    workflow=TWO_STAGE,
    apply_url_name="tuition:apply",
    edit_url_name="tuition:edit",
    proof_kinds=PROOFS,
    validate_params=validate_skill_params,
    describe=describe_skill,
    details=skill_details,
    decision_guard=once_a_year,
    proofs_on_record=certificate_on_record,
    staff_records=certificate_for_staff,
    params_help=gettext_lazy('例如 {"amounts": {"高级工": "1000", "技师": "2000"}}'),
)
