"""Forum events for one's calendar: the .ics of an event (linked on its page and in the
confirmation mail) and the feed of a consultation's events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from forums import events

from .factories import ForumEventFactory, MunicipalityFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def german(name, *args):
    with translation.override("de"):
        return reverse(name, args=args)


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_an_event_downloads_as_a_calendar_entry(client):
    event = ForumEventFactory(
        title="Forum 3: Gesundheit",
        venue="Haus der Region",
        street_address="Hildesheimer Straße 18",
        postal_code="30169",
        place="Hannover",
        municipality=MunicipalityFactory(name="Hannover", slug="hannover"),
        accessibility="Aufzug vorhanden.",
    )
    detail = german("forums:event_detail", event.consultation.slug, event.slug)
    page = client.get(detail).content.decode()
    ics = german("forums:event_ics", event.consultation.slug, event.slug)
    assert f'href="{ics}" download>In meinen Kalender übernehmen</a>' in page
    response = client.get(ics)
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    [entry] = read(response).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Forum 3: Gesundheit"
    assert str(entry["LOCATION"]) == "Haus der Region, Hildesheimer Straße 18, 30169 Hannover"
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)  # to the second
    assert entry.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(entry["URL"]) == settings.SITE_URL.rstrip("/") + detail
    assert "Aufzug vorhanden." in str(entry["DESCRIPTION"])


def test_an_event_without_an_end_lasts_two_hours_in_the_calendar(client):
    event = ForumEventFactory(ends_at=None)
    [entry] = read(
        client.get(german("forums:event_ics", event.consultation.slug, event.slug))
    ).walk("VEVENT")
    assert entry.decoded("DTEND") - entry.decoded("DTSTART") == timedelta(hours=2)


def test_the_feed_lists_the_consultations_events_of_the_last_year_and_to_come(client):
    coming = ForumEventFactory(title="Forum 4: Arbeit")
    consultation = coming.consultation
    ForumEventFactory(
        consultation=consultation,
        title="Auftakt",
        starts_at=timezone.now() - timedelta(days=100),
        ends_at=None,
    )
    ForumEventFactory(
        consultation=consultation,
        title="Vor zwei Jahren",
        starts_at=timezone.now() - timedelta(days=730),
        ends_at=None,
    )
    ForumEventFactory(title="Anderes Verfahren")
    listing = client.get(german("forums:event_list", consultation.slug)).content.decode()
    feed = german("forums:events_feed", consultation.slug)
    assert f'href="{feed}"' in listing
    calendar = read(client.get(feed))
    assert str(calendar["X-WR-CALNAME"]) == consultation.title
    titles = [str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")]
    assert titles == ["Auftakt", "Forum 4: Arbeit"]
    assert len({str(entry["UID"]) for entry in calendar.walk("VEVENT")}) == 2


def test_the_confirmation_mail_links_the_calendar_entry(client, django_capture_on_commit_callbacks):
    from django.core import mail

    event = ForumEventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        events.register(event=event, user=ResidentFactory(language="de"))
    body = mail.outbox[-1].body
    line = next(line for line in body.splitlines() if line.startswith("Für Ihren Kalender: "))
    link = line.removeprefix("Für Ihren Kalender: ")
    assert link.startswith(settings.SITE_URL.rstrip("/"))
    [entry] = read(client.get(link.removeprefix(settings.SITE_URL.rstrip("/")))).walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title


def test_an_unknown_event_has_no_calendar_entry(client):
    event = ForumEventFactory()
    assert (
        client.get(german("forums:event_ics", event.consultation.slug, "gibt-es-nicht")).status_code
        == 404
    )
