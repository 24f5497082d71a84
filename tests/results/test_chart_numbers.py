"""The monitoring charts draw the same SVG in German as in English: geometry attributes are
never written with a decimal comma."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from consultations.results.charts import Bar, BarSegment, LineChart, LinePoint


def attributes(html: str) -> list[str]:
    names = ("x", "y", "width", "height", "cx", "cy", "x1", "x2", "y1", "y2")
    return [value for name, value in re.findall(r'\s([a-z0-9]+)="([^"]*)"', html) if name in names]


def test_status_bars_and_line_chart_keep_a_decimal_point_in_german():
    bars = [
        Bar(
            "Bildung",
            3,
            0,
            [
                BarSegment("done", "Umgesetzt", 1, 0.0, 33.333, "#1d6b2f"),
                BarSegment("planned", "Geplant", 2, 33.333, 66.667, "#5a6570"),
            ],
        )
    ]
    chart = LineChart(
        width=560,
        height=220,
        points=[LinePoint(64.5, 100.25, date(2024, 1, 1), Decimal("61.5"))],
        polyline="64.5,100.25",
        y_min=Decimal(0),
        y_max=Decimal(80),
        target_y=20.5,
        left=64,
        right=544,
        top=16,
        bottom=184,
    )
    indicator = SimpleNamespace(
        pk=1, name="Kita-Quote", target=Decimal(80), unit="%", values=SimpleNamespace(all=list)
    )
    with translation.override("de"):
        html = render_to_string(
            "results/includes/status_bars.html", {"bars": bars, "statuses": [], "colours": {}}
        )
        html += render_to_string(
            "results/includes/line_chart.html", {"chart": chart, "indicator": indicator}
        )
    values = attributes(html)
    assert "33.333" in values and "100.25" in values and "20.5" in values
    for value in values:
        if value != "100%":  # the line chart's outer width, a percentage on purpose
            float(value)
