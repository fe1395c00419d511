"""困难职工帮扶: the hardship register and the requests that open its files.

A worker (a union member or not), or staff on the worker's behalf with the worker's consent
recorded, asks for help (``HelpRequest``). The request runs a workflow on the shared engine
(``workflow.py``): 申请 → 入户核实 (street staff visit the home and record what they found) →
建档 (a ``HardshipFile`` is opened) or 不予建档. A file is one household in the register:
tier, causes, household size, monthly income per head, street, opened on, and its yearly
review; it is closed with a reason. Hardship details are seen only by staff of the file's
street and the district, never on a public page, and every staff view of a file is logged
(``members.AuditEvent``, the audit log).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.members.models import Member, Street
from services.members.pii import EncryptedCharField


class Tier(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    ACCIDENT = "accident", _("意外致困")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("本人或家人患大病")
    DISABILITY = "disability", _("残疾")
    ACCIDENT = "accident", _("意外事故")
    SINGLE_PARENT = "single_parent", _("单亲家庭")
    SCHOOLING = "schooling", _("子女就学负担重")
    SPOUSE_UNEMPLOYED = "spouse_unemployed", _("配偶失业")
    OTHER = "other", _("其他")


class HelpStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交，待入户核实")
    VISITED = "visited", _("已入户核实，待建档")
    FILED = "filed", _("已建档")
    DECLINED = "declined", _("不予建档")
    WITHDRAWN = "withdrawn", _("已撤回")


class HouseholdFacts(models.Model):
    """What a request declares and a file records about the household."""

    causes = models.JSONField(_("困难原因"), default=list)
    household_size = models.PositiveSmallIntegerField(
        _("家庭人口"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    income_per_head = models.DecimalField(
        _("家庭人均月收入（元）"), max_digits=9, decimal_places=2,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    # Illness, family circumstances: encrypted at rest.
    situation = EncryptedCharField(_("家庭情况"), blank=True, default="")

    class Meta:
        abstract = True

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(Cause.choices)
        return [str(labels.get(code, code)) for code in self.causes]


class HelpRequest(HouseholdFacts):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("职工")
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    status = models.CharField(
        _("状态"), max_length=10, choices=HelpStatus.choices, editable=False,
        default=HelpStatus.SUBMITTED,
    )  # fmt: skip
    # Staff who filed it for the worker, having recorded the worker's consent.
    filed_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("代为申请的工作人员"),
    )  # fmt: skip
    visited_on = models.DateField(_("入户核实日期"), null=True, blank=True, editable=False)
    visitors = models.CharField(_("核实人员"), max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    changes = GenericRelation("applications.StatusChange", related_query_name="help_request")

    class Meta:
        ordering = ["-created_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-created_at"], name="helpreques_new"),
            models.Index(fields=["status", "-created_at"], name="helpreques_status_new"),
        ]
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["submitted", "visited"]),
                name="one_open_help_request",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.member}"

    def get_absolute_url(self) -> str:
        return reverse("hardship:mine")

    # -- what the workflow engine asks of an application ------------------------------------

    @property
    def workflow(self):
        from services.hardship.workflow import HELPING

        return HELPING

    @property
    def owner_user_id(self) -> int:
        return self.member.user_id

    @property
    def reference(self) -> str:
        return f"BF-{self.pk:06d}"

    @property
    def audit_amount(self):
        return None

    def message_params(self) -> dict:
        return {}


class FileStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    CLOSED = "closed", _("已销档")


class CloseReason(models.TextChoices):
    RECOVERED = "recovered", _("已脱困")
    RETIRED = "retired", _("已退休")
    MOVED = "moved", _("已迁出")
    DECEASED = "deceased", _("已去世")


def a_year_from_today():
    return timezone.localdate() + timedelta(days=365)


class HardshipFile(HouseholdFacts):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="hardship_files", verbose_name=_("职工")
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    request = models.OneToOneField(
        HelpRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="file",
        verbose_name=_("帮扶申请"),
    )  # fmt: skip
    tier = models.CharField(_("困难类别"), max_length=10, choices=Tier.choices)
    opened_on = models.DateField(_("建档日期"), default=timezone.localdate)
    review_due_on = models.DateField(_("下次复核"), default=a_year_from_today)
    status = models.CharField(
        _("状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.ACTIVE,
        editable=False,
    )  # fmt: skip
    close_reason = models.CharField(
        _("销档原因"), max_length=10, choices=CloseReason.choices, blank=True, editable=False
    )
    closed_on = models.DateField(_("销档日期"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["review_due_on"]
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status="active"), name="one_active_file"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.member}"

    @property
    def reference(self) -> str:
        return f"KN-{self.pk:06d}"

    @property
    def review_due(self) -> bool:
        return self.status == FileStatus.ACTIVE and self.review_due_on <= timezone.localdate()


# -- campaigns and visits ----------------------------------------------------------------------


class CampaignKind(models.TextChoices):
    SPRING = "spring", _("春节送温暖")
    SUMMER = "summer", _("夏送清凉")
    AUTUMN = "autumn", _("金秋助学")
    OTHER = "other", _("其他慰问")


class Campaign(models.Model):
    """A visiting campaign; its money side is a ``Program`` of kind ``campaign`` (the budget;
    cash handed over at a household is a ledger row against it)."""

    program = models.OneToOneField(
        "applications.Program", on_delete=models.PROTECT, related_name="campaign",
        verbose_name=_("资金项目"),
    )  # fmt: skip
    kind = models.CharField(_("活动类型"), max_length=10, choices=CampaignKind.choices)
    standard_amount = models.DecimalField(
        _("每户慰问金标准（元）"), max_digits=9, decimal_places=2,
        validators=[MinValueValidator(0)],
    )  # fmt: skip

    class Meta:
        ordering = ["-program__year", "kind"]
        verbose_name = _("慰问活动")
        verbose_name_plural = _("慰问活动")

    def __str__(self):
        return str(self.program)


class CampaignTarget(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("慰问活动")
    )
    file = models.ForeignKey(
        HardshipFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("困难档案")
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))

    class Meta:
        verbose_name = _("慰问对象")
        verbose_name_plural = _("慰问对象")
        constraints = [models.UniqueConstraint(fields=["campaign", "file"], name="target_once")]

    def __str__(self):
        return f"{self.campaign} · {self.file}"


def visit_photo_to(instance, filename):
    import uuid

    return f"private/visits/{uuid.uuid4().hex}"


class HouseholdVisit(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="household_visits",
        verbose_name=_("慰问活动"),
    )  # fmt: skip
    file = models.ForeignKey(
        HardshipFile, on_delete=models.PROTECT, related_name="visits", verbose_name=_("困难档案")
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    visited_on = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访人员"), max_length=100)
    cash = models.DecimalField(
        _("慰问金（元）"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    goods = models.CharField(_("慰问品"), max_length=200, blank=True)
    goods_value = models.DecimalField(
        _("慰问品价值（元）"), max_digits=9, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    notes = models.CharField(_("情况记录"), max_length=500, blank=True)
    photo = models.FileField(_("照片"), upload_to=visit_photo_to, blank=True)
    photo_type = models.CharField(max_length=50, blank=True, editable=False)
    # The household was already visited in this campaign: allowed, and shown to staff.
    repeat = models.BooleanField(_("本活动中重复走访"), default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("记录人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-visited_on", "-id"], name="householdv_visit_id"),
            models.Index(fields=["campaign", "-visited_on"], name="householdv_camp_visit"),
        ]
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")

    def __str__(self):
        return f"{self.file} {self.visited_on:%Y-%m-%d}"


class EnterpriseVisit(models.Model):
    """A batch visit to an enterprise: summer visits reach tens of thousands through their
    employers, so the workers reached are counted, not named."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="enterprise_visits",
        verbose_name=_("慰问活动"),
    )  # fmt: skip
    enterprise = models.ForeignKey(
        "members.Enterprise", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("企业"),
    )  # fmt: skip
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    visited_on = models.DateField(_("走访日期"))
    workers_reached = models.PositiveIntegerField(_("慰问职工人数"))
    cash_total = models.DecimalField(
        _("慰问金合计（元）"), max_digits=11, decimal_places=2, validators=[MinValueValidator(0)]
    )
    goods_value = models.DecimalField(
        _("慰问品价值（元）"), max_digits=11, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    notes = models.CharField(_("情况记录"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("记录人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("企业慰问")
        verbose_name_plural = _("企业慰问")
        indexes = [
            models.Index(fields=["campaign", "street"], name="enterprise_visit_campaign"),
            models.Index(fields=["-visited_on", "-id"], name="enterprisev_visit_id"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.visited_on:%Y-%m-%d}"
