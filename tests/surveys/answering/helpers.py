"""A questionnaire with every question kind and both kinds of condition, for the tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from surveys.answering.services import ensure_yes_no_options
from surveys.models import (
    Condition,
    ConditionOperator,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Survey,
    SurveyMode,
    SurveyPage,
)
from tests.surveys.factories import (
    QuestionFactory,
    SurveyFactory,
    SurveyPageFactory,
    choice_question,
)


@dataclass
class Bedarf:
    survey: Survey
    page1: SurveyPage
    page2: SurveyPage
    page3: SurveyPage
    art: Question  # multiple with "other"
    groesse: Question  # number 0..1000, whole, required
    kommune: Question  # dropdown
    angebot: Question  # yes/no, required
    welche: Question  # long text, shown only if angebot = yes
    bedarf: Question  # matrix, required
    prio: Question  # ranking
    start: Question  # date
    kontakt: Question  # short text
    hinweis: Question  # display


def build_survey(**fields) -> Bedarf:
    """Three pages; page 3 is shown only if groesse > 10; welche only if angebot = yes."""
    fields.setdefault("mode", SurveyMode.INVITATION)
    survey = SurveyFactory(
        title="Bedarfsanalyse", slug=fields.pop("slug", "bedarfsanalyse"), **fields
    )
    page1 = SurveyPageFactory(survey=survey, position=1, title="Über Ihre Einrichtung")
    page2 = SurveyPageFactory(survey=survey, position=2, title="Angebote")
    page3 = SurveyPageFactory(survey=survey, position=3, title="Ausblick")
    art = choice_question(
        page1,
        "art",
        ["Verein", "Beratungsstelle", "Bildungseinrichtung"],
        kind=QuestionKind.MULTIPLE,
        text="Welcher Art ist Ihre Einrichtung?",
        allow_other=True,
        position=1,
    )
    groesse = QuestionFactory(
        page=page1,
        survey=survey,
        code="groesse",
        kind=QuestionKind.NUMBER,
        text="Wie viele Menschen erreichen Sie im Jahr?",
        help_text="Eine Schätzung genügt.",
        min_value=Decimal(0),
        max_value=Decimal(1000),
        integer_only=True,
        required=True,
        position=2,
    )
    kommune = choice_question(
        page1,
        "kommune",
        ["Hannover", "Laatzen", "Garbsen"],
        kind=QuestionKind.DROPDOWN,
        text="In welcher Kommune sind Sie tätig?",
        position=3,
    )
    angebot = QuestionFactory(
        page=page2,
        survey=survey,
        code="angebot",
        kind=QuestionKind.YES_NO,
        text="Haben Sie Angebote für Geflüchtete?",
        required=True,
        position=1,
    )
    yes, _no = ensure_yes_no_options(question=angebot)
    welche = QuestionFactory(
        page=page2,
        survey=survey,
        code="welche",
        kind=QuestionKind.LONG_TEXT,
        text="Welche Angebote sind das?",
        position=2,
    )
    condition = Condition.objects.create(
        question=welche, source=angebot, operator=ConditionOperator.ANY_OF
    )
    condition.options.add(yes)
    bedarf = QuestionFactory(
        page=page2,
        survey=survey,
        code="bedarf",
        kind=QuestionKind.MATRIX,
        text="Wie groß ist der Bedarf?",
        required=True,
        position=3,
    )
    for position, (code, text) in enumerate([("sprache", "Sprachkurse"), ("arbeit", "Arbeit")]):
        Option.objects.create(
            question=bedarf, role=OptionRole.ROW, code=code, text=text, position=position
        )
    for position, (code, text) in enumerate([("1", "gering"), ("2", "mittel"), ("3", "hoch")]):
        Option.objects.create(
            question=bedarf, role=OptionRole.SCALE, code=code, text=text, position=position
        )
    Condition.objects.create(
        page=page3, source=groesse, operator=ConditionOperator.GREATER, value="10"
    )
    prio = choice_question(
        page3,
        "prio",
        ["Sprache", "Arbeit", "Wohnen"],
        kind=QuestionKind.RANKING,
        text="Was ist am wichtigsten?",
        position=1,
    )
    start = QuestionFactory(
        page=page3,
        survey=survey,
        code="start",
        kind=QuestionKind.DATE,
        text="Seit wann?",
        position=2,
    )
    kontakt = QuestionFactory(
        page=page3,
        survey=survey,
        code="kontakt",
        kind=QuestionKind.SHORT_TEXT,
        text="Ansprechperson",
        max_length=40,
        position=3,
    )
    hinweis = QuestionFactory(
        page=page3,
        survey=survey,
        code="hinweis",
        kind=QuestionKind.DISPLAY,
        text="Danke, gleich haben Sie es geschafft.",
        position=4,
    )
    return Bedarf(
        survey,
        page1,
        page2,
        page3,
        art,
        groesse,
        kommune,
        angebot,
        welche,
        bedarf,
        prio,
        start,
        kontakt,
        hinweis,
    )


def url(name: str, **kwargs) -> str:
    """A German address (the default language has no prefix)."""
    with translation.override("de"):
        return reverse(f"surveys:{name}", kwargs=kwargs)


def page_url(survey: Survey, number: int) -> str:
    return url("page", slug=survey.slug, number=number)


PAGE1 = {
    "q_art": ["1", "_other"],
    "q_art__other": "Moscheegemeinde",
    "q_groesse": "250",
    "q_kommune": "2",
}
PAGE2 = {
    "q_angebot": "Y",
    "q_welche": "Sprachcafé",
    "q_bedarf__sprache": "3",
    "q_bedarf__arbeit": "2",
}
PAGE3 = {
    "q_prio__1": "2",
    "q_prio__2": "1",
    "q_prio__3": "3",
    "q_start": "2019-03-01",
    "q_kontakt": "Frau A.",
}
