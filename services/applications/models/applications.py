"""An ``Application`` is a worker's request to a program: a reference number, a status that
moves only through its program type's workflow (``engine.application_transition``), the amount
the rule gives and the amount approved. Its ``StatusChange`` rows are both the worker's
timeline and the staff audit; its ``Attachment`` rows are the proofs, kept in private storage
and served only through a permission check. The money itself is a ledger row
(``LedgerEntry``) made when the application is approved."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.applications.models.audit import StatusChange
from services.applications.models.programs import Program
from services.members.models import Member, Street
from services.members.pii import mask_card

DRAFT = "draft"
WITHDRAWN = "withdrawn"


class Application(models.Model):
    reference = models.CharField(_("申请编号"), max_length=30, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications", verbose_name=_("项目")
    )
    applicant = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="applications", verbose_name=_("申请人")
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, verbose_name=_("街道"), editable=False
    )
    # The labels come from the program type's workflow (``status_label``).
    status = models.CharField(_("状态"), max_length=20, default=DRAFT, editable=False)
    # True where the program type allows one application per worker per batch.
    single_slot = models.BooleanField(default=True, editable=False)
    requested_amount = models.DecimalField(
        _("按规则计算金额（元）"), max_digits=10, decimal_places=2, editable=False
    )
    amount_reason = models.CharField(_("金额计算说明"), max_length=300, editable=False)
    approved_amount = models.DecimalField(
        _("批准金额（元）"), max_digits=10, decimal_places=2, null=True, editable=False
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("初审人"),
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("复审人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, editable=False)
    decided_at = models.DateTimeField(_("审批时间"), null=True, editable=False)

    changes = GenericRelation(StatusChange, related_query_name="application")

    class Meta:
        ordering = ["-created_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="applicatio_new_id"),
            models.Index(fields=["status", "-created_at"], name="applicatio_status_new"),
            models.Index(fields=["street", "-created_at"], name="applicatio_street_new"),
            models.Index(fields=["program", "-created_at"], name="applicatio_prog_new"),
            models.Index(fields=["-submitted_at"], name="applicatio_sub"),
        ]
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        permissions = [
            ("reveal_bank_card", _("可以导出完整银行卡号（每次都会记录）")),
            ("view_medical", _("可以查看理赔的诊断和医疗材料（每次查看都会记录）")),
        ]
        constraints = [
            # One application per worker per program batch where the program type says so
            # (a withdrawn one may be redone).
            models.UniqueConstraint(
                fields=["applicant", "program"],
                condition=models.Q(single_slot=True) & ~models.Q(status=WITHDRAWN),
                name="one_application_per_program",
            )
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    # -- what the workflow engine asks of an application ------------------------------------

    @property
    def workflow(self):
        return self.program.workflow

    @property
    def owner_user_id(self) -> int:
        return self.applicant.user_id

    @property
    def audit_amount(self):
        return self.approved_amount

    def message_params(self) -> dict:
        amount = self.approved_amount or self.requested_amount
        return {"amount": f"{amount:,.2f}", "program": self.program.name}

    # -- display ------------------------------------------------------------------------------

    @property
    def status_label(self) -> str:
        return self.workflow.status_label(self.status)

    @property
    def masked_bank_card(self) -> str:
        return mask_card(self.applicant.bank_card)


def private_upload_to(instance, filename):
    # Stored under a random name: the worker's file name is kept only as data.
    return f"private/applications/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("申请")
    )
    # One of the program type's proof kinds (``ProgramType.proof_kinds``).
    kind = models.CharField(_("材料类型"), max_length=20)
    file = models.FileField(_("文件"), upload_to=private_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("上传人"),
    )  # fmt: skip

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self):
        return self.original_name

    @property
    def kind_label(self) -> str:
        program_type = self.application.program.program_type
        return program_type.proof_label(self.kind) if program_type else self.kind
