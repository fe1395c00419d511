"""Horizontal bar charts drawn on the server as SVG, for staff pages (no JavaScript, no chart
library).

A chart is a list of (label, value) rows. Each row is a line of text, the label on the left
and the number on the right, over a bar whose length is the value against the largest one.
The SVG has no viewBox: its text keeps its size on a phone while the bars stretch with the
screen, and the number sits above its bar, so it never runs off a narrow screen. The template
(``includes/svg_bar_chart.html``) labels the SVG with the chart's caption and a description
that reads every number out, so a screen reader hears what the eye sees.

The public report draws its own charts (``reports/presentation.py``); this one knows nothing
of reports and takes numbers of any kind, with a function that writes each one as text.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

# Geometry in CSS pixels; bar widths in percent of the chart's width.
ROW_HEIGHT = 40
TEXT_BASELINE = 14
BAR_TOP = 20
BAR_HEIGHT = 12
SMALLEST_VISIBLE = Decimal("0.5")


def bar_chart(
    *,
    chart_id: str,
    caption: str,
    rows: Iterable[tuple[str, Decimal | int]],
    as_text: Callable[[Decimal | int], str] = str,
) -> dict:
    """The drawing of a bar chart, for ``includes/svg_bar_chart.html``.

    ``chart_id`` must be unique on the page (it names the caption and the description);
    ``as_text`` writes a value as the page shows it ("1,200.00 元", "35 件").
    """
    rows = [(str(label), value) for label, value in rows]
    largest = max((Decimal(value) for _label, value in rows), default=Decimal(0))
    bars = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        amount = Decimal(value)
        percent = amount / largest * 100 if largest > 0 else Decimal(0)
        if amount > 0:
            percent = max(percent, SMALLEST_VISIBLE)
        bars.append(
            {
                "label": label,
                "text": as_text(value),
                "text_y": top + TEXT_BASELINE,
                "bar_y": top + BAR_TOP,
                "bar_width": f"{percent:.2f}%",
                "drawn": amount > 0,
            }
        )
    return {
        "id": chart_id,
        "caption": caption,
        # Chinese content throughout (labels and their numbers), so Chinese punctuation.
        "description": "；".join(f"{bar['label']} {bar['text']}" for bar in bars),
        "height": len(bars) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }
