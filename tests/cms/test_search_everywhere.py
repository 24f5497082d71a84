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


def published_survey(title, question_text, *, handlungsfeld=None, published=True, **fields):
    from django.utils import timezone

    from surveys.models import SurveyStatus
    from tests.surveys.factories import QuestionFactory, SurveyFactory, SurveyPageFactory

    survey = SurveyFactory(
        title=title,
        status=SurveyStatus.CLOSED,
        results_published_at=timezone.now() if published else None,
        **fields,
    )
    question = QuestionFactory(page=SurveyPageFactory(survey=survey), text=question_text)
    if handlungsfeld is not None:
        question.handlungsfelder.add(handlungsfeld)
    return survey


def test_published_survey_results_are_found_and_open_their_results_page(client):
    survey = published_survey("Bedarfsanalyse 2015", "Welche Sprachkurse fehlen in Ihrer Kommune?")
    published_survey("Umfrage ohne Ergebnisse", "Welche Sprachkurse fehlen?", published=False)
    html = search(client, "Sprachkurse")
    assert ">Umfrageergebnisse (1)</a>" in html
    assert "Ergebnisse: Bedarfsanalyse 2015" in html
    assert "Umfrage ohne Ergebnisse" not in html
    results_url = f"/umfragen/{survey.slug}/ergebnisse/"
    assert f'href="{results_url}"' in html
    assert client.get(results_url).status_code == 200
    assert "Bedarfsanalyse 2015" in search(client, "Bedarfsanalyse", **{"in": "umfragen"})


def test_the_handlungsfeld_filter_keeps_every_kind_to_that_field(client):
    from tests.consultations.factories import HandlungsfeldFactory
    from tests.forums.factories import ForumEventFactory, ForumFactory

    forum = open_forum()
    other_field = HandlungsfeldFactory(name="Arbeit und Beruf")
    other_forum = ForumFactory(consultation=forum.consultation, handlungsfeld=other_field)
    field = forum.handlungsfeld
    ProposalFactory(consultation=forum.consultation, handlungsfeld=field, title="Lotsen hier")
    ProposalFactory(consultation=forum.consultation, handlungsfeld=other_field, title="Lotsen dort")
    ThreadFactory(forum=forum, title="Lotsen im Forum hier")
    ThreadFactory(forum=other_forum, title="Lotsen im Forum dort")
    ForumEventFactory(handlungsfeld=field, title="Lotsen-Treffen hier")
    ForumEventFactory(handlungsfeld=other_field, title="Lotsen-Treffen dort")
    published_survey("Lotsen-Umfrage hier", "Kennen Sie Lotsen?", handlungsfeld=field)
    published_survey("Lotsen-Umfrage dort", "Kennen Sie Lotsen?", handlungsfeld=other_field)

    everything = search(client, "Lotsen")
    assert "10 Ergebnisse" not in everything and "8 Ergebnisse für „Lotsen“" in everything
    html = search(client, "Lotsen", feld=field.slug)
    assert f"4 Ergebnisse für „Lotsen“ im Handlungsfeld „{field.name}“" in html
    for title in ("Lotsen hier", "Lotsen im Forum hier", "Lotsen-Treffen hier", "Lotsen-Umfrage"):
        assert title in html
    assert "dort" not in html
    assert f'<option value="{field.slug}" selected>' in html
    # The kinds' links keep the field, and so does one kind's page.
    assert f"in=vorschlaege&amp;feld={field.slug}" in html
    one_kind = search(client, "Lotsen", feld=field.slug, **{"in": "diskussionen"})
    assert "Lotsen im Forum hier" in one_kind and "dort" not in one_kind
    # An unknown field is no error: all fields are searched.
    assert "8 Ergebnisse für „Lotsen“" in search(client, "Lotsen", feld="gibt-es-nicht")
    assert "8 Ergebnisse für „Lotsen“" in search(client, "Lotsen", feld="x" * 5000)


def test_the_handlungsfeld_filter_keeps_pages_to_that_fields_page(client, demo_site):
    from cms.models import HandlungsfeldPage

    first, second = HandlungsfeldPage.objects.live().order_by("handlungsfeld__number")[:2]
    everything = search(client, second.title, **{"in": "seiten"})
    assert f'href="{second.url}"' in everything
    html = search(client, second.title, feld=first.handlungsfeld.slug, **{"in": "seiten"})
    assert f'href="{second.url}"' not in html
    own = search(client, first.title, feld=first.handlungsfeld.slug, **{"in": "seiten"})
    assert f'href="{first.url}"' in own


def test_what_a_role_may_not_see_is_not_found(client):
    """Hidden proposals only for the coordination office; hidden threads, unpublished
    consultations and unpublished results for nobody; private pages for no visitor."""
    from tests.consultations.factories import ResidentFactory, coordination_office_user

    forum = open_forum()
    ProposalFactory(consultation=forum.consultation, title="Lotsen verborgen", is_hidden=True)
    ProposalFactory(consultation=forum.consultation, title="Lotsen sichtbar")
    ThreadFactory(forum=forum, title="Lotsen Thema verborgen", is_hidden=True)
    published_survey("Lotsen-Umfrage unveröffentlicht", "Lotsen?", published=False)

    anonymous = search(client, "Lotsen")
    client.force_login(ResidentFactory())
    resident = search(client, "Lotsen")
    for html in (anonymous, resident):
        assert "Lotsen sichtbar" in html
        assert "verborgen" not in html and "unveröffentlicht" not in html
    client.force_login(coordination_office_user())
    office = search(client, "Lotsen")
    assert "Lotsen verborgen" in office and "Lotsen sichtbar" in office
    assert "Lotsen Thema verborgen" not in office and "unveröffentlicht" not in office


def test_a_private_page_is_not_found(client, demo_site):
    from wagtail.models import PageViewRestriction

    from cms.models import HandlungsfeldPage

    page = HandlungsfeldPage.objects.live().first()
    assert f'href="{page.url}"' in search(client, page.title, **{"in": "seiten"})
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert f'href="{page.url}"' not in search(client, page.title, **{"in": "seiten"})
