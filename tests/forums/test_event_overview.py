"""The events overview at /veranstaltungen/: upcoming and past events of every published
consultation, filtered by Handlungsfeld and municipality with a plain GET form, past events a
page at a time, reachable from the main navigation and the forum pages; and the calendar
feed of a Handlungsfeld."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from icalendar import Calendar

from forums import events

from .factories import (
    ConsultationFactory,
    ForumEventFactory,
    HandlungsfeldFactory,
    MunicipalityFactory,
    ResidentFactory,
    en,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def overview(client, query: str = "") -> str:
    response = client.get(en("events:overview") + query)
    assert response.status_code == 200
    return response.content.decode()


def past(days: int, **kwargs):
    starts = timezone.now() - timedelta(days=days)
    return ForumEventFactory(starts_at=starts, ends_at=starts + timedelta(hours=4), **kwargs)


@pytest.fixture
def town_and_fields():
    laatzen = MunicipalityFactory(name="Laatzen", slug="laatzen")
    garbsen = MunicipalityFactory(name="Garbsen", slug="garbsen")
    bildung = HandlungsfeldFactory(name="Bildung und Sprache", slug="bildung-und-sprache")
    arbeit = HandlungsfeldFactory(name="Wirtschaft und Arbeit", slug="wirtschaft-und-arbeit")
    return laatzen, garbsen, bildung, arbeit


def test_upcoming_come_before_past_and_unpublished_consultations_stay_out(client):
    coming = ForumEventFactory(title="Forum 1: Bildung (Demo)")
    done = past(300, title="Forum 5: Vernetzung", documentation="<p>Protokoll</p>")
    hidden = ForumEventFactory(
        title="Internes Vorbereitungstreffen", consultation=ConsultationFactory(is_published=False)
    )

    page = overview(client)

    assert (
        page.index("Upcoming events")
        < page.index(coming.title)
        < page.index("Past events")
        < page.index(done.title)
    )
    assert hidden.title not in page
    assert "Read the documentation" in page.split("Past events")[1]
    assert coming.consultation.title in page  # each card names its consultation


def test_the_filters_are_a_labelled_get_form_that_narrows_both_sections(client, town_and_fields):
    laatzen, garbsen, bildung, arbeit = town_and_fields
    wanted = ForumEventFactory(
        title="Bildung in Laatzen", handlungsfeld=bildung, municipality=laatzen
    )
    wanted_past = past(40, title="Bildung damals", handlungsfeld=bildung, municipality=laatzen)
    ForumEventFactory(title="Arbeit in Laatzen", handlungsfeld=arbeit, municipality=laatzen)
    ForumEventFactory(title="Bildung in Garbsen", handlungsfeld=bildung, municipality=garbsen)

    page = overview(client)
    assert '<form method="get" action="/en/veranstaltungen/"' in page
    assert '<label for="id_handlungsfeld">Field of action</label>' in page
    assert '<label for="id_municipality">Town or municipality</label>' in page
    assert '<button type="submit">Show events</button>' in page

    page = overview(client, "?handlungsfeld=bildung-und-sprache&municipality=laatzen")
    assert wanted.title in page and wanted_past.title in page
    assert "Arbeit in Laatzen" not in page and "Bildung in Garbsen" not in page
    assert '<option value="bildung-und-sprache" selected>' in page
    assert "Show all events" in page
    feed = en("events:field_feed", "bildung-und-sprache")
    assert f'href="{feed}"' in page

    page = overview(client, "?municipality=garbsen")
    assert "Bildung in Garbsen" in page and wanted.title not in page
    assert "No past events match the filter." in page


def test_an_unknown_filter_value_gives_a_page_not_an_error(client):
    ForumEventFactory(title="Forum 2")

    page = overview(client, "?handlungsfeld=<script>&municipality=atlantis")

    assert "A filter was not recognised; all events are shown." in page
    assert "Forum 2" in page and "<script>" not in page


def test_past_events_come_ten_to_a_page_and_keep_the_filter(client, town_and_fields):
    _laatzen, _garbsen, bildung, arbeit = town_and_fields
    for day in range(12):
        past(10 + day, title=f"Forum Bildung {day:02d}", handlungsfeld=bildung)
    past(5, title="Forum Arbeit", handlungsfeld=arbeit)

    first = overview(client, "?handlungsfeld=bildung-und-sprache")
    second = overview(client, "?handlungsfeld=bildung-und-sprache&page=2")

    assert "Forum Bildung 00" in first and "Forum Bildung 09" in first
    assert "Forum Bildung 10" not in first and "Forum Bildung 10" in second
    assert "Forum Arbeit" not in first + second
    assert "handlungsfeld=bildung-und-sprache&amp;page=2" in first
    assert "Page 2 of 2" in second


def test_the_overview_costs_the_same_queries_for_few_or_many_events(client, town_and_fields):
    laatzen, _garbsen, bildung, _arbeit = town_and_fields
    person = ResidentFactory()
    client.force_login(person)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            overview(client, "?handlungsfeld=bildung-und-sprache")
        return len(captured)

    event = ForumEventFactory(handlungsfeld=bildung, municipality=laatzen)
    events.register(event=event, user=person)
    past(20, handlungsfeld=bildung)
    few = queries()
    for day in range(8):
        ForumEventFactory(handlungsfeld=bildung, consultation=ConsultationFactory())
        past(30 + day, handlungsfeld=bildung, consultation=ConsultationFactory())
    assert queries() == few


def test_the_main_navigation_and_the_forum_pages_lead_to_the_overview(client):
    event = ForumEventFactory()

    forums_page = client.get(en("forums:index")).content.decode()
    menu = forums_page.split('aria-label="Main navigation"')[1].split("</nav>")[0]
    assert '<a href="/en/veranstaltungen/">Events</a>' in menu
    listing = client.get(en("forums:event_list", event.consultation.slug)).content.decode()
    assert 'href="/en/veranstaltungen/"' in listing
    overview_page = overview(client)
    menu = overview_page.split('aria-label="Main navigation"')[1].split("</nav>")[0]
    assert '<a href="/en/veranstaltungen/" aria-current="page">Events</a>' in menu


def test_a_handlungsfeld_has_its_calendar_feed(client, town_and_fields):
    _laatzen, _garbsen, bildung, arbeit = town_and_fields
    ForumEventFactory(title="Forum Bildung", handlungsfeld=bildung)
    past(100, title="Forum Bildung im Frühjahr", handlungsfeld=bildung)
    past(500, title="Forum Bildung vor zwei Jahren", handlungsfeld=bildung)
    ForumEventFactory(title="Forum Arbeit", handlungsfeld=arbeit)
    ForumEventFactory(
        title="Unveröffentlicht",
        handlungsfeld=bildung,
        consultation=ConsultationFactory(is_published=False),
    )

    response = client.get(en("events:field_feed", "bildung-und-sprache"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Forum events: Bildung und Sprache"
    assert sorted(str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")) == [
        "Forum Bildung",
        "Forum Bildung im Frühjahr",
    ]
    assert client.get(en("events:field_feed", "gibt-es-nicht")).status_code == 404
