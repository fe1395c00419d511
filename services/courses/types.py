"""The program type behind the courses: 家门口学技能 training-fee subsidies.

A ``Program`` of this kind holds the year's budget (for example 100 万元 in 2023) and the
per-person yearly cap; each course names its program, and a completed course's subsidy is
reserved against it in the shared ledger. Workers do not apply to the program itself: they
enrol in its courses, so its "apply" page is the course catalogue.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.registry import ProgramType
from services.courses.workflow import ENROLLING


def validate_params(params) -> dict:
    """Course programs take their figures from each course; only an optional default share."""
    if not isinstance(params, dict):
        raise ValidationError(_("规则参数应为一个对象，例如 {}。"), code="shape")
    unknown = sorted(set(params) - {"completion_share"})
    if unknown:
        raise ValidationError(
            _("不认识的参数：%(keys)s。") % {"keys": "、".join(unknown)}, code="unknown_key"
        )
    if "completion_share" in params:
        try:
            share = Decimal(str(params["completion_share"]))
        except (InvalidOperation, ValueError) as error:
            raise ValidationError(_("completion_share 应为 0 到 1 之间的小数。")) from error
        if not Decimal("0") < share <= Decimal("1"):
            raise ValidationError(_("completion_share 应为 0 到 1 之间的小数。"), code="share")
    return params


def describe(program) -> str:
    return _(
        "课程结业（出勤达到要求）后，按每门课程公布的标准补贴培训费，每人每年最多 %(cap)s 元"
    ) % {"cap": f"{program.per_person_cap:,.2f}"}


COURSE = ProgramType(
    kind="course",
    label=gettext_lazy("培训补贴（家门口学技能）"),
    workflow=ENROLLING,
    apply_url_name="courses:program",
    edit_url_name="courses:program",
    proof_kinds={},
    validate_params=validate_params,
    describe=describe,
    details=lambda application: [],
    one_per_batch=False,
    params_help=gettext_lazy("一般留空 {}；补贴标准在每门课程上设置。"),
)
