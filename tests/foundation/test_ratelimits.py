"""Rate limits on commenting, flagging and supporting: a clear 429, and the typed text survives."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from consultations.models import Comment, Flag, Support
from foundation.ratelimits import LIMITS
from tests.consultations.discussion.discussion_helpers import en
from tests.consultations.discussion.factories import CommentFactory, open_proposal
from tests.consultations.factories import ResidentFactory

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

    response = client.post(
        en("consultations:comment_flag", pk=comments[20].pk),
        {"reason": "spam", "note": "Meine Notiz"},
    )

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


def test_the_429_page_is_titled_in_german_and_keeps_the_person_signed_in(client):
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = de("consultations:proposal_support", proposal.consultation.slug, proposal.pk)
    for _ in range(LIMITS["support"].count):
        client.post(url)

    html = client.post(url).content.decode()

    assert "<title>Zu viele Anfragen" in html and "<h1>Zu viele Anfragen</h1>" in html
    assert (
        "Abmelden" in html
    )  # the page is rendered with the request: the menu of a signed-in person


def test_switched_off_limits_let_everything_through(client, settings):
    settings.RATELIMIT_ENABLE = False
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = en("consultations:comment_create", proposal_pk=proposal.pk)

    statuses = {client.post(url, {"body": f"Beitrag {number}"}).status_code for number in range(12)}

    assert statuses == {302}


def de(name: str, *args, **kwargs) -> str:
    """The German address of a page (German is the default language: no prefix)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("de"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def test_the_german_message_names_the_limit_in_force_with_its_plural(client):
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = de("consultations:comment_create", proposal_pk=proposal.pk)
    for number in range(10):
        client.post(url, {"body": f"Beitrag {number}"})

    response = client.post(url, {"body": "Noch einer"})

    assert response.status_code == 429
    assert (
        "Sie haben innerhalb von 5 Minuten 10 Kommentare geschrieben." in response.content.decode()
    )


def test_a_limit_of_one_per_hour_reads_in_the_singular(client, monkeypatch):
    """The number and the time span come from the rate, so a changed rate changes the text."""
    from dataclasses import replace

    monkeypatch.setitem(LIMITS, "comment", replace(LIMITS["comment"], rate="1/h"))
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = de("consultations:comment_create", proposal_pk=proposal.pk)
    assert client.post(url, {"body": "Erster Beitrag"}).status_code == 302

    response = client.post(url, {"body": "Zweiter Beitrag"})

    assert response.status_code == 429
    assert "Sie haben innerhalb einer Stunde 1 Kommentar geschrieben." in response.content.decode()


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (
            "60/5m",
            "Sie haben innerhalb von 5 Minuten 60-mal Unterstützungen gegeben oder zurückgezogen.",
        ),
        (
            "1/m",
            "Sie haben innerhalb einer Minute einmal eine Unterstützung gegeben oder zurückgezogen.",
        ),
        (
            "3/2h",
            "Sie haben innerhalb von 2 Stunden 3-mal Unterstützungen gegeben oder zurückgezogen.",
        ),
    ],
)
def test_the_429_page_for_supports_says_how_often_in_german(client, monkeypatch, rate, expected):
    from dataclasses import replace

    monkeypatch.setitem(LIMITS, "support", replace(LIMITS["support"], rate=rate))
    limit = LIMITS["support"].count
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    url = de("consultations:proposal_support", proposal.consultation.slug, proposal.pk)
    for _ in range(limit):
        client.post(url)

    response = client.post(url)

    assert response.status_code == 429
    assert expected in response.content.decode()
