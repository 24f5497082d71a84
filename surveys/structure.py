"""The structure of a questionnaire: the lock rule, defaults and the order of conditions.

The lock rule has its home here. Once a survey is locked (it is open, or it has responses),
a change that would break collected answers is refused with a reason:

- deleting a page, question, option, matrix row or scale point that has answers;
- changing a question's kind, a question's code or an option's code;
- moving an option between roles (answer option, matrix row, scale point);
- adding a required question, or making an optional one required (those who answered
  before could not have answered it).

Relabelling, help texts, translations, adding optional questions and new options stay
allowed: answers point at questions and options by their rows, never by their texts.

Every caller (the builder's forms and views, services, imports) asks these functions; each
returns the reason as text, or None when the change is fine.
"""

from __future__ import annotations

from django.db.models import Max, Q
from django.utils import translation
from django.utils.translation import gettext as _

from .models import (
    CHOICE_KINDS,
    Answer,
    Condition,
    ConditionOperator,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Survey,
    SurveyPage,
    SurveyStatus,
)

YES_CODE = "Y"
NO_CODE = "N"

#: Which option roles each kind uses (a kind missing here takes no options).
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    **{kind: frozenset({OptionRole.CHOICE}) for kind in CHOICE_KINDS},
    QuestionKind.YES_NO: frozenset({OptionRole.CHOICE}),
    QuestionKind.MATRIX: frozenset({OptionRole.ROW, OptionRole.SCALE}),
}
#: Operators that compare with the source's options, and those that compare with a value.
OPTION_OPERATORS = frozenset({ConditionOperator.ANY_OF, ConditionOperator.NONE_OF})
VALUE_OPERATORS = frozenset(
    {ConditionOperator.EQUALS, ConditionOperator.GREATER, ConditionOperator.LESS}
)
NUMBER_OPERATORS = frozenset({ConditionOperator.GREATER, ConditionOperator.LESS})
OPTION_SOURCE_KINDS = frozenset({*CHOICE_KINDS, QuestionKind.YES_NO})
VALUE_SOURCE_KINDS = frozenset(
    {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.NUMBER, QuestionKind.DATE}
)


# --- Is the survey locked? ----------------------------------------------------------------------
def lock_reason(survey: Survey) -> str | None:
    """Why the structure of `survey` is locked, or None while it can be changed freely."""
    if survey.pk and survey.responses.exists():
        return _("The survey already has responses.")
    if survey.status == SurveyStatus.OPEN:
        return _("The survey is open.")
    return None


def _refuse(survey: Survey, what: str) -> str | None:
    reason = lock_reason(survey)
    if reason is None:
        return None
    return f"{what} {reason} " + _("Close it and delete its responses first, or copy the survey.")


def question_has_answers(question: Question) -> bool:
    return bool(question.pk) and Answer.objects.filter(question=question).exists()


def option_has_answers(option: Option) -> bool:
    return bool(option.pk) and Answer.objects.filter(Q(option=option) | Q(scale=option)).exists()


# --- Questions ----------------------------------------------------------------------------------
def question_change_refusal(
    question: Question, *, original: Question | None, survey: Survey | None = None
) -> str | None:
    """Why `question` (with its new values, not saved yet) may not be saved, or None.

    `original` is the question as stored (None for a new one)."""
    survey = survey or question.survey
    if original is None:
        if question.required:
            return _refuse(survey, _("A required question cannot be added now."))
        return None
    if question.kind != original.kind:
        return _refuse(survey, _("The type of a question cannot be changed now."))
    if question.code != original.code:
        return _refuse(survey, _("The code of a question cannot be changed now."))
    if question.required and not original.required:
        return _refuse(survey, _("A question cannot be made required now."))
    return None


def question_delete_refusal(question: Question) -> str | None:
    if question_has_answers(question):
        return _(
            "The question “%(code)s” cannot be deleted: answers to it are stored. "
            "Relabel it or hide it with a condition instead."
        ) % {"code": question.code}
    if question.dependent_conditions.exists():
        return _(
            "The question “%(code)s” cannot be deleted: conditions of other pages or questions "
            "refer to it. Remove those conditions first."
        ) % {"code": question.code}
    return None


def page_delete_refusal(page: SurveyPage) -> str | None:
    for question in page.questions.all():
        reason = question_delete_refusal(question)
        if reason:
            return (
                _("The page “%(title)s” cannot be deleted.") % {"title": page.title} + " " + reason
            )
    return None


# --- Options, matrix rows and scale points -----------------------------------------------------
def option_change_refusal(option: Option, *, original: Option | None) -> str | None:
    """Why `option` (with its new values, not saved yet) may not be saved, or None."""
    if original is None:
        return None
    survey = original.question.survey
    if option.code != original.code:
        return _refuse(
            survey,
            _("The code of “%(label)s” cannot be changed now.") % {"label": original.text},
        )
    if option.role != original.role:
        return _refuse(
            survey,
            _("“%(label)s” cannot be moved between answer options, rows and scale points now.")
            % {"label": original.text},
        )
    return None


def option_delete_refusal(option: Option) -> str | None:
    if option_has_answers(option):
        return _(
            "“%(label)s” (code %(code)s) cannot be deleted: answers that chose it are stored. "
            "Relabel it instead."
        ) % {"label": option.text, "code": option.code}
    if option.condition_set.exists():
        return _("“%(label)s” (code %(code)s) cannot be deleted: a condition refers to it.") % {
            "label": option.text,
            "code": option.code,
        }
    return None


# --- Defaults -----------------------------------------------------------------------------------
def next_question_code(survey: Survey) -> str:
    """ "q1", "q2", ...: the first free code of that form in the survey."""
    taken = set(survey.questions.values_list("code", flat=True)) if survey.pk else set()
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def next_option_code(question: Question, role: str, taken: set[str] | None = None) -> str:
    """ "1", "2", ...: the next number after the highest numeric code of that role."""
    if taken is None:
        taken = (
            set(question.options.filter(role=role).values_list("code", flat=True))
            if question.pk
            else set()
        )
    numbers = [int(code) for code in taken if code.isdigit()]
    number = max(numbers, default=0) + 1
    while str(number) in taken:
        number += 1
    return str(number)


def next_position(queryset) -> int:
    return (queryset.aggregate(highest=Max("position"))["highest"] or 0) + 1


def ensure_yes_no_options(question: Question) -> list[Option]:
    """Give a yes/no question its two options "Y" and "N" (labels in the survey's language).

    Safe to call any number of times; existing labels and translations are kept."""
    if question.kind != QuestionKind.YES_NO:
        return []
    with translation.override(question.survey.language):
        wanted = [(YES_CODE, _("Yes")), (NO_CODE, _("No"))]
    options = []
    for position, (code, label) in enumerate(wanted, start=1):
        option, _created = Option.objects.get_or_create(
            question=question,
            role=OptionRole.CHOICE,
            code=code,
            defaults={"text": label, "position": position},
        )
        options.append(option)
    return options


# --- Kinds and their options ---------------------------------------------------------------------
def options_refusal(kind: str, options: list[tuple[str, str]]) -> str | None:
    """Whether the options kept, as (role, code) pairs, fit a question of `kind`."""
    roles = [role for role, _code in options]
    allowed = ROLES_BY_KIND.get(kind, frozenset())
    if any(role not in allowed for role in roles):
        if not allowed:
            return _("Questions of this type have no options: delete them.")
        return _("Matrix questions take rows and scale points; other types take answer options.")
    if kind == QuestionKind.YES_NO:
        if any(code not in (YES_CODE, NO_CODE) for _role, code in options):
            return _("A yes/no question has the options “Y” and “N” only.")
        return None
    if kind in CHOICE_KINDS and roles.count(OptionRole.CHOICE) < 2:
        return _("Add at least two answer options.")
    if kind == QuestionKind.MATRIX and (
        OptionRole.ROW not in roles or roles.count(OptionRole.SCALE) < 2
    ):
        return _("A matrix needs at least one row and two scale points.")
    return None


def survey_delete_refusal(survey: Survey) -> str | None:
    if survey.pk and survey.responses.exists():
        return _(
            "The survey cannot be deleted while it has responses. Close it; its retention "
            "period deletes or anonymises them."
        )
    return None


# --- Conditions: only earlier questions may be sources -------------------------------------------
def question_order_key(question: Question) -> tuple[int, int, int, int]:
    """Where a question stands in the questionnaire (the order respondents see)."""
    page = question.page
    return (page.position, page.pk or 0, question.position, question.pk or 0)


def page_order_key(page: SurveyPage) -> tuple[int, int]:
    return (page.position, page.pk or 0)


def condition_refusal(
    *,
    source: Question,
    operator: str,
    options: list[Option],
    value: str,
    page: SurveyPage | None = None,
    question: Question | None = None,
) -> str | None:
    """Why a condition on `page` or `question` with this source cannot be kept, or None."""
    target_survey = (page or question).survey_id  # type: ignore[union-attr]
    if source.survey_id != target_survey:
        return _("The earlier question must belong to the same survey.")
    if not source.takes_answer:
        return _("“%(code)s” takes no answer.") % {"code": source.code}
    if page is not None and page_order_key(source.page) >= page_order_key(page):
        return _("Only questions on earlier pages can decide whether a page is shown.")
    if question is not None and question_order_key(source) >= question_order_key(question):
        return _("Only earlier questions can decide whether a question is shown.")
    if operator in OPTION_OPERATORS:
        if source.kind not in OPTION_SOURCE_KINDS:
            return _("“is one of” and “is none of” need a question with answer options.")
        if not options:
            return _("Choose at least one option.")
        if any(option.question_id != source.pk for option in options):
            return _("Choose options of the earlier question.")
    elif operator in VALUE_OPERATORS:
        if source.kind not in VALUE_SOURCE_KINDS:
            return _("Compare with a value only for text, number or date questions.")
        if not value.strip():
            return _("Enter the value to compare with.")
        if operator in NUMBER_OPERATORS and source.kind != QuestionKind.NUMBER:
            return _("“greater” and “less” need a number question.")
        if source.kind == QuestionKind.NUMBER:
            try:
                float(value.replace(",", "."))
            except ValueError:
                return _("Enter a number to compare with.")
    return None


def conditions_order_refusal(survey: Survey) -> str | None:
    """Whether every stored condition of `survey` still has an earlier source (after a move)."""
    conditions = Condition.objects.filter(source__survey=survey).select_related(
        "source__page", "page", "question__page"
    )
    for condition in conditions:
        source = condition.source
        if condition.page is not None and page_order_key(source.page) >= page_order_key(
            condition.page
        ):
            return _(
                "The page “%(page)s” depends on “%(code)s”, which would no longer come before it."
            ) % {"page": condition.page.title, "code": source.code}
        if condition.question is not None and question_order_key(source) >= question_order_key(
            condition.question
        ):
            return _(
                "The question “%(target)s” depends on “%(code)s”, which would no longer "
                "come before it."
            ) % {"target": condition.question.code, "code": source.code}
    return None
