"""The audit log: one append-only record of what staff do to personal data and money.

Every view of a member's, claim's or hardship file, every reveal of a full number and every
search by one, every proof opened, every export, every status change and ledger change made
by staff, every edit of a program's budget or rules, every staff login and every failed
second factor writes one ``AuditEvent`` (``services.members.audit.audit_record``). Nobody in
the application can change or remove a row: the database refuses any UPDATE or DELETE of the
table (a trigger, added by migration 0019), and production runs the application under a role
that holds only INSERT and SELECT on it (README, "Security and operations"). A row names the
member and the staff member by id without a database constraint, so closing an account or a
staff account never touches the log.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.members.models.people import Member


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        ID_NUMBER = "id_number", _("查看完整身份证号")
        BANK_CARD = "bank_card", _("导出完整银行卡号")
        ID_NUMBER_SEARCH = "id_number_search", _("按完整身份证号查找")
        MOBILE_SEARCH = "mobile_search", _("按完整手机号查找")
        MEDICAL = "medical", _("查看理赔的诊断或医疗材料")
        HARDSHIP = "hardship", _("查看困难职工档案")
        MEMBER_VIEW = "member_view", _("查看职工档案")
        PROOF = "proof", _("打开证明材料")
        EXPORT = "export", _("导出")
        STATUS = "status", _("办理状态变更")
        LEDGER = "ledger", _("资金台账变更")
        PROGRAM = "program", _("修改项目预算或规则")
        LOGIN = "login", _("工作人员登录")
        LOGIN_FAILED = "login_failed", _("工作人员登录失败")
        OTP_FAILED = "otp_failed", _("动态验证码错误")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True,
        blank=True, related_name="+", verbose_name=_("工作人员"),
    )  # fmt: skip
    # The person whose data it was; empty for a search that found nobody, a login, an edit.
    member = models.ForeignKey(
        Member, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("职工"),
    )  # fmt: skip
    action = models.CharField(_("操作"), max_length=50, choices=Action.choices)
    # What exactly, when the action alone does not say (a claim, a document, a step, a list,
    # a program's values before and after).
    subject = models.TextField(_("内容"), blank=True, default="")
    object_type = models.ForeignKey(
        ContentType, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("对象类型"),
    )  # fmt: skip
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True, default="")
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["-at"], name="piireveall_at"),
            models.Index(fields=["member", "-at"], name="audit_member_at"),
            models.Index(fields=["staff", "-at"], name="audit_staff_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self):
        return f"{self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
