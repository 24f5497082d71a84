"""Display conditions (surveys/conditions.py): which pages and questions are shown."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from surveys.answering.services import ensure_yes_no_options
from surveys.conditions import (
    Given,
    Questionnaire,
    condition_holds,
    given_from_answers,
    visibility_for,
)
from surveys.models import Answer, Condition, ConditionOperator, Option, QuestionKind
from tests.surveys.answering.helpers import build_survey
from tests.surveys.factories import (
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    SurveyPageFactory,
    choice_question,
)

pytestmark = pytest.mark.django_db


def _condition(target, source, operator, *, options=(), value=""):
    condition = Condition.objects.create(
        question=target, source=source, operator=operator, value=value
    )
    condition.options.set(options)
    return condition


@pytest.fixture
def two_questions():
    page = SurveyPageFactory(survey=SurveyFactory(), position=1)
    source = choice_question(page, "farbe", ["rot", "grün", "blau"])
    target = QuestionFactory(page=page, survey=page.survey, code="warum")
    return source, target


def _shown(target, given) -> bool:
    return Questionnaire.load(target.survey).visibility(given).shows_question(target)


@pytest.mark.parametrize(
    ("operator", "chosen", "expected"),
    [
        (ConditionOperator.ANY_OF, ["1"], True),
        (ConditionOperator.ANY_OF, ["3"], False),
        (ConditionOperator.ANY_OF, [], False),
        (ConditionOperator.NONE_OF, ["3"], True),
        (ConditionOperator.NONE_OF, ["2"], False),
        (ConditionOperator.NONE_OF, [], True),
        (ConditionOperator.ANSWERED, ["3"], True),
        (ConditionOperator.ANSWERED, [], False),
        (ConditionOperator.NOT_ANSWERED, [], True),
        (ConditionOperator.NOT_ANSWERED, ["1"], False),
    ],
)
def test_choice_conditions(two_questions, operator, chosen, expected):
    source, target = two_questions
    options = {o.code: o for o in source.options.all()}
    _condition(target, source, operator, options=[options["1"], options["2"]])
    given = {source.pk: Given(option_ids=frozenset(options[code].pk for code in chosen))}
    assert _shown(target, given) is expected


@pytest.mark.parametrize(
    ("operator", "value", "given", "expected"),
    [
        (ConditionOperator.GREATER, "10", Given(number=Decimal(11)), True),
        (ConditionOperator.GREATER, "10", Given(number=Decimal(10)), False),
        (ConditionOperator.LESS, "2,5", Given(number=Decimal("2.4")), True),
        (ConditionOperator.EQUALS, "7", Given(number=Decimal("7.000")), True),
        (ConditionOperator.GREATER, "viel", Given(number=Decimal(99)), False),
        (ConditionOperator.GREATER, "10", Given(), False),
        (ConditionOperator.LESS, "2020-01-01", Given(date=datetime.date(2019, 5, 1)), True),
        (ConditionOperator.GREATER, "2020-01-01", Given(date=datetime.date(2019, 5, 1)), False),
        (ConditionOperator.EQUALS, " hannover ", Given(text="Hannover"), True),
        (ConditionOperator.EQUALS, "Laatzen", Given(text="Hannover"), False),
        # the bounds themselves: greater and less are strict, for numbers and dates
        (ConditionOperator.LESS, "2,5", Given(number=Decimal("2.5")), False),
        (ConditionOperator.EQUALS, "7", Given(number=Decimal("7.5")), False),
        (ConditionOperator.GREATER, "2020-01-01", Given(date=datetime.date(2020, 1, 1)), False),
        (ConditionOperator.GREATER, "2020-01-01", Given(date=datetime.date(2020, 1, 2)), True),
        (ConditionOperator.LESS, "2020-01-01", Given(date=datetime.date(2020, 1, 1)), False),
        (ConditionOperator.EQUALS, "2020-01-01", Given(date=datetime.date(2020, 1, 1)), True),
        (ConditionOperator.EQUALS, "2020-01-01", Given(date=datetime.date(2020, 1, 2)), False),
        (ConditionOperator.EQUALS, "irgendwann", Given(date=datetime.date(2020, 1, 1)), False),
        # a text is only ever compared for equality
        (ConditionOperator.GREATER, "a", Given(text="b"), False),
        (ConditionOperator.LESS, "b", Given(text="a"), False),
    ],
)
def test_value_conditions(two_questions, operator, value, given, expected):
    source, target = two_questions
    _condition(target, source, operator, value=value)
    assert _shown(target, {source.pk: given}) is expected


def test_equals_compares_option_codes(two_questions):
    source, target = two_questions
    _condition(target, source, ConditionOperator.EQUALS, value="2")
    two = source.options.get(code="2")
    assert _shown(target, {source.pk: Given(option_ids=frozenset({two.pk}))})
    assert not _shown(target, {source.pk: Given(option_ids=frozenset())})


def test_all_conditions_of_a_target_must_hold(two_questions):
    source, target = two_questions
    number = QuestionFactory(
        page=source.page, survey=source.survey, code="zahl", kind=QuestionKind.NUMBER
    )
    red = source.options.get(code="1")
    _condition(target, source, ConditionOperator.ANY_OF, options=[red])
    _condition(target, number, ConditionOperator.GREATER, value="3")
    red_given = {source.pk: Given(option_ids=frozenset({red.pk}))}
    assert not _shown(target, red_given)
    assert _shown(target, {**red_given, number.pk: Given(number=Decimal(4))})


def test_a_hidden_question_counts_as_not_answered_down_the_chain():
    bedarf = build_survey()
    questionnaire = Questionnaire.load(bedarf.survey)
    yes = bedarf.angebot.options.get(code="Y")
    no = bedarf.angebot.options.get(code="N")
    follow_up = QuestionFactory(page=bedarf.page3, survey=bedarf.survey, code="folge", position=9)
    _condition(follow_up, bedarf.welche, ConditionOperator.ANSWERED)
    questionnaire = Questionnaire.load(bedarf.survey)
    given = {
        bedarf.groesse.pk: Given(number=Decimal(50)),
        bedarf.angebot.pk: Given(option_ids=frozenset({yes.pk})),
        bedarf.welche.pk: Given(text="Sprachcafé"),
    }
    assert questionnaire.visibility(given).shows_question(follow_up)
    # "No" hides welche; its stored text must not keep the follow-up question alive.
    given[bedarf.angebot.pk] = Given(option_ids=frozenset({no.pk}))
    visibility = questionnaire.visibility(given)
    assert not visibility.shows_question(bedarf.welche)
    assert not visibility.shows_question(follow_up)


def test_page_conditions_hide_the_page_and_its_questions():
    bedarf = build_survey()
    questionnaire = Questionnaire.load(bedarf.survey)
    small = questionnaire.visibility({bedarf.groesse.pk: Given(number=Decimal(3))})
    assert not small.shows_page(bedarf.page3)
    assert not small.shows_question(bedarf.prio)
    assert [p.title for p in questionnaire.visible_pages(small)] == [
        "Über Ihre Einrichtung",
        "Angebote",
    ]
    large = questionnaire.visibility({bedarf.groesse.pk: Given(number=Decimal(300))})
    assert large.shows_page(bedarf.page3) and large.shows_question(bedarf.prio)


def test_a_page_whose_questions_are_all_hidden_is_skipped():
    page1 = SurveyPageFactory(survey=SurveyFactory(), position=1)
    page2 = SurveyPageFactory(survey=page1.survey, position=2)
    intro_only = SurveyPageFactory(survey=page1.survey, position=3)
    source = choice_question(page1, "a", ["x", "y"])
    hidden = QuestionFactory(page=page2, survey=page1.survey, code="b")
    _condition(hidden, source, ConditionOperator.ANSWERED)
    questionnaire = Questionnaire.load(page1.survey)
    assert questionnaire.visible_pages(questionnaire.visibility({})) == [page1, intro_only]


def test_questions_on_the_page_they_depend_on_are_asked_until_it_is_sent():
    bedarf = build_survey()
    questionnaire = Questionnaire.load(bedarf.survey)
    asked = questionnaire.questions_to_ask(bedarf.page2, {})
    assert [q.code for q in asked] == ["angebot", "welche", "bedarf"]
    assert questionnaire.depends_on_own_page(bedarf.welche)
    assert not questionnaire.visibility({}).shows_question(bedarf.welche)


def test_the_visibility_of_stored_answers_for_the_results():
    bedarf = build_survey()
    response = ResponseFactory(survey=bedarf.survey)
    yes = bedarf.angebot.options.get(code="Y")
    Answer.objects.create(response=response, question=bedarf.groesse, number=Decimal(20))
    Answer.objects.create(response=response, question=bedarf.angebot, option=yes)
    answers = list(response.answers.all())
    assert given_from_answers(answers)[bedarf.angebot.pk].option_ids == {yes.pk}
    visibility = visibility_for(bedarf.survey, answers)
    assert visibility.shows_question(bedarf.welche) and visibility.shows_page(bedarf.page3)


def test_the_structure_loads_in_a_fixed_number_of_queries(django_assert_num_queries):
    bedarf = build_survey()
    with django_assert_num_queries(5):
        questionnaire = Questionnaire.load(bedarf.survey)
        questionnaire.visibility({})
    more = SurveyPageFactory(survey=bedarf.survey, position=4)
    for number in range(5):
        choice_question(more, f"extra{number}", ["a", "b"])
    with django_assert_num_queries(5):
        Questionnaire.load(bedarf.survey).visibility({})


def test_yes_no_options_are_created_once_in_the_surveys_language():
    question = QuestionFactory(kind=QuestionKind.YES_NO)
    yes, no = ensure_yes_no_options(question=question)
    assert (yes.code, yes.text, no.code, no.text) == ("Y", "Ja", "N", "Nein")
    assert yes.translated("text", "en") == "Yes"
    assert ensure_yes_no_options(question=question) == (yes, no)
    assert Option.objects.filter(question=question).count() == 2


def test_a_yes_no_question_without_options_gets_them_when_the_page_is_shown(client):
    from surveys.models import SurveyMode
    from tests.foundation.factories import ResidentFactory
    from tests.surveys.answering.helpers import url

    page = SurveyPageFactory(survey=SurveyFactory(mode=SurveyMode.OPEN), position=1)
    question = QuestionFactory(page=page, survey=page.survey, code="ja", kind=QuestionKind.YES_NO)
    client.force_login(ResidentFactory())
    client.post(url("start", slug=page.survey.slug))
    html = client.get(url("page", slug=page.survey.slug, number=1)).content.decode()
    assert 'value="Y"' in html and "Nein" in html
    assert sorted(question.options.values_list("code", flat=True)) == ["N", "Y"]


def test_a_condition_reads_its_own_options_when_none_are_handed_to_it(two_questions):
    source, target = two_questions
    options = {o.code: o for o in source.options.all()}
    any_of = _condition(target, source, ConditionOperator.ANY_OF, options=[options["1"]])

    assert condition_holds(any_of, Given(option_ids=frozenset({options["1"].pk})))
    assert not condition_holds(any_of, Given(option_ids=frozenset({options["2"].pk})))
