"""Every change to a report goes through these functions: admin actions, the admin's save,
the seed loader and the tests all call them."""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from config.pagecache import page_cache_changed
from reports.live import freeze
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


def _figure_link(figure: dict, year: int) -> dict:
    """The live link of a figure in a snapshot or the seed file (``source = "key"`` there)."""
    link = figure.get("source") or {}
    if isinstance(link, str):
        link = {"key": link, "option": figure.get("source_option", ""), "year": None}
    if not link.get("key"):
        return {"source": "", "source_option": "", "source_year": None}
    return {
        "source": link["key"],
        "source_option": link.get("option", ""),
        "source_year": link.get("year") or year,
    }


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
        return Decision.deny(_("报告没有标题，不能发布。"), code="no_title")
    if not report.sections.exists():
        return Decision.deny(_("报告还没有任何章节，不能发布。"), code="no_sections")
    if not report.has_unpublished_changes:
        # A second click of 发布 (or two editors at once): nothing new to freeze.
        return Decision.deny(_("报告已经发布，此后没有新的修改。"), code="unchanged")
    unfilled = [
        figure.label for figure in report.figures.all() if figure.value == 0 and figure.qualifier
    ]
    if unfilled:
        # "超0万人" is a figure nobody has typed yet (a next year's draft starts at 0).
        return Decision.deny(
            _(
                "以下数字为 0 却带有“超”“余”等约数，多半还没有填写，"
                "请填写或采用实时数值后再发布：%(labels)s"
            )
            % {"labels": "、".join(unfilled[:10]) + ("……" if len(unfilled) > 10 else "")},
            code="unfilled",
        )
    return Decision.allow()


def report_publish(
    *, report: AnnualReport, user: AbstractBaseUser | None, from_records: bool = True
) -> Decision:
    """Freeze the working copy as what the public sees; a later edit needs publishing again.

    The live values of linked figures and the program statistics of the open data are taken
    now and frozen with the time (``reports.live.freeze``). ``from_records=False`` is for a
    report written before the portal held any records (the shipped 2023 report): its links
    stay, for comparing later years, but no reading of today's records is frozen into it.
    """
    with transaction.atomic():
        report = _locked_report(report.pk)
        decision = report_can_publish(report=report)
        if not decision:
            return decision
        snapshot = build_report_snapshot(report)
        report.published_snapshot = freeze(snapshot, report.year) if from_records else snapshot
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.save(update_fields=["published_snapshot", "status", "published_at", "updated_at"])
        report_revision_record(report=report, user=user, note=_("发布"))
        page_cache_changed("reports")
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
        page_cache_changed("reports")
    return Decision.allow()


def _write_content(*, report: AnnualReport, data: dict) -> None:
    """Replace a report's working copy with ``data`` (a snapshot or the seed file's shape)."""
    for field in CONTENT_FIELDS:
        setattr(report, field, data.get(field, "") or "")
    report.open_data_min_group = data.get("open_data_min_group", report.open_data_min_group)
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
                **_figure_link(figure, report.year),
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
        page_cache_changed("reports")
        if publish:
            report_publish(report=report, user=None, from_records=False)
    report.refresh_from_db()
    return report, True


def report_delete(*, report: AnnualReport, actor: AbstractBaseUser) -> None:
    """Delete a report with its content; a published one leaves the public pages at once."""
    with transaction.atomic():
        report.delete()
        page_cache_changed("reports")


def report_draft_next_year(*, report: AnnualReport, actor: AbstractBaseUser) -> AnnualReport:
    """Start next year's report from this one's structure.

    The draft keeps the sections' kickers and headings (the bodies are left empty to be
    written anew), every figure's label, unit, wording and live link moved on to the new
    year, with a value of 0 until staff type it or take the live value. The plan is left empty.
    Refused when that year's report already exists.
    """
    year = report.year + 1
    with transaction.atomic():
        source = _locked_report(report.pk)
        if AnnualReport.objects.filter(year=year).exists():
            raise ValidationError(
                _("%(year)s 年度报告已经存在，请直接编辑。") % {"year": year}, code="exists"
            )
        draft = AnnualReport.objects.create(
            year=year,
            title=source.title.replace(str(source.year), str(year)),
            subtitle=source.subtitle.replace(str(source.year), str(year)),
            authors=source.authors,
            open_data_min_group=source.open_data_min_group,
        )
        for section in source.sections.all():
            copy = ReportSection.objects.create(
                report=draft, order=section.order, kicker=section.kicker, heading=section.heading
            )
            KeyFigure.objects.bulk_create(
                KeyFigure(
                    report=draft,
                    section=copy,
                    order=f.order,
                    label=f.label,
                    value=Decimal(0),
                    unit=f.unit,
                    qualifier=f.qualifier,
                    is_headline=f.is_headline,
                    source=f.source,
                    source_option=f.source_option,
                    source_year=(f.source_year or source.year) + 1 if f.source else None,
                )  # fmt: skip
                for f in section.figures.all()
            )
        report_revision_record(
            report=draft,
            user=actor,
            note=_("由 %(year)s 年度报告的结构新建") % {"year": source.year},
        )
    return draft
