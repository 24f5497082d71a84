"""Which pages and questions a respondent sees, given the answers so far.

One home for the display conditions, used by the answering pages, their services and the
results (which must not count answers to questions a respondent never saw):

    questionnaire = Questionnaire.load(survey)          # a fixed number of queries
    given = given_from_answers(response.answers.all())   # {question_id: Given}
    visible = questionnaire.visibility(given)
    visible.shows_page(page), visible.shows_question(question)

Rules:
- every condition of a target (page or question) must hold (AND);
- a question is shown only if its page is shown and its own conditions hold;
- the questionnaire is walked in order (pages by position, questions by position), and an
  answer to a question that is hidden counts as not given: hiding a question also hides what
  depends on it, so the answers of a chain never contradict what the respondent saw;
- a condition whose source comes later than (or on the same page as) its target is judged
  by the answers stored so far. The builder offers only earlier questions as sources.

Operators (ConditionOperator): any_of/none_of compare the chosen options (a matrix: its
chosen scale points; yes/no: the options coded "Y"/"N"); answered/not_answered; equals,
greater and less compare numbers, dates (YYYY-MM-DD) or — equals only — text (ignoring case
and surrounding spaces) and option codes. "none of" also holds when nothing was chosen.
Values that do not parse never match.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.db.models import Prefetch

from .models import (
    Answer,
    Condition,
    ConditionOperator,
    Option,
    OptionRole,
    Question,
    Survey,
    SurveyPage,
)


@dataclass(frozen=True)
class Given:
    """What a response holds for one question, in the shape the conditions compare."""

    option_ids: frozenset[int] = frozenset()
    text: str = ""
    number: Decimal | None = None
    date: datetime.date | None = None

    @property
    def answered(self) -> bool:
        return bool(self.option_ids or self.text.strip() or self.number is not None or self.date)


NOT_GIVEN = Given()


def visibility_for(survey: Survey, answers: Iterable[Answer]) -> Visibility:
    """Shortcut for one response: load the questionnaire and judge its answers."""
    return Questionnaire.load(survey).visibility(given_from_answers(answers))


def given_from_answers(answers: Iterable[Answer]) -> dict[int, Given]:
    """Answer rows (of one response) → {question_id: Given}. Matrix rows contribute their
    scale point, ranked and chosen options their option, "other" its text."""
    options: dict[int, set[int]] = defaultdict(set)
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    for answer in answers:
        question_id = answer.question_id
        if answer.scale_id is not None:
            options[question_id].add(answer.scale_id)
        elif answer.option_id is not None:
            options[question_id].add(answer.option_id)
        if answer.text:
            values[question_id]["text"] = answer.text
        if answer.number is not None:
            values[question_id]["number"] = answer.number
        if answer.date is not None:
            values[question_id]["date"] = answer.date
    return {
        question_id: Given(
            option_ids=frozenset(options.get(question_id, ())), **values[question_id]
        )
        for question_id in set(options) | set(values)
    }


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def condition_holds(
    condition: Condition,
    given: Given,
    *,
    option_ids: frozenset[int] | None = None,
    option_codes: Mapping[int, str] | None = None,
) -> bool:
    """Whether one condition holds for the source question's answer `given`.

    `option_ids` are the condition's options (defaults to reading condition.options, one
    query unless prefetched); `option_codes` maps option ids to codes for "equals" on choices.
    """
    operator = condition.operator
    if operator == ConditionOperator.ANSWERED:
        return given.answered
    if operator == ConditionOperator.NOT_ANSWERED:
        return not given.answered
    if operator in (ConditionOperator.ANY_OF, ConditionOperator.NONE_OF):
        wanted = (
            option_ids
            if option_ids is not None
            else frozenset(option.pk for option in condition.options.all())
        )
        hit = bool(given.option_ids & wanted)
        return hit if operator == ConditionOperator.ANY_OF else not hit
    if not given.answered:
        return False
    value = condition.value
    if given.number is not None:
        expected = _decimal(value)
        if expected is None:
            return False
        return {
            ConditionOperator.EQUALS: given.number == expected,
            ConditionOperator.GREATER: given.number > expected,
            ConditionOperator.LESS: given.number < expected,
        }.get(operator, False)
    if given.date is not None:
        expected_date = _date(value)
        if expected_date is None:
            return False
        return {
            ConditionOperator.EQUALS: given.date == expected_date,
            ConditionOperator.GREATER: given.date > expected_date,
            ConditionOperator.LESS: given.date < expected_date,
        }.get(operator, False)
    if operator != ConditionOperator.EQUALS:
        return False
    if given.text.strip():
        return given.text.strip().casefold() == value.strip().casefold()
    codes = {(option_codes or {}).get(option_id) for option_id in given.option_ids}
    return value.strip() in codes


@dataclass(frozen=True)
class Visibility:
    """The pages and questions shown for one set of answers."""

    page_ids: frozenset[int]
    question_ids: frozenset[int]

    def shows_page(self, page: SurveyPage | int) -> bool:
        return (page if isinstance(page, int) else page.pk) in self.page_ids

    def shows_question(self, question: Question | int) -> bool:
        return (question if isinstance(question, int) else question.pk) in self.question_ids


@dataclass
class Questionnaire:
    """A survey's structure loaded once: pages, their questions, options and conditions."""

    survey: Survey
    pages: list[SurveyPage]
    questions_by_page: dict[int, list[Question]] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)
    options: dict[int, Option] = field(default_factory=dict)
    page_conditions: dict[int, list[Condition]] = field(default_factory=dict)
    question_conditions: dict[int, list[Condition]] = field(default_factory=dict)
    condition_options: dict[int, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, survey: Survey) -> Questionnaire:
        """Five queries, whatever the size of the survey."""
        pages = list(SurveyPage.objects.filter(survey=survey).order_by("position", "pk"))
        questions = list(
            Question.objects.filter(survey=survey)
            .order_by("page__position", "page_id", "position", "pk")
            .prefetch_related(
                Prefetch("options", queryset=Option.objects.order_by("role", "position", "pk"))
            )
        )
        conditions = list(
            Condition.objects.filter(source__survey=survey).prefetch_related(
                Prefetch("options", queryset=Option.objects.only("pk"))
            )
        )
        questionnaire = cls(survey=survey, pages=pages)
        for page in pages:
            questionnaire.questions_by_page[page.pk] = []
        for question in questions:
            question.survey = survey
            questionnaire.questions[question.pk] = question
            questionnaire.questions_by_page.setdefault(question.page_id, []).append(question)
            for option in question.options.all():
                questionnaire.options[option.pk] = option
        for condition in conditions:
            questionnaire.condition_options[condition.pk] = frozenset(
                option.pk for option in condition.options.all()
            )
            if condition.page_id is not None:
                questionnaire.page_conditions.setdefault(condition.page_id, []).append(condition)
            else:
                questionnaire.question_conditions.setdefault(condition.question_id, []).append(
                    condition
                )
        return questionnaire

    # --- structure -------------------------------------------------------------------------

    def questions_of(self, page: SurveyPage) -> list[Question]:
        return self.questions_by_page.get(page.pk, [])

    def options_of(self, question: Question, role: str = OptionRole.CHOICE) -> list[Option]:
        return [option for option in question.options.all() if option.role == role]

    def page_number(self, page: SurveyPage) -> int:
        """1-based position of `page` among all pages (the number in its address)."""
        return next(index for index, item in enumerate(self.pages, start=1) if item.pk == page.pk)

    def page_by_number(self, number: int) -> SurveyPage | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def conditions_of(self, target: SurveyPage | Question) -> list[Condition]:
        if isinstance(target, SurveyPage):
            return self.page_conditions.get(target.pk, [])
        return self.question_conditions.get(target.pk, [])

    # --- evaluation ------------------------------------------------------------------------

    @cached_property
    def _option_codes(self) -> dict[int, str]:
        return {pk: option.code for pk, option in self.options.items()}

    def _holds(
        self,
        conditions: list[Condition],
        shown_answers: Mapping[int, Given],
        open_page: int | None = None,
    ) -> bool:
        codes = self._option_codes
        return all(
            condition_holds(
                condition,
                shown_answers.get(condition.source_id, NOT_GIVEN),
                option_ids=self.condition_options.get(condition.pk, frozenset()),
                option_codes=codes,
            )
            for condition in conditions
            if open_page is None or self._source_page(condition) != open_page
        )

    def _source_page(self, condition: Condition) -> int | None:
        source = self.questions.get(condition.source_id)
        return source.page_id if source else None

    def depends_on_own_page(self, question: Question) -> bool:
        """Whether a condition of `question` looks at an answer on the same page (it can
        only be decided once that page is sent)."""
        return any(
            self._source_page(condition) == question.page_id
            for condition in self.conditions_of(question)
        )

    def describe(self, condition: Condition) -> str:
        """A condition in words, e.g. „Haben Sie Angebote?“ ist eine von: Ja."""
        source = self.questions.get(condition.source_id)
        text = source.translated("text") if source else "?"
        if len(text) > 80:
            text = text[:79] + "…"
        operator = ConditionOperator(condition.operator).label
        if condition.operator in (ConditionOperator.ANY_OF, ConditionOperator.NONE_OF):
            ids = self.condition_options.get(condition.pk, frozenset())
            labels = [option.translated("text") for pk, option in self.options.items() if pk in ids]
            return f"„{text}“ {operator}: {', '.join(labels)}"
        if condition.operator in (ConditionOperator.ANSWERED, ConditionOperator.NOT_ANSWERED):
            return f"„{text}“ {operator}"
        return f"„{text}“ {operator} {condition.value}"

    def questions_to_ask(self, page: SurveyPage, given: Mapping[int, Given]) -> list[Question]:
        """The questions a page shows before it is sent: those shown by the answers so far,
        plus those whose conditions look at this very page (decided when it is sent; a
        page works without JavaScript, so it cannot hide them while the respondent types)."""
        visibility = self.visibility(given, open_page=page.pk)
        return self.visible_questions(page, visibility)

    def visibility(self, given: Mapping[int, Given], *, open_page: int | None = None) -> Visibility:
        """The pages and questions shown for the answers `given` ({question_id: Given}).

        With `open_page`, conditions on answers of that page count as holding."""
        page_ids: set[int] = set()
        question_ids: set[int] = set()
        # Answers of hidden questions count as not given; questions not reached yet keep
        # what is stored (a condition pointing forward is judged by the stored answer).
        effective: dict[int, Given] = dict(given)
        for page in self.pages:
            page_shown = self._holds(self.conditions_of(page), effective)
            if page_shown:
                page_ids.add(page.pk)
            for question in self.questions_of(page):
                conditions = self.conditions_of(question)
                if page_shown and self._holds(conditions, effective, open_page):
                    question_ids.add(question.pk)
                else:
                    effective.pop(question.pk, None)
        return Visibility(page_ids=frozenset(page_ids), question_ids=frozenset(question_ids))

    def visible_pages(self, visibility: Visibility) -> list[SurveyPage]:
        """The pages a respondent walks through: shown, and not emptied by conditions (a page
        whose questions are all hidden is skipped; a page without any questions is shown)."""
        return [
            page
            for page in self.pages
            if visibility.shows_page(page)
            and (
                not self.questions_of(page)
                or any(visibility.shows_question(q) for q in self.questions_of(page))
            )
        ]

    def visible_questions(self, page: SurveyPage, visibility: Visibility) -> list[Question]:
        if not visibility.shows_page(page):
            return []
        return [q for q in self.questions_of(page) if visibility.shows_question(q)]
