"""Closing an account (注销): the worker asks, a system administrator completes it.

Completing it deletes or anonymises the worker's personal information, keeping only what the
law requires: the records of money paid to them (the ledger, the applications it paid and
their proofs, with the name and ID number they carry) are accounting records, kept for 30
years under the 会计档案管理办法; consent records are kept as proof of what was agreed.
Everything else goes. A request runs on the shared workflow engine like any application.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from services.members.models.organisation import Street
from services.members.models.people import Member


class ClosureStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请，待办理")
    CLOSED = "closed", _("已注销")
    REFUSED = "refused", _("暂不能注销")
    WITHDRAWN = "withdrawn", _("已撤回")


class ClosureRequest(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="closure_requests", verbose_name=_("职工")
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("街道")
    )
    reason = models.CharField(_("原因（选填）"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.REQUESTED
    )
    requested_at = models.DateTimeField(pgettext_lazy("注销", "申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("办理人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    decision_note = models.CharField(_("办理说明"), max_length=500, blank=True)

    changes = GenericRelation("applications.StatusChange", related_query_name="closure_request")

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("注销申请")
        verbose_name_plural = _("注销申请")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="requested"),
                name="one_open_closure_request_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("members:closure")

    # -- what the workflow engine asks of an application ------------------------------------

    @property
    def workflow(self):
        from services.members.workflow import CLOSING

        return CLOSING

    @property
    def owner_user_id(self) -> int:
        return self.member.user_id

    @property
    def reference(self) -> str:
        return f"ZX-{self.pk:06d}"

    @property
    def audit_amount(self):
        return None

    def message_params(self) -> dict:
        return {}
