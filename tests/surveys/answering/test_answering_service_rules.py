"""The answering service's own promises: which page number a respondent is told, and what a
refused submission names."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from surveys.answering import services
from surveys.answering.services import MissingAnswers
from surveys.models import Answer, Recipient, Response, ResponseState, Survey
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


# --- who may answer when --------------------------------------------------------------------

DONE = "Sie haben Ihre Antworten bereits abgeschickt."
NOT_YET = "Ihr Einladungslink ist noch nicht gültig."
NO_LONGER = "Ihr Einladungslink ist nicht mehr gültig."
CLOSED = "Diese Umfrage ist beendet; es werden keine Antworten mehr angenommen."


def test_a_link_is_valid_from_its_first_moment_until_just_before_its_last():
    bedarf = build_survey()
    start = timezone.now() + datetime.timedelta(days=10)
    end = start + datetime.timedelta(days=5)
    recipient = RecipientFactory(survey=bedarf.survey, valid_from=start, valid_until=end)
    second = datetime.timedelta(seconds=1)

    refusals = [
        services.invitation_refusal(recipient, moment)
        for moment in (start - second, start, end - second, end)
    ]

    assert refusals == [NOT_YET, None, None, NO_LONGER]
    used = RecipientFactory(survey=bedarf.survey, completed_at=timezone.now())
    assert services.invitation_refusal(used) == DONE


def test_the_survey_is_asked_about_the_same_moment_as_the_link():
    bedarf = build_survey(closes_at=timezone.now() + datetime.timedelta(days=3))
    recipient = RecipientFactory(survey=bedarf.survey)
    later = timezone.now() + datetime.timedelta(days=4)

    assert services.invitation_refusal(recipient) is None
    assert services.invitation_refusal(recipient, later) == CLOSED


def test_a_response_takes_answers_until_its_link_or_the_survey_ends_or_it_is_submitted(
    answering,
):
    bedarf, response = answering
    until = timezone.now() + datetime.timedelta(days=2)
    response.recipient.valid_until = until
    response.recipient.save()
    Survey.objects.filter(pk=bedarf.survey.pk).update(
        closes_at=timezone.now() + datetime.timedelta(days=5)
    )
    response = Response.objects.get(pk=response.pk)

    assert services.answering_refusal(response, until - datetime.timedelta(seconds=1)) is None
    assert services.answering_refusal(response, until) == NO_LONGER
    assert services.answering_refusal(response, until + datetime.timedelta(days=4)) == CLOSED
    response.state = ResponseState.COMPLETE
    assert services.answering_refusal(response) == DONE


def test_saving_a_page_after_the_link_ran_out_is_refused_in_german(answering):
    bedarf, response = answering
    Recipient.objects.filter(pk=response.recipient_id).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as refused:
        services.save_page(response=response, page=bedarf.page1, values={})

    assert (refused.value.code, refused.value.messages) == ("closed", [NO_LONGER])
    assert not Answer.objects.filter(response=response).exists()


def test_a_page_hidden_by_the_answers_or_of_another_survey_is_refused(answering):
    bedarf, response = answering
    other = build_survey(slug="andere")

    for page in (bedarf.page3, other.page1):  # page 3 asks for more than 10 people reached
        with pytest.raises(ValidationError) as refused:
            services.save_page(response=response, page=page, values={})
        assert (refused.value.code, refused.value.messages) == (
            "page_hidden",
            ["Diese Seite trifft nach Ihren bisherigen Antworten nicht auf Sie zu."],
        )
