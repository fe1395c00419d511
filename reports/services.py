"""Every change to a report goes through these functions: admin actions, the admin's save,
the seed loader and the tests all call them."""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import (
    AnnualReport,
    KeyFigure,
    PlanItem,
    ReportRevision,
    ReportSection,
    ReportStatus,
)
from reports.snapshot import build_report_snapshot, report_with_content
from services.decisions import Decision

CONTENT_FIELDS = ("title", "subtitle", "authors", "lede", "plan_heading", "plan_intro")


def _locked_report(report_id: int) -> AnnualReport:
    AnnualReport.objects.select_for_update().filter(pk=report_id).first()
    return report_with_content().get(pk=report_id)


def report_revision_record(
    *, report: AnnualReport, user: AbstractBaseUser | None, note: str = ""
) -> ReportRevision:
    """Keep the working copy as it is now as the next numbered revision."""
    with transaction.atomic():
        report = _locked_report(report.pk)
        last = report.revisions.aggregate(n=Max("number"))["n"] or 0
        return ReportRevision.objects.create(
            report=report,
            number=last + 1,
            snapshot=build_report_snapshot(report),
            note=note[:200],
            created_by=user if user and user.is_authenticated else None,
        )


def report_can_publish(*, report: AnnualReport) -> Decision:
    if not report.title.strip():
        return Decision.deny(_("报告没有标题，不能发布。"))
    if not report.sections.exists():
        return Decision.deny(_("报告还没有任何章节，不能发布。"))
    return Decision.allow()


def report_publish(*, report: AnnualReport, user: AbstractBaseUser | None) -> Decision:
    """Freeze the working copy as what the public sees; a later edit needs publishing again."""
    with transaction.atomic():
        report = _locked_report(report.pk)
        decision = report_can_publish(report=report)
        if not decision:
            return decision
        report.published_snapshot = build_report_snapshot(report)
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.save(update_fields=["published_snapshot", "status", "published_at", "updated_at"])
        report_revision_record(report=report, user=user, note=_("发布"))
    return Decision.allow()


def report_unpublish(*, report: AnnualReport, user: AbstractBaseUser | None) -> Decision:
    with transaction.atomic():
        report = _locked_report(report.pk)
        if not report.is_published:
            return Decision.deny(_("该报告尚未发布。"))
        report.status = ReportStatus.DRAFT
        report.published_snapshot = None
        report.save(update_fields=["status", "published_snapshot", "updated_at"])
        report_revision_record(report=report, user=user, note=_("取消发布"))
    return Decision.allow()


def _write_content(*, report: AnnualReport, data: dict) -> None:
    """Replace a report's working copy with ``data`` (a snapshot or the seed file's shape)."""
    for field in CONTENT_FIELDS:
        setattr(report, field, data.get(field, "") or "")
    report.save()
    report.sections.all().delete()
    report.plan_items.all().delete()
    for s_index, section_data in enumerate(data.get("sections", []), start=1):
        section = ReportSection.objects.create(
            report=report,
            order=section_data.get("order", s_index * 10),
            kicker=section_data.get("kicker", ""),
            heading=section_data["heading"],
            body=section_data.get("body", "").strip(),
        )
        KeyFigure.objects.bulk_create(
            KeyFigure(
                report=report,
                section=section,
                order=figure.get("order", f_index * 10),
                label=figure["label"],
                value=Decimal(figure["value"]),
                unit=figure["unit"],
                qualifier=figure.get("qualifier", ""),
                is_headline=figure.get("is_headline", figure.get("headline", False)),
                program_code=figure.get("program_code", ""),
            )
            for f_index, figure in enumerate(section_data.get("figures", []), start=1)
        )
    PlanItem.objects.bulk_create(
        PlanItem(
            report=report,
            order=item.get("order", p_index * 10),
            title=item["title"],
            subtitle=item.get("subtitle", ""),
            body=item.get("body", "").strip(),
        )
        for p_index, item in enumerate(data.get("plan_items", []), start=1)
    )


def report_revision_restore(
    *, revision: ReportRevision, user: AbstractBaseUser | None
) -> ReportRevision:
    """Put a revision back as the working copy (published text is untouched until publish)."""
    with transaction.atomic():
        report = _locked_report(revision.report_id)
        _write_content(report=report, data=revision.snapshot)
        return report_revision_record(
            report=report,
            user=user,
            note=_("恢复到第 %(number)s 版") % {"number": revision.number},
        )


def report_import(
    *, data: dict, replace: bool = False, publish: bool = True
) -> tuple[AnnualReport, bool]:
    """Load a report from data (the shipped 2023 report). Returns (report, created_or_replaced).

    An existing report of that year is left alone unless ``replace`` is given, so loading twice
    never loses what staff have edited since.
    """
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(year=data["year"]).first()
        if report and not replace:
            return report, False
        report = report or AnnualReport(year=data["year"])
        _write_content(report=report, data=data)
        report_revision_record(report=report, user=None, note=_("导入"))
        if publish:
            report_publish(report=report, user=None)
    report.refresh_from_db()
    return report, True
