"""Joining the union online (入会申请).

A join request is an application in the engine's sense: it follows its own small workflow
(``services/members/workflow.py``) through the same ``application_transition`` as every
program, and its history is ``StatusChange`` rows like theirs.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.members.models.organisation import GrassrootsUnion, Street
from services.members.models.people import EmploymentForm, Member


class JoinStatus(models.TextChoices):
    """A request to join the union (入会申请) moves submitted → approved / rejected / withdrawn."""

    SUBMITTED = "submitted", _("已提交，待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class JoinRequest(models.Model):
    """A worker asks to join a grassroots union (or to be placed in one) online.

    Staff of the street concerned decide; approval makes the worker a member, issues the
    membership number and only then writes the employment details into the worker's record.
    """

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("职工")
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    grassroots_union = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("申请加入的基层工会"),
        help_text=_("不选则由街道工会安排。"),
    )
    employment_form = models.CharField(_("就业形态"), max_length=20, choices=EmploymentForm.choices)
    employer_text = models.CharField(_("工作单位或平台"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=JoinStatus.choices, default=JoinStatus.SUBMITTED
    )
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    changes = GenericRelation("applications.StatusChange", related_query_name="join_request")

    class Meta:
        ordering = ["-submitted_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-submitted_at"], name="joinreques_sub"),
            models.Index(fields=["status", "-submitted_at"], name="joinreques_status_sub"),
            models.Index(fields=["street", "-submitted_at"], name="joinreques_street_sub"),
        ]
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        constraints = [
            # One open request per worker, enforced by the database.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="submitted"),
                name="one_open_join_request_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("members:join_detail", args=[self.pk])

    # -- what the workflow engine asks of an application ------------------------------------

    @property
    def workflow(self):
        from services.members.workflow import JOINING

        return JOINING

    @property
    def owner_user_id(self) -> int:
        return self.member.user_id

    @property
    def reference(self) -> str:
        return f"RH-{self.pk:06d}"

    @property
    def audit_amount(self):
        return None

    def message_params(self) -> dict:
        return {"number": self.member.membership_number or ""}


class MembershipCounter(models.Model):
    """The last membership number issued in a year; locked while a number is issued."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
