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
