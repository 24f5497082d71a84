"""Server-side chart geometry for the SVG charts (no JavaScript; every chart has a data table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import ImplementationStatus, Indicator
from .selectors import StatusCounts

# Distinguishable for common colour-vision deficiencies and >= 3:1 against white (WCAG 1.4.11).
STATUS_COLOURS: dict[str, str] = {
    ImplementationStatus.PLANNED: "#5a6570",
    ImplementationStatus.IN_PROGRESS: "#0063b1",
    ImplementationStatus.DONE: "#1d6b2f",
    ImplementationStatus.DEFERRED: "#a3004c",
}


@dataclass
class BarSegment:
    code: str
    label: str
    count: int
    x: float
    width: float
    colour: str


@dataclass
class Bar:
    label: str
    total: int
    y: float
    segments: list[BarSegment]


def stacked_bars(rows: list[StatusCounts]) -> list[Bar]:
    """One horizontal bar per row; segment x and width are shares of the row's measures in per cent."""
    bars = []
    for index, row in enumerate(rows):
        x = 0.0
        segments = []
        for code, label, count in row.ordered():
            width = 100 * count / row.total if row.total else 0
            segments.append(
                BarSegment(
                    code, str(label), count, round(x, 3), round(width, 3), STATUS_COLOURS[code]
                )
            )
            x += width
        bars.append(Bar(label=row.label, total=row.total, y=index, segments=segments))
    return bars


@dataclass
class LinePoint:
    x: float
    y: float
    date: date
    value: Decimal


@dataclass
class LineChart:
    width: int
    height: int
    points: list[LinePoint]
    polyline: str
    y_min: Decimal
    y_max: Decimal
    target_y: float | None
    left: int
    right: int
    top: int
    bottom: int


def line_chart(indicator: Indicator, *, width: int = 560, height: int = 220) -> LineChart | None:
    """A value-over-time line for an indicator; its target as a dashed line. None without values."""
    values = list(indicator.values.all())
    if not values:
        return None
    left, right, top, bottom = 64, width - 16, 16, height - 36
    numbers = [v.value for v in values]
    if indicator.target is not None:
        numbers.append(indicator.target)
    y_min = min([Decimal(0), *numbers])
    y_max = max(numbers)
    if y_max == y_min:
        y_max = y_min + 1
    first, last = values[0].date.toordinal(), values[-1].date.toordinal()
    span = max(last - first, 1)

    def scale_y(value: Decimal) -> float:
        return bottom - float((value - y_min) / (y_max - y_min)) * (bottom - top)

    points = []
    for item in values:
        x = (
            left + (item.date.toordinal() - first) / span * (right - left)
            if len(values) > 1
            else (left + right) / 2
        )
        points.append(
            LinePoint(
                x=round(x, 1), y=round(scale_y(item.value), 1), date=item.date, value=item.value
            )
        )
    return LineChart(
        width=width,
        height=height,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        y_min=y_min,
        y_max=y_max,
        target_y=round(scale_y(indicator.target), 1) if indicator.target is not None else None,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
    )
