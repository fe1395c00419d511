"""The program type behind a visiting campaign: its budget, and the ledger rows of the cash
handed over at households. Workers do not apply to a campaign; they ask for help, and the
register's files are the campaign's targets."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.registry import ProgramType
from services.hardship.workflow import HELPING


def validate_params(params) -> dict:
    if params not in ({}, None):
        raise ValidationError(_("慰问活动不用计算参数，请填写 {}；每户标准在活动上设置。"))
    return {}


def describe(program) -> str:
    return _("工会走访慰问困难职工家庭和一线职工，慰问金当面发放。")


CAMPAIGN = ProgramType(
    kind="campaign",
    label=gettext_lazy("走访慰问（送温暖、送清凉、金秋助学）"),
    workflow=HELPING,
    apply_url_name="hardship:program",
    edit_url_name="hardship:program",
    proof_kinds={},
    validate_params=validate_params,
    describe=describe,
    details=lambda application: [],
    one_per_batch=False,
    public=False,
    params_help=gettext_lazy("填写 {}；每户慰问金标准在慰问活动上设置。"),
)
