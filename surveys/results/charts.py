"""The surveys' charts: foundation.charts bar geometry for participation and question results.

The figures written beside the bars are localised here (German: decimal comma) for the active
language; the geometry is never localised (foundation.charts.svg_number).
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from foundation.charts import BarChart, BarItem, bar_chart
from surveys.models import QuestionKind

from .selectors import QuestionResult, StateCounts


def percent(value: float | None, decimals: int = 1) -> str:
    """A share for people to read, e.g. "21,6 %" in German and "21.6 %" in English."""
    if value is None:
        return ""
    # number_format cuts digits off; round first, as floatformat does in the tables.
    return f"{number_format(round(value, decimals), decimals)} %"


def decimal(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    return number_format(round(value, decimals), decimals)


def _count_with_share(count: int | None, share: float | None) -> str:
    if count is None:
        return ""
    return f"{count} ({percent(share)})" if share is not None else str(count)


def question_chart(result: QuestionResult) -> BarChart | None:
    """Bars for a question: counts per option, mean rank per option, mean scale point per
    matrix row; None for kinds shown as a table only (numbers, dates, texts) or withheld."""
    if result.suppressed:
        return None
    if result.kind == QuestionKind.RANKING:
        if not result.options:
            return None
        return bar_chart(
            [
                BarItem(option.label, option.mean_rank, decimal(option.mean_rank, 1))
                if option.count is not None
                else BarItem(option.label, None)
                for option in result.options
            ],
            maximum=float(len(result.options)),
        )
    if result.kind == QuestionKind.MATRIX:
        if not result.rows or not result.scale:
            return None
        return bar_chart(
            [
                BarItem(row.label, row.mean, decimal(row.mean, 1))
                if row.respondents is not None
                else BarItem(row.label, None)
                for row in result.rows
            ],
            maximum=float(len(result.scale)),
        )
    if result.has_options and result.options:
        items = [
            BarItem(option.label, option.count, _count_with_share(option.count, option.share))
            if option.count is not None
            else BarItem(option.label, None)
            for option in result.options
        ]
        if result.question.allow_other and result.other_count != 0:
            items.append(
                BarItem(_("Other"), result.other_count, str(result.other_count))
                if result.other_count is not None
                else BarItem(_("Other"), None)
            )
        return bar_chart(items)
    return None


def participation_chart(rows: list[StateCounts]) -> BarChart:
    """Partly or completely answered per group or municipality, with the share of the invited."""
    return bar_chart(
        [
            BarItem(
                row.label,
                row.answered,
                _count_with_share(row.answered, row.share(row.answered)),
            )
            for row in rows
        ]
    )


def states_chart(overall: StateCounts) -> BarChart:
    items = []
    if overall.invited is not None:
        items.append(BarItem(_("Invited"), overall.invited, str(overall.invited)))
    items += [
        BarItem(
            _("Opened"),
            overall.responded,
            _count_with_share(overall.responded, overall.opened_share),
        ),
        BarItem(
            _("Partly answered"),
            overall.partial,
            _count_with_share(overall.partial, overall.partial_share),
        ),
        BarItem(
            _("Complete"),
            overall.complete,
            _count_with_share(overall.complete, overall.complete_share),
        ),
    ]
    return bar_chart(items)
