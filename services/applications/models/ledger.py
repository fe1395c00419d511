"""The money ledger: every amount owed to a worker is one ``LedgerEntry``.

An entry names the member, the program (and its year), what it pays for (an application
today; a course completion or a hardship visit later) and the amount. It is *reserved* when
the decision is made, goes *in a batch* when finance builds a payment batch, and is *paid*
only when the bank's result for its line says so. A line the bank *failed* puts the entry
back in the queue (reserved again, with the bank's reason kept) for the next batch. An entry
can be *reversed* with a reason; it then no longer counts.

Budgets, per-person and yearly caps are sums over the live entries (reserved, in a batch,
paid), checked when the money is decided under locks (``services.applications.ledger``).
Every change to an entry writes a ``LedgerEvent``: who, when, what and why.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.applications.models.programs import Program
from services.members.models import Member


class LedgerStatus(models.TextChoices):
    RESERVED = "reserved", _("待发放")
    IN_BATCH = "in_batch", _("发放中")
    PAID = "paid", _("已发放")
    REVERSED = "reversed", _("已冲销")


LIVE = (LedgerStatus.RESERVED, LedgerStatus.IN_BATCH, LedgerStatus.PAID)


class LedgerEntry(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("职工")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    purpose = models.CharField(_("款项"), max_length=120)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=LedgerStatus.choices, default=LedgerStatus.RESERVED
    )
    failures = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    last_failure = models.CharField(_("最近一次银行退回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("核定人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("核定时间"), auto_now_add=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("冲销人"),
    )  # fmt: skip
    reversed_at = models.DateTimeField(_("冲销时间"), null=True, blank=True)
    reversal_reason = models.CharField(_("冲销原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("资金台账")
        verbose_name_plural = _("资金台账")
        permissions = [("reverse_ledgerentry", _("可以冲销资金台账（须写明原因）"))]
        constraints = [
            # One live entry for whatever it pays for: an application is never owed twice.
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~Q(status=LedgerStatus.REVERSED),
                name="one_live_entry_per_source",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["member", "year"], name="ledger_member_year"),
            models.Index(fields=["program", "status"], name="ledger_program_status"),
            # The list staff open, filter and page through at district scale.
            models.Index(fields=["-created_at", "-id"], name="ledgerentr_new_id"),
            models.Index(fields=["status", "-created_at"], name="ledgerentr_status_new"),
            models.Index(fields=["program", "-created_at"], name="ledgerentr_prog_new"),
        ]

    def __str__(self):
        return f"{self.purpose} {self.amount:,.2f}"


class LedgerEvent(models.Model):
    """The money's own audit trail: one row for every change to an entry."""

    class Action(models.TextChoices):
        RESERVE = "reserve", _("核定")
        CORRECT = "correct", _("更正金额")
        BATCH = "batch", _("编入发放批次")
        PAID = "paid", _("银行发放成功")
        FAILED = "failed", _("银行退回，重新排队")
        REVERSE = "reverse", _("冲销")
        HANDED = "handed", _("当面发放")

    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, related_name="events", verbose_name=_("台账")
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    batch = models.ForeignKey(
        "PaymentBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("发放批次"),
    )  # fmt: skip
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")

    def __str__(self):
        return f"{self.get_action_display()} {self.amount:,.2f}"


class PaymentBatch(models.Model):
    """Ledger entries paid together: built by finance, exported for the bank, then closed
    when the bank's result has been recorded for every line."""

    class Status(models.TextChoices):
        BUILT = "built", _("已生成，待导出")
        EXPORTED = "exported", _("已导出，待录入银行结果")
        CLOSED = "closed", _("已完成")

    reference = models.CharField(_("批次号"), max_length=30, unique=True)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, related_name="payment_batches",
        verbose_name=_("项目"),
    )  # fmt: skip
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.BUILT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("经办人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    exported_at = models.DateTimeField(_("首次导出时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")

    def __str__(self):
        return self.reference


class PaymentLine(models.Model):
    """One ledger entry in one batch, and what the bank said about it."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待银行结果")
        PAID = "paid", _("成功")
        FAILED = "failed", _("失败")

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, related_name="lines", verbose_name=_("批次")
    )
    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, related_name="lines", verbose_name=_("台账")
    )
    sequence = models.PositiveIntegerField(_("序号"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    result = models.CharField(
        _("银行结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    bank_note = models.CharField(_("银行说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("录入人"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("录入时间"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "sequence"]
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        constraints = [
            models.UniqueConstraint(fields=["batch", "sequence"], name="line_sequence_in_batch"),
            models.UniqueConstraint(fields=["batch", "entry"], name="entry_once_per_batch"),
            # An entry waits for one bank result at a time.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(result="pending"), name="one_pending_line_per_entry"
            ),
        ]

    def __str__(self):
        return f"{self.batch} #{self.sequence}"
