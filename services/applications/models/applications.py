"""An ``Application`` is a worker's request to a program: a reference number, a status that
moves only through the workflow table, the amount asked for and the amount approved. Its
``StatusChange`` rows are both the worker's timeline and the staff audit; its ``Attachment``
rows are the proofs, kept in private storage and served only through a permission check."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.applications.models.programs import Program
from services.applications.workflow import Status
from services.members.models import Member, Street
from services.members.pii import EncryptedCharField, mask_card


class PaymentBatch(models.Model):
    """Approved applications paid together by finance, exported to Excel for the bank."""

    reference = models.CharField(_("批次号"), max_length=30, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("经办人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")

    def __str__(self):
        return self.reference


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
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    requested_amount = models.DecimalField(
        _("申请金额（元）"), max_digits=10, decimal_places=2, editable=False
    )
    amount_reason = models.CharField(_("金额计算说明"), max_length=300, editable=False)
    approved_amount = models.DecimalField(
        _("批准金额（元）"), max_digits=10, decimal_places=2, null=True, editable=False
    )
    bank_card = EncryptedCharField(_("收款银行卡号"))
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("初审人"),
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False, verbose_name=_("复审人"),
    )  # fmt: skip
    payment_batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, related_name="applications",
        editable=False, verbose_name=_("发放批次"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, editable=False)
    decided_at = models.DateTimeField(_("审批时间"), null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        permissions = [("reveal_bank_card", _("可以导出完整银行卡号（每次都会记录）"))]
        constraints = [
            # One application per worker per program batch (a withdrawn one may be redone).
            models.UniqueConstraint(
                fields=["applicant", "program"],
                condition=~models.Q(status="withdrawn"),
                name="one_application_per_program",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def masked_bank_card(self) -> str:
        return mask_card(self.bank_card)


class StatusChange(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="changes", verbose_name=_("申请")
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    note = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")

    def __str__(self):
        return f"{self.application} {self.from_status}→{self.to_status}"


class AttachmentKind(models.TextChoices):
    ADMISSION = "admission", _("录取通知书")
    RECEIPT = "receipt", _("学费发票或收据")
    CERTIFICATE = "certificate", _("职业技能等级证书")
    DEGREE = "degree", _("学历证书")
    OTHER = "other", _("其他材料")


def private_upload_to(instance, filename):
    # Stored under a random name: the worker's file name is kept only as data.
    return f"private/applications/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("申请")
    )
    kind = models.CharField(_("材料类型"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=private_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self):
        return self.original_name

    @property
    def used_elsewhere(self):
        """The same file uploaded to another application: staff are shown where."""
        return (
            Attachment.objects.filter(sha256=self.sha256)
            .exclude(application_id=self.application_id)
            .select_related("application")
        )


class Notification(models.Model):
    """The worker's in-site inbox; the same text goes out by SMS (and e-mail) after commit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, related_name="notifications"
    )
    text = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self):
        return self.text[:30]
