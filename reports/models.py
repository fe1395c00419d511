"""The annual report (年度报告) that the district federation publishes each year.

A report is written by staff as a *working copy*: the ``AnnualReport`` row with its ordered
``ReportSection`` rows, the ``KeyFigure`` numbers each section states, and the ``PlanItem``
actions for next year. The public never reads the working copy. Publishing freezes it into
``AnnualReport.published_snapshot`` (see ``snapshot.py``), and the public pages and open data
are rendered from that snapshot alone, so a later edit stays invisible until it is published
again. Every staff save also stores a snapshot as a ``ReportRevision`` that can be restored.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.markdown import validate_markdown_source


class ReportStatus(models.TextChoices):
    """Where a report stands: only a published report is ever shown to the public."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReportStatus.PUBLISHED, published_snapshot__isnull=False)


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        error_messages={"unique": _("这一年份的年度报告已经存在，请编辑原有报告。")},
    )
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    authors = models.CharField(_("作者"), max_length=200, blank=True)
    lede = models.TextField(_("导语"), blank=True, help_text=_("开篇文字，空行分段。"))
    cover_image = models.ImageField(_("封面图片"), upload_to="reports/covers/", blank=True)
    plan_heading = models.CharField(
        _("工作计划标题"), max_length=200, blank=True, help_text=_("例如：2024年“四项行动”")
    )
    plan_intro = models.TextField(_("工作计划导语"), blank=True)
    open_data_min_group = models.PositiveSmallIntegerField(
        _("开放数据最小分组人数"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text=_("公开的项目统计中，人数少于此数的分组不显示具体数字，以免认出个人。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_snapshot = models.JSONField(_("已发布内容"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        permissions = [("publish_annualreport", _("可以发布和取消发布年度报告"))]

    def __str__(self):
        return f"{self.year} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def has_unpublished_changes(self) -> bool:
        """True when the working copy differs from what the public sees."""
        from reports.snapshot import build_report_snapshot, without_frozen

        if not self.is_published:
            return True
        return build_report_snapshot(self) != without_frozen(self.published_snapshot)


class ReportSection(models.Model):
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("报告")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kicker = models.CharField(
        _("栏目"), max_length=100, blank=True, help_text=_("标题上方的短语，例如“两个强化”。")
    )
    heading = models.CharField(_("标题"), max_length=200)
    body = models.TextField(
        _("正文"),
        blank=True,
        validators=[validate_markdown_source],
        help_text=_("Markdown 格式：空行分段，**加粗**，- 列表。不接受 HTML。"),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("章节")
        verbose_name_plural = _("章节")

    def __str__(self):
        return self.heading


class FigureQualifier(models.TextChoices):
    """How the report words an inexact number: 超2万人, 400余场, 90%以上, 突破300人."""

    EXACT = "", _("确数")
    OVER = "over", _("超（超2万人）")
    ODD = "odd", _("余（400余场）")
    ABOVE = "above", _("以上（90%以上）")
    PASSED = "passed", _("突破（突破300人）")


class KeyFigure(models.Model):
    """A number the report states, such as 371 名职工 or 184 万元, kept as a Decimal."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="figures", verbose_name=_("报告")
    )
    section = models.ForeignKey(
        ReportSection,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("所属章节"),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    label = models.CharField(_("说明"), max_length=200)
    value = models.DecimalField(
        _("数值"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        error_messages={"invalid": _("数值必须是数字，例如 371 或 72.351。")},
    )
    unit = models.CharField(
        _("单位"), max_length=20, help_text=_("例如 人、场、名、个、万元、万人次、%")
    )
    qualifier = models.CharField(
        _("约数"), max_length=10, choices=FigureQualifier.choices, blank=True, default=""
    )
    is_headline = models.BooleanField(_("首页要点"), default=False)
    # A live source (``reports.sources``): the figure's value as the records give it.
    source = models.CharField(
        _("数据来源"), max_length=60, blank=True,
        help_text=_("选择后，后台显示按服务记录实时统计的数值，可一键采用；发布时冻结。"),
    )  # fmt: skip
    source_option = models.CharField(
        _("统计范围"), max_length=60, blank=True, help_text=_("某个项目或某类活动；不选为全部。")
    )
    source_year = models.PositiveSmallIntegerField(
        _("统计年度"), null=True, blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("不填则为报告年度。"),
    )  # fmt: skip

    class Meta:
        ordering = ["section__order", "order", "id"]
        verbose_name = _("关键数字")
        verbose_name_plural = _("关键数字")

    def __str__(self):
        from reports.snapshot import decimal_text

        return f"{self.label} {decimal_text(self.value)}{self.unit}"

    def clean(self):
        from reports.sources import check_link

        if self.section_id and self.report_id and self.section.report_id != self.report_id:
            raise ValidationError({"section": _("所属章节必须是本报告的章节。")})
        check_link(key=self.source, option=self.source_option, unit=self.unit or "")
        if self.source and self.source_year is None and self.report_id:
            self.source_year = self.report.year
        if not self.source:
            self.source_option, self.source_year = "", None

    @property
    def link(self) -> dict | None:
        """The live link as a snapshot keeps it."""
        if not self.source:
            return None
        return {"key": self.source, "option": self.source_option, "year": self.source_year}


class PlanItem(models.Model):
    """One of next year's actions (for 2023: the four 行动 of 2024)."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("报告")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True, validators=[validate_markdown_source])

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")

    def __str__(self):
        return self.title


class ReportRevision(models.Model):
    """A saved state of a report's working copy, written on every staff save and restorable."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("报告")
    )
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("内容"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("修订版本")
        verbose_name_plural = _("修订版本")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_revision")
        ]

    def __str__(self):
        return f"{self.report.year} r{self.number}"
