"""Writes of the builder: save a page or question with its rows, delete, move.

Each runs in one transaction, asks surveys.structure (the lock rule, option fit, the order
of conditions) and raises a ValidationError with the reason; then nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import structure
from ..models import Condition, Question, QuestionKind, Survey, SurveyPage


def _check_conditions(conditions: list[Condition], survey: Survey) -> None:
    for condition in conditions:
        refusal = structure.condition_refusal(
            source=condition.source,
            operator=condition.operator,
            options=list(condition.options.all()),
            value=condition.value,
            page=condition.page,
            question=condition.question,
        )
        if refusal:
            raise ValidationError(refusal)
    refusal = structure.conditions_order_refusal(survey)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def page_save(*, survey: Survey, form: Any, conditions: Any | None) -> SurveyPage:
    """Save a page from its form and condition formset (both valid)."""
    page = form.save(commit=False)
    page.survey = survey
    if page.pk is None:
        page.position = structure.next_position(survey.pages.all())
    page.save()
    if conditions is not None:
        conditions.instance = page
        conditions.save()
    _check_conditions(list(page.conditions.select_related("source__page", "page")), survey)
    return page


@transaction.atomic
def question_save(
    *, survey: Survey, form: Any, options: Any | None, conditions: Any | None
) -> Question:
    """Save a question with its options and conditions (forms valid, lock checked by them)."""
    question = form.save(commit=False)
    question.survey = survey
    original = form.original
    if original is None or original.page_id != question.page_id:
        question.position = structure.next_position(question.page.questions.all())
    kept = options.kept() if options is not None else []
    # A new yes/no question comes without options: ensure_yes_no_options adds them below.
    if kept or question.kind != QuestionKind.YES_NO:
        refusal = structure.options_refusal(question.kind, kept)
        if refusal:
            raise ValidationError(refusal)
    if question.kind == QuestionKind.DISPLAY:
        question.required = False
    question.save()
    form.save_m2m()
    if options is not None:
        options.instance = question
        options.save()
        _number_options(question)
    structure.ensure_yes_no_options(question)
    if conditions is not None:
        conditions.instance = question
        conditions.save()
    _check_conditions(
        list(question.conditions.select_related("source__page", "question__page")), survey
    )
    if original is not None and original.page_id != question.page_id:
        refusal = structure.conditions_order_refusal(survey)
        if refusal:
            raise ValidationError(refusal)
    return question


def _number_options(question: Question) -> None:
    """Positions 1, 2, ... per role in the order they were entered (existing ones first)."""
    by_role: dict[str, int] = {}
    for option in question.options.order_by("role", "position", "pk"):
        by_role[option.role] = by_role.get(option.role, 0) + 1
        if option.position != by_role[option.role]:
            option.position = by_role[option.role]
            option.save(update_fields=["position"])


@transaction.atomic
def question_delete(*, question: Question) -> None:
    refusal = structure.question_delete_refusal(question)
    if refusal:
        raise ValidationError(refusal)
    question.delete()


@transaction.atomic
def page_delete(*, page: SurveyPage) -> None:
    refusal = structure.page_delete_refusal(page)
    if refusal:
        raise ValidationError(refusal)
    page.delete()


@transaction.atomic
def page_move(*, page: SurveyPage, offset: int) -> None:
    """Move a page up (-1) or down (+1); refused if a condition would point forward."""
    pages = list(page.survey.pages.select_for_update().order_by("position", "pk"))
    _swap(pages, page.pk, offset)
    refusal = structure.conditions_order_refusal(page.survey)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def question_move(*, question: Question, offset: int) -> None:
    """Move a question up or down within its page; refused as page_move."""
    questions = list(question.page.questions.select_for_update().order_by("position", "pk"))
    _swap(questions, question.pk, offset)
    refusal = structure.conditions_order_refusal(question.survey)
    if refusal:
        raise ValidationError(refusal)


def _swap(rows: list[Any], pk: int, offset: int) -> None:
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    target = index + offset
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
