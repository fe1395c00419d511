"""A staff list exported to Excel: the list as its author filtered it, written by the task
worker with its progress shown, kept for its author for a few days.

A changelist of 100,000 applications does not fit in a request: the author asks for the file
(``list_export_request``), the task worker writes it (``list_export_run``) and the page of the
job shows how far it has got, then offers the file. The job row is also the record of who
exported what, when and how many rows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导出中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def export_upload_to(instance, filename):
    return f"private/exports/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    # ``app_label.model_name`` of the list (its ModelAdmin says what the columns are).
    list_name = models.CharField(_("列表"), max_length=60)
    title = models.CharField(_("名称"), max_length=100)
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("导出人"),
    )  # fmt: skip
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("总行数"), null=True)
    rows_done = models.PositiveIntegerField(_("已导出行数"), default=0)
    file = models.FileField(_("文件"), upload_to=export_upload_to, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出文件")
        verbose_name_plural = _("导出文件")

    def __str__(self):
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == ExportStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.rows_total)
