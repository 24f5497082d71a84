"""Open surveys: signed-in residents answer once; visitors without an account where the
survey allows it (bound to their session); rate limits on links and anonymous starts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from foundation.ratelimits import LIMITS
from surveys.models import Participation, Response, SurveyMode
from surveys.tokens import new_token
from tests.foundation.factories import ResidentFactory, UserFactory
from tests.surveys.answering.helpers import PAGE1, PAGE2, PAGE3, build_survey, page_url, url

pytestmark = pytest.mark.django_db


def _answer_everything(client, survey):
    assert client.post(url("start", slug=survey.slug)).status_code == 302
    for number, data in ((1, PAGE1), (2, PAGE2), (3, PAGE3)):
        assert client.post(page_url(survey, number), {**data, "action": "next"}).status_code == 302
    return client.post(url("submit", slug=survey.slug))


def test_a_resident_answers_once(client):
    bedarf = build_survey(mode=SurveyMode.OPEN)
    resident = ResidentFactory()
    client.force_login(resident)
    detail = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "Umfrage beginnen" in detail

    assert _answer_everything(client, bedarf.survey)["Location"] == url(
        "thanks", slug=bedarf.survey.slug
    )
    assert Response.objects.get(user=resident).is_complete

    # A second try, also from a fresh browser: refused, nothing new.
    again = Client()
    again.force_login(resident)
    started = again.post(url("start", slug=bedarf.survey.slug), follow=True)
    assert "Sie haben an dieser Umfrage bereits teilgenommen. Vielen Dank!" in (
        started.content.decode()
    )
    assert Response.objects.count() == 1
    assert again.get(page_url(bedarf.survey, 1))["Location"] == url(
        "thanks", slug=bedarf.survey.slug
    )


def test_an_anonymous_open_survey_still_lets_each_account_answer_only_once(client):
    bedarf = build_survey(mode=SurveyMode.OPEN, anonymous=True)
    resident = ResidentFactory()
    client.force_login(resident)
    _answer_everything(client, bedarf.survey)
    response = Response.objects.get()
    assert response.user is None  # the link to the account is gone …
    assert Participation.objects.filter(survey=bedarf.survey, user=resident).exists()  # … but

    refused = client.post(url("start", slug=bedarf.survey.slug), follow=True)
    assert "bereits teilgenommen" in refused.content.decode()
    assert Response.objects.count() == 1


def test_starting_twice_continues_the_same_response(client):
    bedarf = build_survey(mode=SurveyMode.OPEN)
    client.force_login(ResidentFactory())
    client.post(url("start", slug=bedarf.survey.slug))
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    again = client.post(url("start", slug=bedarf.survey.slug), follow=True)
    assert again.redirect_chain[-1][0] == page_url(bedarf.survey, 2)
    assert Response.objects.count() == 1
    assert (
        "Sie haben diese Umfrage begonnen"
        in client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    )


def test_unverified_and_signed_out_people_are_told_what_to_do(client):
    bedarf = build_survey(mode=SurveyMode.OPEN)
    signed_out = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "Bitte melden Sie sich an, um teilzunehmen." in signed_out
    assert client.post(url("start", slug=bedarf.survey.slug))["Location"].startswith("/konto/")

    client.force_login(UserFactory())  # e-mail address not confirmed
    html = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in html
    refused = client.post(url("start", slug=bedarf.survey.slug), follow=True)
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in refused.content.decode()
    assert not Response.objects.exists()


def test_visitors_answer_without_an_account_where_allowed_bound_to_their_session(client):
    bedarf = build_survey(mode=SurveyMode.OPEN, allow_anonymous=True)
    detail = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "Sie können ohne Konto antworten." in detail
    client.post(url("start", slug=bedarf.survey.slug))
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    response = Response.objects.get()
    assert response.user is None and response.recipient is None

    # Another browser has no access to it.
    stranger = Client()
    assert stranger.get(page_url(bedarf.survey, 2))["Location"] == url(
        "detail", slug=bedarf.survey.slug
    )

    client.post(page_url(bedarf.survey, 2), {**PAGE2, "action": "next"})
    client.post(page_url(bedarf.survey, 3), {**PAGE3, "action": "next"})
    assert client.post(url("submit", slug=bedarf.survey.slug)).status_code == 302
    response.refresh_from_db()
    assert response.is_complete
    # The session forgets which response it was, and remembers only that it is done.
    assert str(bedarf.survey.pk) not in client.session.get("surveys.responses", {})
    assert (
        "bereits teilgenommen"
        in client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    )
    client.post(url("start", slug=bedarf.survey.slug))
    assert Response.objects.count() == 1


def test_invitation_surveys_cannot_be_started_from_their_page(client):
    bedarf = build_survey()
    client.force_login(ResidentFactory())
    html = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "An dieser Umfrage nehmen nur Eingeladene teil." in html
    refused = client.post(url("start", slug=bedarf.survey.slug), follow=True)
    assert "Bitte nutzen Sie den Link aus Ihrer Einladung." in refused.content.decode()
    assert not Response.objects.exists()


@pytest.fixture
def rate_limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


def test_guessing_tokens_is_limited_per_ip_address(client, rate_limits_on):
    build_survey()
    count = LIMITS["survey_token"].count
    for _ in range(count):
        assert client.get(url("token", token=new_token())).status_code == 404
    limited = client.get(url("token", token=new_token()))
    assert limited.status_code == 429
    assert "Umfrage-Links geöffnet" in limited.content.decode()
    # Per address, not per browser: a new session does not help.
    assert Client().get(url("token", token=new_token())).status_code == 429
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.get(url("token", token=new_token())).status_code == 404


def test_anonymous_starts_are_limited_per_ip_address(client, rate_limits_on):
    bedarf = build_survey(mode=SurveyMode.OPEN, allow_anonymous=True)
    count = LIMITS["survey_start"].count
    for _ in range(count):
        Client().post(url("start", slug=bedarf.survey.slug))
    assert Response.objects.count() == count
    refused = Client().post(url("start", slug=bedarf.survey.slug), follow=True)
    assert "Umfragen ohne Konto begonnen" in refused.content.decode()
    assert Response.objects.count() == count
