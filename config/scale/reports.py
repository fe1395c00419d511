"""Three years of published annual reports, made with the report CMS's own services.

The shipped 2023 report is loaded as ``manage.py load_annual_report`` loads it. The two years
after it are started with 以所选报告的结构新建下一年度草稿 (``report_draft_next_year``), their
linked figures take the live values of the generated records (``figures_take_live``, as staff
do under 与服务记录核对), the figures no record counts are typed (last year's, a little more
or less), each section gets a short text, and the report is published, which freezes the live
values and the open-data statistics. A report already there is left alone.
"""

import tomllib
from decimal import Decimal

from django.db import transaction

from reports.live import figures_take_live
from reports.management.commands.load_annual_report import DEFAULT_FILE
from reports.models import AnnualReport, KeyFigure
from reports.services import (
    report_draft_next_year,
    report_import,
    report_publish,
    report_revision_record,
)

LEDE = (
    "本报告的关联数据取自服务记录（规模测试数据），发布时冻结。"
    "各章节文字为占位说明，供性能测试和页面检查使用。"
)


def annual_reports(ctx) -> list[int]:
    with open(DEFAULT_FILE, "rb") as handle:
        report, _loaded = report_import(data=tomllib.load(handle))
    years = [report.year]
    editor = ctx.staff.editor
    for year in (report.year + 1, report.year + 2):
        existing = AnnualReport.objects.filter(year=year).first()
        report = existing or _next_year(ctx, report, editor)
        years.append(report.year)
    return years


def _next_year(ctx, previous: AnnualReport, editor) -> AnnualReport:
    with transaction.atomic():
        draft = report_draft_next_year(report=previous, actor=editor)
        draft.lede = LEDE
        draft.save(update_fields=["lede", "updated_at"])
        for section in draft.sections.all():
            section.body = (
                f"{draft.year}年，{section.heading.strip()}相关工作持续推进。"
                "本节数字由服务记录统计得出。"
            )
            section.save(update_fields=["body"])
        _type_values(ctx, previous, draft)
        report_revision_record(report=draft, user=editor, note="填写章节说明和数字")
        linked = list(draft.figures.exclude(source="").values_list("pk", flat=True))
        figures_take_live(report=draft, figure_ids=linked, actor=editor)
        decision = report_publish(report=draft, user=editor)
        if not decision:
            raise RuntimeError(f"the {draft.year} report was not published: {decision.reason}")
    draft.refresh_from_db()
    return draft


def _type_values(ctx, previous: AnnualReport, draft: AnnualReport) -> None:
    """The figures no record counts (activities, honours, ...) are typed by the editor: last
    year's value, a little more or less, with as many decimals."""
    before = {
        (f.section.order, f.order): f.value for f in previous.figures.select_related("section")
    }
    typed = []
    for figure in draft.figures.filter(source="").select_related("section"):
        last = before.get((figure.section.order, figure.order))
        if last is None:
            continue
        figure.value = (last * Decimal(str(round(ctx.rng.uniform(0.95, 1.15), 3)))).quantize(
            last if last.as_tuple().exponent < 0 else Decimal(1)
        )
        typed.append(figure)
    KeyFigure.objects.bulk_update(typed, ["value"])
