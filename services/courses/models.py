"""家门口学技能: skills courses at workers' doorsteps.

A ``Course`` is run by a provider at a venue in one of the seven streets, over a few
``Session`` rows (a date, a start and an end). Members enrol in one tap while places are
left; after that they join the waitlist in the order they came. Cancelling before the
deadline frees the place and the first on the waitlist moves up in the same transaction.
Staff (课程管理员, street-scoped) mark attendance per session; completing the course (at least
``completion_share`` of the sessions attended) writes the training-fee subsidy to the money
ledger, paid through the same finance batches as every program. An ``Enrollment`` moves only
through the shared workflow engine (``workflow.py``).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.applications.models import Program
from services.members.models import Member, Street


class Category(models.TextChoices):
    ELECTRICIAN = "电工", _("电工")
    WELDER = "焊工", _("焊工")
    CHILDCARE = "育婴员", _("育婴员")
    COOKING = "中式烹调", _("中式烹调")
    ECOMMERCE = "电子商务", _("电子商务")
    CNC = "数控车工", _("数控车工")
    PHARMA = "药物制剂工", _("药物制剂工")
    ELDERCARE = "养老护理员", _("养老护理员")
    HAIRDRESSING = "美发师", _("美发师")
    OTHER = "其他", _("其他")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿（未公开）")
    OPEN = "open", _("报名中")
    FULL = "full", _("已满，可候补")
    CLOSED = "closed", _("报名已截止")
    FINISHED = "finished", _("已结业")
    CANCELLED = "cancelled", _("已取消")


class Course(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="courses", verbose_name=_("补贴项目"),
        help_text=_("培训补贴从这个项目的预算中支出。"),
    )  # fmt: skip
    title = models.CharField(_("课程名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    provider = models.CharField(_("培训机构"), max_length=100)
    description = models.TextField(_("课程介绍"), blank=True, max_length=2000)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("所在街道"))
    venue = models.CharField(_("上课地点"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    capacity = models.PositiveSmallIntegerField(
        _("名额"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    fee = models.DecimalField(
        _("培训费（元）"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    subsidy = models.DecimalField(
        _("结业培训补贴（元）"), max_digits=8, decimal_places=2,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    completion_share = models.DecimalField(
        _("结业出勤比例"), max_digits=3, decimal_places=2, default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("出勤课次达到这个比例即可结业，例如 0.8 表示 80%。"),
    )  # fmt: skip
    enrol_opens_at = models.DateTimeField(_("开始报名"))
    enrol_closes_at = models.DateTimeField(_("报名截止"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    certificate_exam = models.BooleanField(_("结业后参加职业技能等级证书考试"), default=False)
    # The last waitlist number given out; taken under a lock on this row.
    last_queue_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["enrol_closes_at", "id"]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        constraints = [
            models.CheckConstraint(
                condition=Q(enrol_closes_at__gt=F("enrol_opens_at")),
                name="course_dates_in_order",
                violation_error_message=_("报名截止时间应晚于开始报名时间。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.pk])

    @property
    def effective_status(self) -> str:
        """The status as a member meets it now: an open course past its deadline is closed."""
        closable = self.status in (CourseStatus.OPEN, CourseStatus.FULL)
        if closable and timezone.now() > self.enrol_closes_at:
            return CourseStatus.CLOSED
        return self.status

    @property
    def completion_percent(self) -> int:
        return int(self.completion_share * 100)

    @property
    def effective_status_label(self) -> str:
        return str(CourseStatus(self.effective_status).label)


class Session(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("课程")
    )
    date = models.DateField(_("日期"))
    starts = models.TimeField(_("开始时间"))
    ends = models.TimeField(_("结束时间"))

    class Meta:
        ordering = ["date", "starts", "id"]
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="session_ends_after",
                violation_error_message=_("结束时间应晚于开始时间。"),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M}"


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已参加，未达结业要求")
    COMPLETED = "completed", _("已结业")
    NO_SHOW = "no_show", _("未到课")
    UNPLACED = "unplaced", _("候补未转正（课程已结业）")


# An enrollment that holds or waits for a place (one per member per course).
LIVE = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)


class Enrollment(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("课程")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("学员")
    )
    # The course's street, for street-scoped staff.
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    status = models.CharField(
        _("状态"), max_length=10, choices=EnrollmentStatus.choices, editable=False
    )
    queue_number = models.PositiveIntegerField(_("报名顺序"), editable=False)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结业时间"), null=True, blank=True, editable=False)

    changes = GenericRelation("applications.StatusChange", related_query_name="enrollment")

    class Meta:
        ordering = ["course", "queue_number"]
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")
        constraints = [
            # One enrollment per member per course, unless it was cancelled.
            models.UniqueConstraint(
                fields=["course", "member"],
                condition=~Q(status=EnrollmentStatus.CANCELLED),
                name="one_enrollment_per_course",
            ),
            models.UniqueConstraint(fields=["course", "queue_number"], name="queue_number_once"),
        ]

    def __str__(self):
        return f"{self.course} · {self.member}"

    def get_absolute_url(self) -> str:
        return reverse("courses:mine")

    # -- what the workflow engine asks of an application ------------------------------------

    @property
    def workflow(self):
        from services.courses.workflow import ENROLLING

        return ENROLLING

    @property
    def owner_user_id(self) -> int:
        return self.member.user_id

    @property
    def reference(self) -> str:
        return f"KC-{self.pk:06d}"

    @property
    def audit_amount(self):
        return None

    def message_params(self) -> dict:
        return {
            "course": self.course.title,
            "amount": f"{self.course.subsidy:,.2f}",
            "share": self.course.completion_percent,
        }


class Attendance(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("报名")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("课次")
    )
    present = models.BooleanField(_("出勤"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("记录人"),
    )  # fmt: skip
    marked_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "session"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.enrollment} {self.session}"


class CourseBar(models.Model):
    """A member who repeatedly did not turn up may not enrol until a date."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="course_bars", verbose_name=_("职工")
    )
    until = models.DateField(_("暂停报名至"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("经办人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("暂停报名")
        verbose_name_plural = _("暂停报名")

    def __str__(self):
        return f"{self.member} → {self.until:%Y-%m-%d}"


class Reminder(models.Model):
    """A reminder sent the day before a session, so a rerun of the daily task sends none twice."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "session"], name="one_reminder")
        ]

    def __str__(self):
        return f"{self.enrollment_id}/{self.session_id}"
