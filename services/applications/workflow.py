"""The review workflow as a table.

An application moves between these statuses only along the rows of its program's table
(``TWO_STAGE`` is the one there is so far, chosen by ``Program.workflow_kind``); each row
names who may make the move:

- the *applicant* saves a draft, submits it, answers "more information needed" by
  resubmitting, and may withdraw before a decision;
- the *street reviewer* (街道初审员, 初审) of the applicant's street recommends it to the
  district (→ in_review), asks for more information, or rejects it;
- the *district approver* (区总复审员, 复审) approves (reserving the money), asks for more
  information, or rejects; never on an application they recommended themselves;
- *finance* (财务) marks approved applications paid.

``services.application_transition`` is the one function that changes a status.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where an application stands."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待初审")
    IN_REVIEW = "in_review", _("初审通过，待复审")
    NEEDS_INFO = "needs_info", _("需补充材料")
    APPROVED = "approved", _("已批准，待发放")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    PAID = "paid", _("已发放")


class WorkflowKind(models.TextChoices):
    """Which table of moves a program's applications follow."""

    TWO_STAGE = "two_stage", _("两级审核（街道初审、区总复审）")


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    STREET_REVIEWER = "street_reviewer", _("街道初审")
    DISTRICT_APPROVER = "district_approver", _("区总复审")
    FINANCE = "finance", _("财务")


S, R = Status, Role

# (from, to) -> the roles that may make the move
TWO_STAGE: dict[tuple[str, str], set[str]] = {
    (S.DRAFT, S.SUBMITTED): {R.APPLICANT},
    (S.DRAFT, S.WITHDRAWN): {R.APPLICANT},
    (S.SUBMITTED, S.WITHDRAWN): {R.APPLICANT},
    (S.NEEDS_INFO, S.WITHDRAWN): {R.APPLICANT},
    (S.NEEDS_INFO, S.SUBMITTED): {R.APPLICANT},
    (S.SUBMITTED, S.IN_REVIEW): {R.STREET_REVIEWER},
    (S.SUBMITTED, S.NEEDS_INFO): {R.STREET_REVIEWER, R.DISTRICT_APPROVER},
    (S.SUBMITTED, S.REJECTED): {R.STREET_REVIEWER, R.DISTRICT_APPROVER},
    (S.IN_REVIEW, S.APPROVED): {R.DISTRICT_APPROVER},
    (S.IN_REVIEW, S.NEEDS_INFO): {R.DISTRICT_APPROVER},
    (S.IN_REVIEW, S.REJECTED): {R.DISTRICT_APPROVER},
    (S.APPROVED, S.PAID): {R.FINANCE},
}

# Statuses whose money counts against the program's budget.
COMMITTED = {S.APPROVED, S.PAID}
# Statuses the applicant can still change proofs in.
EDITABLE = {S.DRAFT, S.NEEDS_INFO}
# Statuses that end an application.
FINAL = {S.REJECTED, S.WITHDRAWN, S.PAID}

ROLE_GROUPS = {
    R.STREET_REVIEWER: "街道初审员",
    R.DISTRICT_APPROVER: "区总复审员",
    R.FINANCE: "财务",
}


WORKFLOWS = {WorkflowKind.TWO_STAGE: TWO_STAGE}


def allowed(kind: str, from_status: str, to_status: str) -> set[str]:
    return WORKFLOWS[kind].get((from_status, to_status), set())


def moves_for(kind: str, role: str, status: str) -> list[str]:
    table = WORKFLOWS[kind]
    return [to for (frm, to), roles in table.items() if frm == status and role in roles]
