"""Turns a report snapshot into what the page shows: figures with their wording, and charts.

A chart is drawn for every group of two or more figures in a section that share a unit (so
they can be compared), as server-side SVG with a caption, a description that reads out every
number, and the numbers written beside the bars.

On the page a number carries thousands separators (40195 -> 40,195; 30.89 stays 30.89), so a
count of 2010 people never reads like a year. Only figures are grouped, never years, and the
open data (``figure_rows``) keeps the raw numbers.
"""

from collections import defaultdict
from decimal import Decimal

from reports.models import FigureQualifier

# Geometry in CSS pixels, widths in percent of the chart: the SVG has no viewBox, so its
# text keeps its size on a phone while the bars stretch with the screen.
ROW_HEIGHT = 46
BAR_HEIGHT = 16
LABEL_GAP = 20
BAR_MAX_PERCENT = Decimal(75)


def group_digits(value: str) -> str:
    """Thousands separators in the whole part: 40195 -> 40,195, 1234.5 -> 1,234.5, 30.89."""
    whole, point, fraction = value.partition(".")
    return f"{int(whole):,}{point}{fraction}"


def _wording(figure: dict) -> tuple[str, str]:
    """The words around a figure's number: 超 | 2 | 万人, 400 | 余场, 90 | %以上."""
    qualifier = figure.get("qualifier", "")
    before = after_number = after_unit = ""
    if qualifier == FigureQualifier.OVER:
        before = "超"
    elif qualifier == FigureQualifier.PASSED:
        before = "突破"
    elif qualifier == FigureQualifier.ODD:
        after_number = "余"
    elif qualifier == FigureQualifier.ABOVE:
        after_unit = "以上"
    return before, f"{after_number}{figure['unit']}{after_unit}"


def figure_parts(figure: dict) -> dict:
    """A figure as the page shows it: its wording split around a grouped number."""
    before, unit = _wording(figure)
    number = group_digits(figure["value"])
    return {
        **figure,
        "before": before,
        "number": number,
        "unit_text": unit,
        "text": f"{before}{number}{unit}",
    }


def _chart(section_index: int, chart_index: int, heading: str, unit: str, figures: list) -> dict:
    largest = max(Decimal(f["value"]) for f in figures) or Decimal(1)
    bars = []
    for row, figure in enumerate(figures):
        y = row * ROW_HEIGHT
        percent = max(Decimal(figure["value"]) / largest * BAR_MAX_PERCENT, Decimal("0.5"))
        bars.append(
            {
                "label": figure["label"],
                "text": figure["text"],
                "label_y": y + 14,
                "bar_y": y + LABEL_GAP,
                "bar_width": f"{percent:.2f}%",
                "value_y": y + LABEL_GAP + BAR_HEIGHT - 3,
            }
        )
    return {
        "id": f"chart-{section_index}-{chart_index}",
        # The caption is worded in the template, where the Chinese heading and unit can be
        # marked as Chinese inside the translated sentence.
        "heading": heading,
        "unit": unit,
        # Chinese content throughout (labels and their numbers), so Chinese punctuation.
        "description": "；".join(f"{f['label']} {f['text']}" for f in figures),
        "height": len(figures) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def _link_key(figure: dict) -> tuple | None:
    link = figure.get("source")
    return (link["key"], link.get("option", "")) if link else None


def _from_records(figure: dict) -> bool:
    """The published value is what the records gave when the report was published."""
    live = figure.get("live") or {}
    return live.get("value") is not None and Decimal(live["value"]) == Decimal(figure["value"])


def _compared(figure: dict, previous: dict | None) -> dict | None:
    """Last year's figure linked to the same source, and the change, when the units agree."""
    if previous is None or previous["unit"] != figure["unit"]:
        return None
    now, then = Decimal(figure["value"]), Decimal(previous["value"])
    change = now - then
    percent = None
    if then:
        percent = (change / then * 100).quantize(Decimal("0.1"))
    return {
        "text": figure_parts(previous)["text"],
        "change": change,
        "change_text": group_digits(format(abs(change).normalize(), "f")),
        "percent": None if percent is None else format(abs(percent), "f"),
    }


def present_report(snapshot: dict, previous: dict | None = None) -> dict:
    """The page's view of a snapshot; ``previous`` is last year's published snapshot, whose
    figures linked to the same live sources are shown beside this year's."""
    last_year = {}
    if previous:
        for section in previous["sections"]:
            for figure in section["figures"]:
                key = _link_key(figure)
                if key:
                    last_year.setdefault(key, figure)
    sections = []
    for s_index, section in enumerate(snapshot["sections"], start=1):
        figures = [
            {
                **figure_parts(f),
                "from_records": _from_records(f),
                "last_year": _compared(f, last_year.get(_link_key(f))),
            }
            for f in section["figures"]
        ]
        by_unit = defaultdict(list)
        for figure in figures:
            by_unit[figure["unit"]].append(figure)
        charts = [
            _chart(s_index, c_index, section["heading"], unit, group)
            for c_index, (unit, group) in enumerate(
                ((u, g) for u, g in by_unit.items() if len(g) >= 2), start=1
            )
        ]
        sections.append(
            {**section, "anchor": f"section-{s_index}", "figures": figures, "charts": charts}
        )
    headline = [f for s in sections for f in s["figures"] if f["is_headline"]]
    return {
        **snapshot,
        "previous_year": previous["year"] if previous else None,
        "sections": sections,
        "headline_figures": headline,
        "figure_count": sum(len(s["figures"]) for s in sections),
    }


def figure_rows(snapshot: dict) -> list[dict]:
    """One flat row per figure, for the open-data CSV and JSON."""
    rows = []
    for s_index, section in enumerate(snapshot["sections"], start=1):
        for figure in section["figures"]:
            before, unit = _wording(figure)
            link = figure.get("source") or {}
            live = figure.get("live") or {}
            rows.append(
                {
                    "year": snapshot["year"],
                    "section_number": s_index,
                    "section": section["heading"],
                    "label": figure["label"],
                    "value": figure["value"],
                    "unit": figure["unit"],
                    "qualifier": figure["qualifier"],
                    # raw numbers, never grouped: "40195名", not "40,195名"
                    "text": f"{before}{figure['value']}{unit}",
                    # the live source it is linked to, and what the records gave at publishing
                    "source": link.get("key", ""),
                    "source_option": link.get("option", ""),
                    "source_year": link.get("year"),
                    "live_value": live.get("value"),
                    "live_taken_at": live.get("taken_at"),
                }
            )
    return rows


STATISTICS_FIELDS = ["year", "program_code", "program", "street", "people", "amount", "suppressed"]


def statistics_rows(snapshot: dict) -> list[dict]:
    """The frozen program statistics, one row per program total and per program and street;
    a suppressed group (fewer people than the report's threshold) has no numbers."""
    statistics = snapshot.get("statistics") or {"programs": []}
    rows = []
    for program in statistics["programs"]:
        for street, group in [("", program), *((s["street"], s) for s in program["streets"])]:
            rows.append(
                {
                    "year": snapshot["year"],
                    "program_code": program["code"],
                    "program": program["name"],
                    "street": street,
                    "people": group["people"],
                    "amount": group["amount"],
                    "suppressed": group["suppressed"],
                }
            )
    return rows
