"""What an answer may be (surveys.answering.values.answer_problems, which the page service
asks again before it writes): ranges with their bounds, one answer where one is asked, text
lengths, every matrix row, ranks 1..n, each refusal in German as the respondent reads it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from surveys.answering.values import AnswerValue, answer_problems
from surveys.conditions import Questionnaire
from surveys.models import OptionRole, QuestionKind
from tests.surveys.answering.helpers import build_survey
from tests.surveys.factories import QuestionFactory, choice_question

pytestmark = pytest.mark.django_db

RANGE = "Bitte geben Sie eine Zahl von 0 bis 1000 ein."
WHOLE = "Bitte geben Sie eine ganze Zahl ein (ohne Nachkommastellen)."
REQUIRED = "Bitte beantworten Sie diese Frage."
OFFERED = "Bitte wählen Sie eine der angebotenen Antworten."
ONLY_ONE = "Bitte wählen Sie nur eine Antwort."
EVERY_ROW = "Bitte wählen Sie in jeder Zeile eine Antwort."
EVERY_RANK = "Bitte vergeben Sie für jede Möglichkeit einen Rang."
RANKS = "Bitte vergeben Sie jeden Rang nur einmal, beginnend mit 1 und ohne Lücken (1, 2, 3 …)."


def too_long(limit: int, count: int) -> str:
    return f"Ihre Antwort darf höchstens {limit} Zeichen lang sein; sie hat {count}."


@pytest.fixture
def ask():
    """ask(code, **value) -> the problems of that answer to the question `code`."""
    bedarf = build_survey()
    page = bedarf.page1
    QuestionFactory(page=page, code="ab", kind=QuestionKind.NUMBER, min_value=Decimal("2.50"))
    QuestionFactory(page=page, code="bis", kind=QuestionKind.NUMBER, max_value=Decimal("10"))
    QuestionFactory(page=page, code="frei", kind=QuestionKind.SHORT_TEXT)
    choice_question(page, "eine", ["Ja", "Nein"], allow_other=True)
    choice_question(page, "reihe", ["A", "B"], kind=QuestionKind.RANKING, required=True)
    questionnaire = Questionnaire.load(bedarf.survey)
    by_code = {q.code: q for q in questionnaire.questions.values()}

    def option(code: str, number: str, role: str = OptionRole.CHOICE) -> int:
        return next(o.pk for o in by_code[code].options.all() if (o.code, o.role) == (number, role))

    def problems(code: str, **value) -> list[str]:
        return answer_problems(by_code[code], AnswerValue(**value))

    problems.option = option
    return problems


def test_a_number_may_be_its_bounds_but_not_beyond_and_must_be_whole_where_asked(ask):
    assert ask("groesse", number=Decimal(0)) == ask("groesse", number=Decimal(1000)) == []
    assert ask("groesse", number=Decimal(1001)) == ask("groesse", number=Decimal(-1)) == [RANGE]
    assert ask("groesse", number=Decimal("2.5")) == [WHOLE]
    assert ask("groesse") == [REQUIRED]


def test_a_bound_on_one_side_is_named_alone_as_a_plain_number(ask):
    assert ask("ab", number=Decimal("2.5")) == ask("bis", number=Decimal(10)) == []
    assert ask("ab", number=Decimal(2)) == ["Bitte geben Sie eine Zahl von mindestens 2,5 ein."]
    assert ask("bis", number=Decimal(11)) == ["Bitte geben Sie eine Zahl von höchstens 10 ein."]
    assert ask("ab") == []  # not required


def test_one_answer_where_one_is_asked_and_only_the_answers_offered(ask):
    hannover, laatzen = ask.option("kommune", "1"), ask.option("kommune", "2")
    ja = ask.option("eine", "1")
    assert ask("kommune", option_ids=[hannover]) == []
    assert ask("kommune", option_ids=[hannover, laatzen]) == [ONLY_ONE]
    assert ask("kommune", option_ids=[ja]) == [OFFERED]
    assert ask("eine", other_text="Vielleicht") == []
    assert ask("eine", option_ids=[ja], other_text="Vielleicht") == [ONLY_ONE]
    assert ask("kommune", other_text="Hemmingen") == [OFFERED]  # no "other" here
    assert ask("art", option_ids=[ask.option("bedarf", "sprache", OptionRole.ROW)]) == [OFFERED]


def test_texts_up_to_their_limit(ask):
    assert ask("kontakt", text="x" * 40) == []
    assert ask("kontakt", text="x" * 41) == [too_long(40, 41)]
    assert ask("frei", text="x" * 500) == []
    assert ask("frei", text="x" * 501) == [too_long(500, 501)]
    assert ask("welche", text="x" * 10_001) == [too_long(10_000, 10_001)]
    assert ask("eine", other_text="x" * 501) == [too_long(500, 501)]


def test_a_required_matrix_needs_an_offered_answer_in_every_row(ask):
    sprache = ask.option("bedarf", "sprache", OptionRole.ROW)
    arbeit = ask.option("bedarf", "arbeit", OptionRole.ROW)
    hoch = ask.option("bedarf", "3", OptionRole.SCALE)
    assert ask("bedarf", matrix={sprache: hoch, arbeit: hoch}) == []
    assert ask("bedarf") == ask("bedarf", matrix={sprache: hoch}) == [EVERY_ROW]
    assert ask("bedarf", matrix={sprache: hoch, arbeit: sprache}) == [OFFERED]


def test_ranks_run_from_one_without_gaps_and_a_required_ranking_ranks_every_option(ask):
    a, b, c = (ask.option("prio", n) for n in "123")
    assert ask("prio") == [] and ask("prio", ranks={a: 1, b: 2, c: 3}) == []
    assert ask("prio", ranks={a: 1, b: 1}) == ask("prio", ranks={a: 2}) == [RANKS]
    assert ask("prio", ranks={ask.option("kommune", "1"): 1}) == [OFFERED]
    first, second = ask.option("reihe", "1"), ask.option("reihe", "2")
    assert ask("reihe") == ask("reihe", ranks={first: 1}) == [EVERY_RANK]
    assert ask("reihe", ranks={first: 2, second: 1}) == []


def test_a_text_shown_without_a_question_takes_no_answer(ask):
    assert ask("hinweis", text="x" * 20_000) == []
