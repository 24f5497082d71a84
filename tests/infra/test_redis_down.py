"""Redis gone: every page still serves, sign-in and writing still work (the proof issue).

The cache points at a port on which nothing listens, with the production cache options
(config.settings.REDIS_CACHE_BACKEND and REDIS_CACHE_OPTIONS); navigation caching and rate
limits are switched on,
so that each path that reads or writes the cache is taken.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from consultations.models import Comment
from tests.consultations.discussion.factories import open_proposal
from tests.consultations.factories import ResidentFactory

from .conftest import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_gone(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": django_settings.REDIS_CACHE_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.RATELIMIT_ENABLE = True
    settings.CMS_NAVIGATION_CACHE_SECONDS = 300
    settings.PHASES_CACHE_SECONDS = 300
    settings.VERIFIED_EMAIL_CACHE_SECONDS = 300
    from django.core.cache import cache

    with pytest.raises(Exception):  # noqa: B017 - any connection error: the cache is really gone
        cache.client.get_client().ping()


def test_public_pages_serve_without_redis(client, redis_gone):
    proposal = open_proposal()
    slug = proposal.consultation.slug
    for url in [
        "/",
        reverse("consultations:proposal_list", args=[slug]),
        reverse("consultations:proposal_detail", args=[slug, proposal.pk]),
        reverse("account_login"),
        reverse("search") + "?q=Sprache",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        assert response.status_code != 500
    assert (
        client.get(reverse("consultations:proposal_detail", args=[slug, proposal.pk])).status_code
        == 200
    )


def test_signing_in_and_commenting_work_without_redis(client, redis_gone):
    proposal = open_proposal()
    resident = ResidentFactory(email="aylin@example.org")

    response = client.post(
        reverse("account_login"),
        {"login": "aylin@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    # The session was stored in the database (cached_db), so the next request is signed in.
    assert client.get(reverse("foundation:profile")).status_code == 200

    response = client.post(
        reverse("consultations:comment_create", kwargs={"proposal_pk": proposal.pk}),
        {"body": "Auch ohne Redis geht nichts verloren."},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author == resident and comment.body == "Auch ohne Redis geht nichts verloren."


def test_healthz_reports_the_cache_down(client, redis_gone):
    response = client.get("/healthz")
    assert response.status_code == 503


def test_an_invited_institution_answers_a_survey_without_redis(client, redis_gone):
    """Token exchange, page saves (rate limits and token-guessing limits read the cache),
    the review and the submission: all with the cache gone, nothing lost."""
    from surveys.models import Answer, Response, ResponseState
    from tests.surveys.answering.helpers import PAGE1, PAGE2, PAGE3, build_survey, page_url, url
    from tests.surveys.factories import RecipientFactory

    bedarf = build_survey()
    survey = bedarf.survey
    recipient = RecipientFactory(survey=survey)

    opened = client.get(url("token", token=recipient.token))
    assert opened.status_code == 302
    for number, data in ((1, PAGE1), (2, PAGE2), (3, PAGE3)):
        saved = client.post(page_url(survey, number), {**data, "action": "next"})
        assert saved.status_code == 302, (number, saved.status_code)
    assert client.get(url("review", slug=survey.slug)).status_code == 200
    submitted = client.post(url("submit", slug=survey.slug))
    assert submitted.status_code == 302
    response = Response.objects.get(survey=survey)
    assert response.state == ResponseState.COMPLETE
    assert Answer.objects.get(response=response, question=bedarf.groesse).number == 250


def test_published_survey_results_are_counted_without_redis(client, redis_gone):
    """The public results page keeps its figures in the cache; without it they are counted
    for every request, and the page is still served."""
    from foundation.actors import SYSTEM
    from surveys.results.services import results_publish
    from tests.surveys.results.helpers import questionnaire, respond

    data = questionnaire()
    for _ in range(6):
        respond(data, kinds=("1",), size="1")
    results_publish(survey=data.survey, actor=SYSTEM)
    response = client.get(reverse("surveys:results_public", kwargs={"slug": data.survey.slug}))
    assert response.status_code == 200
    assert "<strong>6</strong> vollständig" in response.content.decode()
