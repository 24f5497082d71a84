"""Forum events as iCalendar (RFC 5545): one event to download, and the feed of a
consultation's events to subscribe to (icalendar builds and escapes the file)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from foundation.notifications import absolute_url

from .events import event_url
from .models import ForumEvent

#: Events without an end are entered for two hours (a calendar needs an end to show them).
DEFAULT_LENGTH = timedelta(hours=2)


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "mitreden"


def _entry(event: ForumEvent) -> Event:
    entry = Event()
    entry.add("uid", f"forum-event-{event.pk}@{_host()}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at or event.starts_at + DEFAULT_LENGTH)
    entry.add("summary", event.title)
    location = ", ".join(event.address_lines())
    if location:
        entry.add("location", location)
    description = "\n\n".join(part for part in (event.description, event.accessibility) if part)
    url = absolute_url(event_url(event))
    entry.add("description", f"{description}\n\n{url}".strip())
    entry.add("url", url)
    return entry


def calendar_of(events: Iterable[ForumEvent], *, name: str) -> bytes:
    """The .ics file of `events`."""
    calendar = Calendar()
    calendar.add("prodid", "-//Mitreden//Forumsveranstaltungen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_entry(event))
    return calendar.to_ical()
