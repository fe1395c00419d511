"""Public notice (公示) of a program's approved beneficiaries.

Some programs must show the public who they are paying before or while the money goes out,
so that anyone who knows an award to be wrong (the worker is not in need, does not work
there, was paid twice) can say so: that is a 公示. The district federation publishes it on
the portal for a period staff set (at most ``NOTICE_MAX_DAYS``), with an address, telephone
or e-mail for objections (异议); when the period ends or staff withdraw it, it leaves the
site.

What is published is the least that lets an award be recognised and challenged: the name
masked (张*明: enough for colleagues to recognise, not enough to find a stranger), the
employer and the amount. Never the ID number, the mobile, the street of residence or why
the money was given; a medical mutual-aid program may not have a notice at all (who was in
hospital is health information). Each ``NoticeEntry`` is written once, when the notice is
made, and never again: a later change to the worker's name or the application does not
change what was published, and the record shows exactly what the public saw.

An objection (``NoticeObjection``) is recorded by staff against the application it names,
with how and when it came in, a short summary (staff-only) and, once looked into, the
outcome. It is not written to the application's status history: that history is also the
worker's timeline, and an objection is neither a step of the workflow nor the worker's to
read; it is listed on the application's page in the admin instead.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.applications.models.applications import Application
from services.applications.models.programs import Program

# Long enough for the usual 5 to 7 working days and a holiday between; short enough that a
# forgotten notice does not keep names on the site for months. At least five days, the
# shortest period the federation's rules give for objections.
NOTICE_MAX_DAYS = 30
NOTICE_MIN_DAYS = 5
TEXT_MAX = 1000


class PublicNoticeQuerySet(models.QuerySet):
    def current(self, now=None):
        """Notices the public may read now: started, not yet ended, not withdrawn."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, withdrawn_at__isnull=True)


class PublicNotice(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="notices", verbose_name=_("项目")
    )
    title = models.CharField(_("公示标题"), max_length=100)
    intro = models.TextField(_("公示说明"), blank=True, max_length=TEXT_MAX)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示结束"))
    objection_contact = models.CharField(
        _("异议受理方式"),
        max_length=300,
        help_text=_("对公示有异议的，向哪里反映：地址、电话或电子邮箱。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("发布人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("撤下人"),
    )  # fmt: skip
    withdrawn_reason = models.CharField(_("撤下原因"), max_length=500, blank=True, editable=False)

    objects = PublicNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="notice_ends_after_start",
                violation_error_message=_("公示结束时间应晚于开始时间。"),
            )
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="notice_period")]

    def __str__(self):
        return self.title

    def is_current(self, now=None) -> bool:
        now = now or timezone.now()
        return self.withdrawn_at is None and self.starts_at <= now < self.ends_at

    @property
    def is_over(self) -> bool:
        """Off the site for good: ended or withdrawn."""
        return self.withdrawn_at is not None or self.ends_at <= timezone.now()

    @property
    def state_label(self) -> str:
        now = timezone.now()
        if self.withdrawn_at is not None:
            return str(_("已撤下"))
        if now < self.starts_at:
            return str(_("未开始"))
        if now >= self.ends_at:
            return str(_("已结束"))
        return str(_("公示中"))


class NoticeEntry(models.Model):
    """One line of a notice as the public reads it, frozen when the notice was made."""

    notice = models.ForeignKey(
        PublicNotice, on_delete=models.CASCADE, related_name="entries", verbose_name=_("公示")
    )
    # Kept if the application ever went: the line is a record of what was published.
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, related_name="notice_entries",
        verbose_name=_("申请"),
    )  # fmt: skip
    order = models.PositiveIntegerField(_("序号"))
    masked_name = models.CharField(_("姓名（遮蔽）"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["notice", "order"]
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        constraints = [
            models.UniqueConstraint(fields=["notice", "order"], name="notice_entry_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.masked_name}"


class ObjectionChannel(models.TextChoices):
    """How an objection reached the federation."""

    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    EMAIL = "email", _("电子邮件")
    VISIT = "visit", _("来访")
    OTHER = "other", _("其他")


class NoticeObjection(models.Model):
    notice = models.ForeignKey(
        PublicNotice, on_delete=models.PROTECT, related_name="objections",
        verbose_name=_("公示"),
    )  # fmt: skip
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="notice_objections",
        verbose_name=_("被异议的申请"),
    )  # fmt: skip
    received_on = models.DateField(_("收到日期"))
    channel = models.CharField(_("反映方式"), max_length=10, choices=ObjectionChannel.choices)
    # Staff-only: what was said, in brief (who said it only if they agreed to be named).
    content = models.TextField(_("异议内容摘要"), max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("登记人"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    outcome = models.TextField(_("核实结果"), blank=True, max_length=TEXT_MAX, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("核实人"),
    )  # fmt: skip
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self):
        return _("%(ref)s 的异议（%(date)s）") % {
            "ref": self.application.reference, "date": self.received_on,
        }  # fmt: skip
