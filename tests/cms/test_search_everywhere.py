"""One search over pages, proposals and forum threads: each kind counted and previewed, one
kind listed page by page; hidden things and unpublished consultations are never found."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.consultations.factories import ConsultationFactory, ProposalFactory
from tests.forums.factories import PostFactory, ThreadFactory, open_forum

pytestmark = pytest.mark.django_db


def search(client, query, **extra):
    response = client.get("/suche/", {"q": query, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_proposals_and_threads_are_found_with_their_kind(client):
    forum = open_forum()
    consultation = forum.consultation
    ProposalFactory(consultation=consultation, title="Abendkurse für Eltern")
    thread = ThreadFactory(forum=forum, title="Treffpunkt im Stadtteil")
    PostFactory(thread=thread, body="Wir wünschen uns Abendkurse mit Kinderbetreuung.")
    ThreadFactory(forum=forum, title="Etwas anderes")
    html = search(client, "Abendkurse")
    assert "2 Ergebnisse für „Abendkurse“" in html
    assert "Abendkurse für Eltern" in html
    assert "Treffpunkt im Stadtteil" in html  # found by its post
    assert "Etwas anderes" not in html
    assert ">Vorschläge (1)</a>" in html and ">Forumsdiskussionen (1)</a>" in html


def test_hidden_things_and_unpublished_consultations_are_not_found(client):
    forum = open_forum()
    ProposalFactory(consultation=forum.consultation, title="Abendkurse versteckt", is_hidden=True)
    ThreadFactory(forum=forum, title="Abendkurse Thema versteckt", is_hidden=True)
    hidden_post_thread = ThreadFactory(forum=forum, title="Offenes Thema")
    PostFactory(thread=hidden_post_thread, body="Abendkurse im Beitrag", is_hidden=True)
    draft = ConsultationFactory(is_published=False)
    ProposalFactory(consultation=draft, title="Abendkurse im Entwurf")
    html = search(client, "Abendkurse")
    for hidden in ("versteckt", "Offenes Thema", "im Entwurf"):
        assert hidden not in html


def test_one_kind_is_listed_page_by_page(client):
    forum = open_forum()
    for number in range(23):
        ThreadFactory(forum=forum, title=f"Sprachcafé {number}")
    everything = search(client, "Sprachcafé")
    assert "Alle 23 Treffer in „Forumsdiskussionen“" in everything
    first = search(client, "Sprachcafé", **{"in": "diskussionen"})
    assert first.count("<h3><a href=") == 20
    assert '<input type="hidden" name="in" value="diskussionen">' in first
    second = search(client, "Sprachcafé", **{"in": "diskussionen", "page": "2"})
    assert second.count("<h3><a href=") == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming needs PostgreSQL")
def test_german_stemming_finds_other_forms(client):
    forum = open_forum()
    ProposalFactory(consultation=forum.consultation, title="Mehr Sprachkursen am Abend")
    thread = ThreadFactory(forum=forum, title="Erfahrungen")
    PostFactory(thread=thread, body="Die Sprachkursen waren voll.")
    html = search(client, "Sprachkurse")
    assert "Mehr Sprachkursen am Abend" in html and "Erfahrungen" in html


def test_events_are_found_by_their_place_and_documentation_and_open_their_page(client):
    from tests.forums.factories import ForumEventFactory

    event = ForumEventFactory(
        title="Forum 4: Bildung und Sprache", place="Ronnenberg", documentation="<p>Kitaplätze</p>"
    )
    hidden = ForumEventFactory(title="Forum intern", place="Ronnenberg")
    hidden.consultation.is_published = False
    hidden.consultation.save()
    page = search(client, "Ronnenberg", **{"in": "veranstaltungen"})
    assert event.get_absolute_url() in page
    assert "Forum intern" not in page
    assert event.get_absolute_url() in search(client, "Kitaplätze")
    assert client.get(event.get_absolute_url()).status_code == 200
