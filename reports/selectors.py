"""Reads for the public report pages. The public reads published snapshots only."""

from django.shortcuts import get_object_or_404

from reports.models import AnnualReport

_LISTED_FIELDS = ("id", "year", "title", "subtitle", "published_at", "status")


def report_archive():
    """Published reports, newest first, without their (large) snapshots."""
    return AnnualReport.objects.published().only(*_LISTED_FIELDS).order_by("-year")


def published_report_or_404(year: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.published(), year=year)


def latest_published_report() -> AnnualReport | None:
    return AnnualReport.objects.published().order_by("-year").first()
