import csv
import json

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.pagecache import public_page
from reports import selectors
from reports.presentation import (
    STATISTICS_FIELDS,
    figure_rows,
    present_report,
    statistics_rows,
)
from services.spreadsheets import neutralise_cell


def render_report(request, report, snapshot, *, preview_note="", previous_snapshot=None):
    """The one way a report is drawn, for the public page, the staff preview and revisions.
    The public page is kept whole for anonymous readers (config/pagecache.py)."""
    return render(
        request,
        "reports/annualreport_detail.html",
        {
            "report": present_report(snapshot, previous_snapshot),
            "preview_note": preview_note,
        },
    )


@login_not_required
@require_safe
@public_page("reports")
def home(request):
    report = selectors.latest_published_report()
    return render(
        request,
        "home.html",
        {
            "report": present_report(report.published_snapshot) if report else None,
            "archive": selectors.report_archive(),
        },
    )


@login_not_required
@require_safe
@public_page("reports")
def report_archive(request):
    return render(
        request, "reports/annualreport_list.html", {"reports": selectors.report_archive()}
    )


@login_not_required
@require_safe
@public_page("reports")
def report_detail(request, year: int):
    report, previous = selectors.published_report_and_previous_or_404(year)
    return render_report(
        request,
        report,
        report.published_snapshot,
        previous_snapshot=previous.published_snapshot if previous else None,
    )


@login_not_required
@require_safe
@public_page("reports")
def report_figures_csv(request, year: int):
    report = selectors.published_report_or_404(year)
    rows = figure_rows(report.published_snapshot)
    return _csv(f"report-{year}-figures.csv", FIGURE_FIELDS, rows)


FIGURE_FIELDS = [
    "year", "section_number", "section", "label", "value", "unit", "qualifier", "text",
    "source", "source_option", "source_year", "live_value", "live_taken_at",
]  # fmt: skip


def _csv(filename: str, fields: list[str], rows: list[dict]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM so spreadsheet programs read the Chinese text as UTF-8
    writer = csv.DictWriter(response, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise_cell(value) for key, value in row.items()})
    return response


def _json(body: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


@login_not_required
@require_safe
@public_page("reports")
def report_statistics_csv(request, year: int):
    report = selectors.published_report_or_404(year)
    rows = statistics_rows(report.published_snapshot)
    return _csv(f"report-{year}-statistics.csv", STATISTICS_FIELDS, rows)


@login_not_required
@require_safe
@public_page("reports")
def report_statistics_json(request, year: int):
    report = selectors.published_report_or_404(year)
    snapshot = report.published_snapshot
    statistics = snapshot.get("statistics") or {}
    return _json(
        {
            "year": report.year,
            "published_at": report.published_at.isoformat(),
            "taken_at": snapshot.get("live_taken_at"),
            "min_group": statistics.get("min_group"),
            "note": "people and amount (yuan) paid by program and street; groups with fewer "
            "people than min_group are suppressed (null)",
            "rows": statistics_rows(snapshot),
        }
    )


@login_not_required
@require_safe
@public_page("reports")
def report_figures_json(request, year: int):
    report = selectors.published_report_or_404(year)
    body = {
        "year": report.year,
        "title": report.published_snapshot["title"],
        "published_at": report.published_at.isoformat(),
        "figures": figure_rows(report.published_snapshot),
    }
    return _json(body)


@login_not_required
@require_safe
def report_cover(request, year: int):
    report = selectors.published_report_or_404(year)
    if not report.cover_image:
        raise Http404
    response = FileResponse(report.cover_image.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
