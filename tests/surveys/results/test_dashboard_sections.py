"""A long questionnaire's dashboard shows its results one section (page) at a time: the
sections are listed and linked, the filter keeps the section, and a section that does not
exist shows the first one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import QuestionKind
from tests.surveys.factories import QuestionFactory, SurveyPageFactory, choice_question

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    data = questionnaire()
    later = SurveyPageFactory(survey=data.survey, position=2, title="Ihre Angebote")
    choice_question(later, "angebot", ["Sprachkurs", "Beratung"], text="Was bieten Sie an?")
    empty = SurveyPageFactory(survey=data.survey, position=3, title="Danke")
    QuestionFactory(page=empty, survey=data.survey, code="hinweis", kind=QuestionKind.DISPLAY)
    respond(data, kinds=("1",))
    return data


def dashboard(client, survey, query=""):
    url = reverse("surveys:results_dashboard", kwargs={"slug": survey.slug}) + query
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_first_section_is_shown_and_every_section_is_linked(client, coordination, data):
    html = dashboard(client, data.survey)
    assert "Welcher Art ist Ihre Einrichtung?" in html
    assert "Was bieten Sie an?" not in html
    assert "Abschnitt 1 von 2: Ihre Einrichtung" in html
    assert 'href="?abschnitt=1#questions-heading" aria-current="page">Ihre Einrichtung' in html
    assert 'href="?abschnitt=2#questions-heading">Ihre Angebote' in html
    assert "Danke" not in html  # a page without questions taking an answer is no section
    assert 'rel="next" href="?abschnitt=2#questions-heading"' in html


def test_the_second_section_and_the_filter_kept_together(client, coordination, data):
    html = dashboard(client, data.survey, "?abschnitt=2&antworten=vollstaendig")
    assert "Was bieten Sie an?" in html
    assert "Welcher Art ist Ihre Einrichtung?" not in html
    assert '<input type="hidden" name="abschnitt" value="2">' in html
    assert 'value="vollstaendig" checked' in html
    assert 'rel="prev" href="?abschnitt=1&amp;antworten=vollstaendig#questions-heading"' in html


@pytest.mark.parametrize("asked", ["99", "0", "zwei", "-1"])
def test_a_section_that_does_not_exist_shows_the_first(client, coordination, data, asked):
    html = dashboard(client, data.survey, f"?abschnitt={asked}")
    assert "Abschnitt 1 von 2: Ihre Einrichtung" in html
    assert "Welcher Art ist Ihre Einrichtung?" in html
