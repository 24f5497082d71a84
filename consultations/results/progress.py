"""The roll-up of implementation progress: measures → goal → Handlungsfeld → concept.

Like Decidim's accountability, a parent's progress is the weighted average of its measures'
progress. A measure without a weight counts as 1, so a group without any weights is the plain
(unweighted) mean. The one home of that rule: the monitoring page, the measure page and the
report all ask `rolled_up`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

MIN_PROGRESS = 0
MAX_PROGRESS = 100
DEFAULT_WEIGHT = 1


class Weighted(Protocol):
    progress: int
    weight: int | None


def effective_weight(measure: Weighted) -> int:
    """The weight a measure counts with: its own, or 1 when it has none."""
    return measure.weight if measure.weight is not None else DEFAULT_WEIGHT


def rolled_up(measures: Iterable[Weighted]) -> float | None:
    """The weighted average progress of `measures`, rounded to one decimal; None when empty."""
    total_weight = 0
    weighted_sum = 0
    for measure in measures:
        weight = effective_weight(measure)
        total_weight += weight
        weighted_sum += measure.progress * weight
    if not total_weight:
        return None
    return round(weighted_sum / total_weight, 1)
