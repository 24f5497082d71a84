"""One question's answer between the form and the database, and the rules it must meet.

`AnswerValue` is what a page form produces for a question and what `save_page` writes as
Answer rows; `answer_problems` is the one place that says whether a value is acceptable
for its question (the form shows its messages next to the field, the service refuses the
same things again before writing).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from ..conditions import Given
from ..models import Answer, Option, OptionRole, Question, QuestionKind

#: Longest text answers when the builder sets no limit.
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000


@dataclass
class AnswerValue:
    """What a respondent gave for one question (empty: nothing)."""

    option_ids: list[int] = field(default_factory=list)
    other_text: str = ""
    text: str = ""
    number: Decimal | None = None
    date: datetime.date | None = None
    matrix: dict[int, int] = field(default_factory=dict)  # row option id -> scale option id
    ranks: dict[int, int] = field(default_factory=dict)  # option id -> rank (1 = first)

    @property
    def is_empty(self) -> bool:
        return not (
            self.option_ids
            or self.other_text.strip()
            or self.text.strip()
            or self.number is not None
            or self.date is not None
            or self.matrix
            or self.ranks
        )

    def given(self) -> Given:
        """The shape the conditions compare (surveys.conditions.Given)."""
        options = set(self.option_ids) | set(self.matrix.values()) | set(self.ranks)
        return Given(
            option_ids=frozenset(options),
            text=self.text or self.other_text,
            number=self.number,
            date=self.date,
        )

    def rows(self, *, response_id: int, question: Question) -> list[Answer]:
        """The Answer rows that store this value (see the Answer docstring)."""
        base = {"response_id": response_id, "question_id": question.pk}
        kind = question.kind
        if kind == QuestionKind.MATRIX:
            return [
                Answer(**base, option_id=row, scale_id=scale) for row, scale in self.matrix.items()
            ]
        if kind == QuestionKind.RANKING:
            return [
                Answer(**base, option_id=option, rank=rank) for option, rank in self.ranks.items()
            ]
        rows = [Answer(**base, option_id=option) for option in self.option_ids]
        if self.other_text.strip():
            rows.append(Answer(**base, text=self.other_text.strip()))
        if self.text.strip():
            rows.append(Answer(**base, text=self.text))
        if self.number is not None:
            rows.append(Answer(**base, number=self.number))
        if self.date is not None:
            rows.append(Answer(**base, date=self.date))
        return rows


def values_from_answers(
    answers: Iterable[Answer], questions: dict[int, Question]
) -> dict[int, AnswerValue]:
    """Stored Answer rows of one response → {question_id: AnswerValue}."""
    values: dict[int, AnswerValue] = defaultdict(AnswerValue)
    for answer in answers:
        question = questions.get(answer.question_id)
        if question is None:
            continue
        value = values[answer.question_id]
        if question.kind == QuestionKind.MATRIX and answer.option_id and answer.scale_id:
            value.matrix[answer.option_id] = answer.scale_id
        elif question.kind == QuestionKind.RANKING and answer.option_id:
            value.ranks[answer.option_id] = answer.rank or 0
        elif answer.option_id:
            value.option_ids.append(answer.option_id)
        elif answer.text and question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            value.other_text = answer.text
        elif answer.text:
            value.text = answer.text
        elif answer.number is not None:
            value.number = answer.number
        elif answer.date is not None:
            value.date = answer.date
    return dict(values)


def format_number(number: Decimal) -> str:
    """A limit or an answer for display: 5, 2,5 (German) / 2.5 (English), no trailing zeros."""
    normal = number.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        normal = normal.quantize(Decimal(1))
    return formats.number_format(normal, use_l10n=True)


def range_problem(question: Question, number: Decimal) -> str | None:
    """Why `number` does not fit the question's range and whole-number rule, or None."""
    low, high = question.min_value, question.max_value
    if question.integer_only and number != number.to_integral_value():
        return _("Please enter a whole number (without a decimal part).")
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return _("Please enter a number from %(min)s to %(max)s.") % {
                "min": format_number(low),
                "max": format_number(high),
            }
        if low is not None:
            return _("Please enter a number of at least %(min)s.") % {"min": format_number(low)}
        return _("Please enter a number of at most %(max)s.") % {"max": format_number(high)}
    return None


def text_limit(question: Question) -> int:
    default = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    return question.max_length or default


def answer_problems(question: Question, value: AnswerValue) -> list[str]:
    """Everything wrong with `value` as an answer to `question` (empty list: acceptable).

    `question.options` should be prefetched (Questionnaire.load does it)."""
    if not question.takes_answer:
        return []
    options = list(question.options.all())
    choices = {o.pk for o in options if o.role == OptionRole.CHOICE}
    kind = question.kind
    problems: list[str] = []
    if value.is_empty:
        if question.required:
            if kind == QuestionKind.MATRIX:
                return [_("Please choose an answer in every row.")]
            if kind == QuestionKind.RANKING:
                return [_("Please give every option a rank.")]
            return [_("Please answer this question.")]
        return []
    if any(option not in choices for option in value.option_ids):
        problems.append(_("Please choose one of the answers offered."))
    single = kind in (QuestionKind.SINGLE, QuestionKind.DROPDOWN, QuestionKind.YES_NO)
    if single and len(value.option_ids) + (1 if value.other_text.strip() else 0) > 1:
        problems.append(_("Please choose only one answer."))
    if value.other_text.strip() and not question.allow_other:
        problems.append(_("Please choose one of the answers offered."))
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT) and len(value.text) > text_limit(
        question
    ):
        problems.append(
            _("Your answer can have at most %(limit)d characters; it has %(count)d.")
            % {"limit": text_limit(question), "count": len(value.text)}
        )
    if len(value.other_text) > SHORT_TEXT_MAX:
        problems.append(
            _("Your answer can have at most %(limit)d characters; it has %(count)d.")
            % {"limit": SHORT_TEXT_MAX, "count": len(value.other_text)}
        )
    if kind == QuestionKind.NUMBER and value.number is not None:
        problem = range_problem(question, value.number)
        if problem:
            problems.append(problem)
    if kind == QuestionKind.MATRIX:
        rows = {o.pk for o in options if o.role == OptionRole.ROW}
        scale = {o.pk for o in options if o.role == OptionRole.SCALE}
        if any(row not in rows or point not in scale for row, point in value.matrix.items()):
            problems.append(_("Please choose one of the answers offered."))
        elif question.required and set(value.matrix) != rows:
            problems.append(_("Please choose an answer in every row."))
    if kind == QuestionKind.RANKING:
        if any(option not in choices for option in value.ranks):
            problems.append(_("Please choose one of the answers offered."))
        else:
            given = sorted(value.ranks.values())
            if question.required and len(given) != len(choices):
                problems.append(_("Please give every option a rank."))
            elif given != list(range(1, len(given) + 1)):
                problems.append(
                    _("Please use each rank only once, starting at 1 and without gaps (1, 2, 3 …).")
                )
    return list(dict.fromkeys(problems))


def choice_options(question: Question) -> list[Option]:
    return [o for o in question.options.all() if o.role == OptionRole.CHOICE]
