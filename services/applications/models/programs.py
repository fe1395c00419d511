"""A ``Program`` is one year's (or batch's) run of a scheme the report describes, such as
厂门口上大学 2026: its dates, budget, per-person cap, the parameters of its amount rule and the
proofs a worker must upload. Staff manage programs in the admin. Its ``kind`` names a
registered program type (``registry.py``), which brings the workflow, the proof kinds and the
check of the rule parameters."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.applications.registry import kind_choices, program_type


class Program(models.Model):
    code = models.CharField(
        _("项目代码"),
        max_length=10,
        help_text=_("编号中的字母部分，例如 XL 生成 QT-XL-2026-000123"),
    )
    name = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目介绍"), blank=True)
    eligibility_text = models.TextField(_("申请条件（公开说明）"), blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    batch = models.PositiveSmallIntegerField(_("批次"), default=1)
    kind = models.CharField(_("项目类型"), max_length=20, choices=kind_choices)
    rule_params = models.JSONField(_("规则参数"), default=dict, blank=True)
    required_proofs = models.JSONField(
        _("必须上传的材料"), default=list, blank=True, help_text=_('例如 ["admission", "receipt"]')
    )
    opens_at = models.DateTimeField(_("开始申请"))
    closes_at = models.DateTimeField(_("截止申请"))
    budget = models.DecimalField(
        _("总预算（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    per_person_cap = models.DecimalField(
        _("每人每年上限（元）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("同一项目同一年度各批次合计，按资金台账计算。"),
    )
    max_applications = models.PositiveIntegerField(
        _("名额"), null=True, blank=True, help_text=_("不填则不限名额。")
    )
    min_membership_months = models.PositiveSmallIntegerField(_("最短入会月数"), default=6)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), default=18)
    requires_notice = models.BooleanField(
        _("需要公示"),
        default=False,
        help_text=_(
            "获批名单须在本站公示：姓名部分遮蔽（如 张*明）、工作单位和金额，公示期满后撤下。"
            "医疗互助理赔涉及健康信息，不能公示。"
        ),
    )

    class Meta:
        ordering = ["-year", "code", "batch"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        constraints = [
            models.UniqueConstraint(fields=["code", "year", "batch"], name="unique_program_batch")
        ]

    def __str__(self):
        return f"{self.name} {self.year}" + (f"（第{self.batch}批）" if self.batch > 1 else "")

    def clean(self):
        super().clean()
        found = self.program_type
        if self.requires_notice and found is not None and found.medical:
            # Who was in hospital, and for what, is health information (PIPL art. 28).
            message = _("医疗互助理赔涉及个人健康信息，不能公示获批名单。请取消“需要公示”。")
            raise ValidationError(
                {"requires_notice": ValidationError(message, code="notice_medical")}
            )

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() <= self.closes_at

    @property
    def program_type(self):
        """The registered type; None for a kind no installed app runs any more."""
        return program_type(self.kind)

    @property
    def workflow(self):
        return self.program_type.workflow

    def param(self, name: str, default="0") -> Decimal:
        return Decimal(str(self.rule_params.get(name, default)))


class ReferenceCounter(models.Model):
    """The last sequence number of a program code in a year; locked while a number is issued."""

    key = models.CharField(max_length=40, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last}"
