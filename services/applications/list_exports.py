"""Exporting a staff list to Excel or CSV, exactly as its author filtered and searched it.

Each exporting admin list (``ListExportMixin``) names its columns (``Column``: a header and a
path for ``values_list``, with an optional function for what the cell shows). The rows are
read with ``values_list`` in chunks and never become model instances, so 100,000 rows take
seconds and little memory.

- CSV is streamed in the request (UTF-8 with a BOM for spreadsheet programs; text that
  starts like a formula neutralised).
- Excel is written by the task worker (``list_export_run``), which shows its progress on the
  job's page; rustpy-xlsxwriter (the Rust writer rust_xlsxwriter) writes a row as fast as the
  database gives it, as inline strings that never run as formulas.

The rows are those of the author's own list: the admin's queryset (their street only), its
filters and search, rebuilt for the task from the query string they exported from.
"""

import csv
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.applications.models.exports import ExportJob, ExportStatus
from services.spreadsheets import neutralise_cell

logger = logging.getLogger(__name__)

CHUNK = 2000
PROGRESS_EVERY = 5000
QUERY_MAX = 2000
# The page number and the admin's error flag say nothing about which rows; a search by a full
# ID or mobile number lives in the author's session only (a one-time token,
# services/members/admin_search.py) and is refused.
NOT_EXPORTED = {"p", "e", "pii"}


@dataclass(frozen=True)
class Column:
    header: str
    path: str
    show: Callable | None = None


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def rows_of(queryset, columns: list[Column]) -> Iterator[list]:
    """Each row as the cells show it, read in chunks."""
    paths = [column.path for column in columns]
    for values in queryset.values_list(*paths).iterator(chunk_size=CHUNK):
        yield [
            _cell(column.show(value) if column.show else value)
            for column, value in zip(columns, values, strict=True)
        ]


def csv_lines(queryset, columns: list[Column]) -> Iterator[str]:
    """The list as CSV, line by line (for a StreamingHttpResponse)."""

    class Line:
        def write(self, text):
            return text

    writer = csv.writer(Line())
    yield "\ufeff" + writer.writerow([str(column.header) for column in columns])
    for row in rows_of(queryset, columns):
        yield writer.writerow(
            [
                neutralise_cell(value.strftime("%Y-%m-%d %H:%M"))
                if isinstance(value, datetime)
                else neutralise_cell("" if value is None else value)
                for value in row
            ]
        )


def _admin_for(list_name: str):
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower == list_name:
            return model_admin
    raise LookupError(list_name)


def export_query(query: QueryDict) -> str:
    kept = query.copy()
    for name in NOT_EXPORTED & set(kept):
        kept.pop(name)
    return kept.urlencode()


def list_export_request(*, model_admin, query: QueryDict, actor) -> ExportJob:
    """Queue an Excel export of the list as the author sees it now."""
    if "pii" in query:
        raise ValidationError(
            _("按完整号码查找的结果不能导出，请按姓名或遮蔽后的号码查找后再导出。"), code="pii"
        )
    text = export_query(query)
    if len(text) > QUERY_MAX:
        raise ValidationError(_("筛选条件太长，无法导出。"), code="query_too_long")
    opts = model_admin.model._meta
    recent = ExportJob.objects.filter(
        requested_by=actor, list_name=opts.label_lower, query=text,
        status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING),
        created_at__gte=timezone.now() - timedelta(minutes=10),
    ).first()  # fmt: skip
    if recent is not None:  # a double click: the same export is under way
        return recent
    with transaction.atomic():
        job = ExportJob.objects.create(
            list_name=opts.label_lower,
            title=_("%(list)s（%(time)s）")
            % {
                "list": opts.verbose_name_plural,
                "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            query=text,
            requested_by=actor,
        )
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    try:
        run_list_export.enqueue(job_id)
    except Exception:  # the queue is away: the job page says it waits
        logger.exception("could not queue export %s", job_id)


@task()
def run_list_export(job_id: int) -> None:
    list_export_run(job_id=job_id)


def list_export_run(*, job_id: int) -> ExportJob:
    """Write the job's file: the author's list, rebuilt from the query they exported from."""
    from django.test import RequestFactory  # the author's list, rebuilt as a request
    from rustpy_xlsxwriter import FastExcel

    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.finished:
        return job  # a task delivered twice writes nothing twice
    model_admin = _admin_for(job.list_name)
    request = RequestFactory().get("/", QueryDict(job.query))
    request.user = job.requested_by
    with translation.override(job.requested_by.language or "zh-hans"):
        try:
            queryset = model_admin.export_queryset(request)
            total = queryset.count()
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.RUNNING, rows_total=total
            )
            columns = model_admin.get_export_columns(request)
            headers = [str(column.header) for column in columns]
            done = 0

            def records():
                nonlocal done
                for row in rows_of(queryset, columns):
                    done += 1
                    if done % PROGRESS_EVERY == 0:
                        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)
                    yield dict(zip(headers, row, strict=True))

            handle, path = tempfile.mkstemp(suffix=".xlsx")
            os.close(handle)
            try:
                sheet = str(model_admin.model._meta.verbose_name_plural)[:31]
                (
                    FastExcel(path)
                    .format(datetime_format="yyyy-mm-dd hh:mm", bold_headers=True)
                    .freeze(row=1)
                    .sheet(sheet, records() if total else iter([dict.fromkeys(headers)]))
                    .save()
                )
                with open(path, "rb") as written:
                    job.file.save(f"{job.list_name}.xlsx", File(written), save=False)
            finally:
                os.unlink(path)
        except Exception:  # the author reads that it failed; the log keeps why
            logger.exception("export %s failed", job.pk)
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.FAILED,
                error=_("导出没有完成，请重新导出；仍不成功请联系系统管理员。"),
                finished_at=timezone.now(),
            )
            job.refresh_from_db()
            return job
    job.status, job.rows_done, job.finished_at = ExportStatus.DONE, done, timezone.now()
    job.save(update_fields=["file", "status", "rows_done", "finished_at"])
    return job
