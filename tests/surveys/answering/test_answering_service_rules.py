"""The answering service's own promises: which page number a respondent is told, and what a
refused submission names."""

from __future__ import annotations

import pytest

from surveys.answering import services
from surveys.answering.services import MissingAnswers
from surveys.models import Response
from tests.surveys.answering.helpers import PAGE1, build_survey, page_url, url
from tests.surveys.factories import RecipientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answering(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    client.get(url("token", token=recipient.token))
    return bedarf, Response.objects.get(recipient=recipient)


def test_going_back_from_an_invalid_second_page_names_page_two(client, answering):
    bedarf, _response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})

    back = client.post(page_url(bedarf.survey, 2), {"q_angebot": "", "action": "back"}, follow=True)

    assert "Ihre Eingaben auf Seite 2 bleiben erhalten" in back.content.decode()


def test_the_step_of_a_page_is_its_place_among_the_pages_shown(answering):
    bedarf, response = answering
    view = services.load_response(response)

    # Page 3 is shown only when more than 10 people are reached: not answered yet, so hidden.
    assert [view.step(page) for page in (bedarf.page1, bedarf.page2, bedarf.page3)] == [1, 2, 0]


def test_a_submission_with_open_required_questions_names_them(answering):
    _bedarf, response = answering

    with pytest.raises(MissingAnswers) as refused:
        services.submit_response(response=response)

    assert refused.value.code == "incomplete"
    assert refused.value.messages == ["Bitte beantworten Sie die noch offenen Pflichtfragen."]
    assert [q.code for q in refused.value.questions] == ["groesse", "angebot", "bedarf"]
