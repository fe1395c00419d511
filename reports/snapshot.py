"""A report frozen as plain data.

One function turns a report's working copy into a JSON-able dict. That dict is what the public
sees once published (``AnnualReport.published_snapshot``), what staff preview, what a
``ReportRevision`` stores and what a restore writes back, so all four always agree.
Rendered Markdown is kept beside its source so that a public page renders no Markdown.
"""

from decimal import Decimal

from django.db.models import Prefetch

from reports.markdown import render_markdown
from reports.models import AnnualReport, KeyFigure, ReportSection

SNAPSHOT_VERSION = 1


def decimal_text(value: Decimal) -> str:
    """371.0000 -> "371", 72.3510 -> "72.351": exact, never a float, never exponent form."""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def report_with_content(queryset=None):
    """Reports with everything a snapshot reads, in a fixed number of queries."""
    queryset = queryset if queryset is not None else AnnualReport.objects.all()
    return queryset.prefetch_related(
        Prefetch(
            "sections",
            queryset=ReportSection.objects.prefetch_related(
                Prefetch("figures", queryset=KeyFigure.objects.order_by("order", "id"))
            ),
        ),
        "plan_items",
    )


def _link(figure: KeyFigure, report: AnnualReport) -> dict | None:
    link = figure.link
    return link and {**link, "year": link["year"] or report.year}


def build_report_snapshot(report: AnnualReport) -> dict:
    return {
        "version": SNAPSHOT_VERSION,
        "year": report.year,
        "title": report.title,
        "subtitle": report.subtitle,
        "authors": report.authors,
        "lede": report.lede,
        "lede_html": render_markdown(report.lede),
        "has_cover": bool(report.cover_image),
        "plan_heading": report.plan_heading,
        "open_data_min_group": report.open_data_min_group,
        "plan_intro": report.plan_intro,
        "sections": [
            {
                "order": section.order,
                "kicker": section.kicker,
                "heading": section.heading,
                "body": section.body,
                "body_html": render_markdown(section.body),
                "figures": [
                    {
                        "order": figure.order,
                        "label": figure.label,
                        "value": decimal_text(figure.value),
                        "unit": figure.unit,
                        "qualifier": figure.qualifier,
                        "is_headline": figure.is_headline,
                        "source": _link(figure, report),
                    }
                    for figure in section.figures.all()
                ],
            }
            for section in report.sections.all()
        ],
        "plan_items": [
            {
                "order": item.order,
                "title": item.title,
                "subtitle": item.subtitle,
                "body": item.body,
                "body_html": render_markdown(item.body),
            }
            for item in report.plan_items.all()
        ],
    }


# What publishing adds to a snapshot and a revision never holds: the live values frozen with
# the time they were taken, and the program statistics of the open data (``reports.live``).
FROZEN_KEYS = ("live_taken_at", "statistics")


def without_frozen(snapshot: dict | None) -> dict | None:
    """The published snapshot as the working copy would build it, to tell whether they differ."""
    if snapshot is None:
        return None
    plain = {k: v for k, v in snapshot.items() if k not in FROZEN_KEYS}
    plain["sections"] = [
        {
            **section,
            "figures": [{k: v for k, v in f.items() if k != "live"} for f in section["figures"]],
        }
        for section in snapshot["sections"]
    ]
    return plain
