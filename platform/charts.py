"""Geometry of server-rendered SVG bar charts, shared by the apps (no JavaScript, no library).

Every number that goes into an SVG attribute is formatted here, as a string, with a dot as
decimal separator (`svg_number`): a template that prints a string cannot localise it, so a
German page draws exactly the chart an English one draws. The figures people read (counts,
shares with a decimal comma) are formatted by the templates, in the data table beside the
chart and in the SVG's text content.

    chart = bar_chart([BarItem("Vereine", 93), BarItem("Beratungsstellen", 35)])
    {% include "foundation/includes/bar_chart.html" with chart=chart title="..." %}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Bar colour: 7.1:1 against white (WCAG 1.4.11 asks 3:1 for graphics).
BAR_COLOUR = "#0063b1"
#: Bars whose figure is withheld (fewer answers than the publication threshold).
SUPPRESSED_COLOUR = "#d4d8dc"


def svg_number(value: float) -> str:
    """A number for an SVG attribute: dot decimal separator, at most 2 decimals, no exponent."""
    if not math.isfinite(value):
        value = 0.0
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True)
class BarItem:
    """One bar: its label and its value (None: withheld from publication)."""

    label: str
    value: float | None
    #: The figure written at the end of the bar (localised by the caller), e.g. "12,5 %".
    display: str = ""


@dataclass
class Bar:
    label: str
    value: float | None
    display: str
    # Geometry, already formatted for the SVG (strings, never localised).
    label_y: str
    bar_y: str
    width: str
    value_x: str
    value_y: str
    colour: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass
class BarChart:
    bars: list[Bar]
    width: str
    height: str
    bar_height: str
    maximum: float
    view_box: str = field(init=False)

    def __post_init__(self) -> None:
        self.view_box = f"0 0 {self.width} {self.height}"


# Horizontal bars with the label above each bar: long German labels need the whole width,
# and the chart scales with its container (viewBox) down to a phone's width.
CHART_WIDTH = 320
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
ROW_GAP = 10
VALUE_ROOM = 84  # room right of the longest bar for its figure, e.g. "264 (37,0 %)"
SUPPRESSED_WIDTH = 6.0


def bar_chart(items: Sequence[BarItem], *, maximum: float | None = None) -> BarChart:
    """Horizontal bars scaled to the largest value (or `maximum`, e.g. 100 for shares)."""
    values = [item.value for item in items if item.value is not None]
    top = maximum if maximum is not None else max([0.0, *values])
    room = CHART_WIDTH - VALUE_ROOM
    bars = []
    row = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    for index, item in enumerate(items):
        y = index * row
        if item.value is None:
            width = SUPPRESSED_WIDTH
            colour = SUPPRESSED_COLOUR
        else:
            width = room * item.value / top if top > 0 else 0.0
            colour = BAR_COLOUR
        bars.append(
            Bar(
                label=item.label,
                value=item.value,
                display=item.display,
                label_y=svg_number(y + LABEL_HEIGHT - 4),
                bar_y=svg_number(y + LABEL_HEIGHT),
                width=svg_number(width),
                value_x=svg_number(width + 4),
                value_y=svg_number(y + LABEL_HEIGHT + BAR_HEIGHT - 3),
                colour=colour,
            )
        )
    height = max(len(items) * row - ROW_GAP, 1)
    return BarChart(
        bars=bars,
        width=svg_number(CHART_WIDTH),
        height=svg_number(height),
        bar_height=svg_number(BAR_HEIGHT),
        maximum=top,
    )
