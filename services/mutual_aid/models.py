"""职工医疗互助: plans, who they cover, employer rosters, and claims.

A ``Plan`` is one year's run of one kind of mutual aid. Its money side is a ``Program`` of
kind ``mutual_aid`` (the budget, the yearly cap per member as ``per_person_cap``, claims open
from ``opens_at`` to the claim deadline ``closes_at``, and the benefit rules as checked
``rule_params``, see ``benefit.py``); the plan adds the premium, the share the district pays
and the period of cover. Members are covered by their employer's union as a group: staff
upload the employer's roster (``RosterImport``), every row is checked and reported before
anything is saved, then the accepted rows become ``Coverage`` rows in one transaction.

A claim is an ``Application`` to the plan's program, with its ``ClaimDetails`` beside it (the
hospital, dates, costs, invoices) and the settlement slip, discharge record and invoices as
proofs. Diagnoses and medical documents are seen only by the member and the reviewing staff,
and every staff view is logged (``members.AuditEvent``, the audit log).
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.applications.models import Application, Program
from services.members.models import Enterprise, Member
from services.members.pii import EncryptedCharField


class PlanKind(models.TextChoices):
    INPATIENT = "inpatient", _("住院医疗互助")
    MAJOR_ILLNESS = "major_illness", _("重大疾病互助")
    FEMALE_CANCER = "female_cancer", _("女职工特定癌症互助")


class Plan(models.Model):
    program = models.OneToOneField(
        Program, on_delete=models.PROTECT, related_name="plan", verbose_name=_("资金项目"),
        help_text=_("预算、每人每年给付上限、理赔截止时间和给付规则在这个项目上设置。"),
    )  # fmt: skip
    kind = models.CharField(_("互助类型"), max_length=20, choices=PlanKind.choices)
    premium = models.DecimalField(
        _("每人互助金（元）"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    district_share = models.DecimalField(
        _("区总工会承担比例"), max_digits=3, decimal_places=2, default=0,
        validators=[MinValueValidator(0)], help_text=_("例如 0.5 表示区总工会承担一半互助金。"),
    )  # fmt: skip
    cover_starts = models.DateField(_("保障开始"))
    cover_ends = models.DateField(_("保障结束"))

    class Meta:
        ordering = ["-cover_starts", "kind"]
        verbose_name = _("互助计划")
        verbose_name_plural = _("互助计划")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cover_ends__gt=models.F("cover_starts")),
                name="plan_cover_in_order",
                violation_error_message=_("保障结束日期应晚于开始日期。"),
            ),
            models.CheckConstraint(
                condition=models.Q(district_share__lte=1),
                name="plan_share_at_most_one",
                violation_error_message=_("区总工会承担比例不能超过 1。"),
            ),
        ]

    def __str__(self):
        return str(self.program)


def roster_upload_to(instance, filename):
    return f"private/rosters/{uuid.uuid4().hex}"


class RosterImport(models.Model):
    """An employer's roster for a plan: checked row by row, reported, then saved at once."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("正在检查")
        CHECKED = "checked", _("已检查，待确认")
        SAVING = "saving", _("正在导入")
        SAVED = "saved", _("已导入")
        FAILED = "failed", _("未能读取")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="rosters", verbose_name=_("互助计划")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("参保单位")
    )
    file = models.FileField(_("名单文件"), upload_to=roster_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=120)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.CHECKING, editable=False
    )
    rows_total = models.PositiveIntegerField(_("行数"), default=0, editable=False)
    rows_done = models.PositiveIntegerField(_("已处理"), default=0, editable=False)
    accepted = models.PositiveIntegerField(_("可导入"), default=0, editable=False)
    refused = models.PositiveIntegerField(_("不能导入"), default=0, editable=False)
    # The refused rows (row number, masked name and ID number, reasons) and a read error.
    report = models.JSONField(_("检查报告"), default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("上传人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    saved_at = models.DateTimeField(_("导入时间"), null=True, blank=True, editable=False)
    starts_on = models.DateField(_("保障开始"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("参保名单")
        verbose_name_plural = _("参保名单")

    def __str__(self):
        return f"{self.enterprise} · {self.plan}"


class Coverage(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="coverages", verbose_name=_("互助计划")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="coverages", verbose_name=_("职工")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("参保单位")
    )
    roster = models.ForeignKey(
        RosterImport, on_delete=models.PROTECT, related_name="coverages", null=True,
        blank=True, verbose_name=_("名单"),
    )  # fmt: skip
    # Cover runs from this day (not before the plan's): a worker added mid-year cannot claim
    # for a stay before they were covered.
    starts_on = models.DateField(_("保障开始"), default=timezone.localdate)
    created_at = models.DateTimeField(_("参保时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-created_at"], name="coverage_new"),
            models.Index(fields=["plan", "-created_at"], name="coverage_plan_new"),
        ]
        verbose_name = _("参保记录")
        verbose_name_plural = _("参保记录")
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="covered_once_per_plan")
        ]

    def __str__(self):
        return f"{self.member} · {self.plan}"


class ClaimKind(models.TextChoices):
    INPATIENT = "inpatient", _("住院")
    OUTPATIENT = "outpatient", _("特殊病种门诊")
    ILLNESS = "illness", _("重大疾病（病种定额）")


class HospitalLevel(models.TextChoices):
    FIRST = "一级", _("一级医院")
    SECOND = "二级", _("二级医院")
    THIRD = "三级", _("三级医院")


class ClaimDetails(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="claim", verbose_name=_("申请")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="claims", verbose_name=_("互助计划")
    )
    kind = models.CharField(_("理赔类型"), max_length=12, choices=ClaimKind.choices)
    hospital = models.CharField(_("医院"), max_length=100)
    hospital_level = models.CharField(_("医院级别"), max_length=4, choices=HospitalLevel.choices)
    admitted_on = models.DateField(_("入院（就诊）日期"))
    discharged_on = models.DateField(_("出院日期"), null=True, blank=True)
    illness = models.CharField(_("病种"), max_length=30, blank=True)
    # Medical: encrypted at rest, shown to the member and the reviewing staff only.
    diagnosis = EncryptedCharField(_("诊断"), blank=True, default="")
    total_cost = models.DecimalField(_("医疗费用总额（元）"), max_digits=10, decimal_places=2)
    insurance_paid = models.DecimalField(_("基本医保已支付（元）"), max_digits=10, decimal_places=2)
    eligible_cost = models.DecimalField(
        _("合规自付费用（元）"), max_digits=10, decimal_places=2,
        help_text=_("结算单上医保目录内、个人自付的部分。"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("理赔申报")
        verbose_name_plural = _("理赔申报")

    def __str__(self):
        return f"{self.application.reference} {self.get_kind_display()}"

    @property
    def days(self) -> int:
        """Days in hospital, counted as nights: admitted and discharged the same day is 1."""
        if self.discharged_on is None:
            return 0
        return max((self.discharged_on - self.admitted_on).days, 1)


class ClaimInvoice(models.Model):
    """An invoice number is claimed once, whoever claims it."""

    claim = models.ForeignKey(
        ClaimDetails, on_delete=models.CASCADE, related_name="invoices", verbose_name=_("理赔")
    )
    number = models.CharField(_("发票号码"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("发票")
        verbose_name_plural = _("发票")

    def __str__(self):
        return self.number
