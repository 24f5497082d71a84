"""An answer as the respondent reads it again on the review page."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from ..conditions import Questionnaire
from ..models import Question, QuestionKind
from .values import AnswerValue, format_number


def answer_lines(
    question: Question, value: AnswerValue | None, questionnaire: Questionnaire
) -> list[str]:
    """The answer in words, one line per chosen option, matrix row or rank; [] if none."""
    if value is None or value.is_empty:
        return []
    options = questionnaire.options

    def label(pk: int) -> str:
        option = options.get(pk)
        return option.translated("text") if option else "?"

    kind = question.kind
    if kind == QuestionKind.MATRIX:
        rows = [o for o in question.options.all() if o.pk in value.matrix]
        return [f"{row.translated('text')}: {label(value.matrix[row.pk])}" for row in rows]
    if kind == QuestionKind.RANKING:
        ranked = sorted(value.ranks.items(), key=lambda item: item[1])
        return [f"{rank}. {label(option)}" for option, rank in ranked]
    if kind == QuestionKind.NUMBER and value.number is not None:
        return [format_number(value.number)]
    if kind == QuestionKind.DATE and value.date is not None:
        return [formats.date_format(value.date, "DATE_FORMAT", use_l10n=True)]
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return [value.text]
    order = [o.pk for o in question.options.all()]
    lines = [
        label(pk)
        for pk in sorted(value.option_ids, key=lambda pk: order.index(pk) if pk in order else 0)
    ]
    if value.other_text:
        lines.append(_("Other: %(text)s") % {"text": value.other_text})
    return lines
