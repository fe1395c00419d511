"""Reads for the public report pages. The public reads published snapshots only."""

from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import get_object_or_404

from reports.models import AnnualReport

_LISTED_FIELDS = ("id", "year", "title", "subtitle", "published_at", "status")


def report_archive():
    """Published reports, newest first, without their (large) snapshots: the title and
    subtitle are the published ones (an unpublished edit of the working copy stays unseen)."""
    return (
        AnnualReport.objects.published()
        .only(*_LISTED_FIELDS)
        .annotate(
            published_title=KT("published_snapshot__title"),
            published_subtitle=KT("published_snapshot__subtitle"),
        )
        .order_by("-year")
    )


def published_report_or_404(year: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.published(), year=year)


def latest_published_report() -> AnnualReport | None:
    return AnnualReport.objects.published().order_by("-year").first()


def published_report_and_previous_or_404(year: int):
    """This year's published report and last year's (or None), in one query."""
    found = {r.year: r for r in AnnualReport.objects.published().filter(year__in=(year, year - 1))}
    if year not in found:
        raise Http404
    return found[year], found.get(year - 1)


def previous_published_report(report: AnnualReport) -> AnnualReport | None:
    """Last year's published report, whose linked figures this year's are compared with."""
    return AnnualReport.objects.published().filter(year=report.year - 1).first()
