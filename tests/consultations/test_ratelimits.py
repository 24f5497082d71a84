"""Rate limits on commenting, flagging and supporting: a clear 429, and the typed text survives."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from consultations.models import Comment, Flag, Support
from consultations.ratelimits import LIMITS

from .discussion_helpers import en
from .factories import ResidentFactory
from .factories_discussion import CommentFactory, open_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rate_limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


def test_the_eleventh_comment_in_five_minutes_is_held_back_with_the_text(client):
    assert LIMITS["comment"].rate == "10/5m"
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = en("consultations:comment_create", proposal_pk=proposal.pk)
    for number in range(10):
        assert client.post(url, {"body": f"Beitrag {number}"}).status_code == 302

    response = client.post(url, {"body": "Mein elfter, lange überlegter Beitrag"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "You have written 10 comments within 5 minutes" in html
    assert "Mein elfter, lange überlegter Beitrag" in html  # nothing typed is lost
    assert '<form class="form"' in html
    assert Comment.objects.count() == 10


def test_limits_are_per_person(client):
    proposal = open_proposal()
    url = en("consultations:comment_create", proposal_pk=proposal.pk)
    client.force_login(ResidentFactory())
    for number in range(11):
        client.post(url, {"body": f"Beitrag {number}"})

    client.force_login(ResidentFactory())
    assert client.post(url, {"body": "Von jemand anderem"}).status_code == 302


def test_invalid_comments_do_not_use_up_the_limit(client):
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = en("consultations:comment_create", proposal_pk=proposal.pk)
    for _ in range(15):
        client.post(url, {"body": ""})

    assert client.post(url, {"body": "Jetzt richtig"}).status_code == 302


def test_flagging_is_limited_with_the_note_kept(client):
    proposal = open_proposal()
    comments = CommentFactory.create_batch(21, proposal=proposal)
    client.force_login(ResidentFactory())
    for comment in comments[:20]:
        client.post(en("consultations:comment_flag", pk=comment.pk), {"reason": "spam"})

    response = client.post(en("consultations:comment_flag", pk=comments[20].pk), {"reason": "spam", "note": "Meine Notiz"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "You have sent 20 reports within an hour" in html and "Meine Notiz" in html
    assert Flag.objects.count() == 20


def test_supporting_too_often_answers_with_a_429_page_that_says_why(client, settings):
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = en("consultations:proposal_support", proposal.consultation.slug, proposal.pk)
    for _ in range(60):
        client.post(url)

    response = client.post(url)

    assert response.status_code == 429
    assert "60 times within 5 minutes" in response.content.decode()
    assert Support.objects.filter(proposal=proposal).count() <= 1


def test_switched_off_limits_let_everything_through(client, settings):
    settings.RATELIMIT_ENABLE = False
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = en("consultations:comment_create", proposal_pk=proposal.pk)

    statuses = {client.post(url, {"body": f"Beitrag {number}"}).status_code for number in range(12)}

    assert statuses == {302}
