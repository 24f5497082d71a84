"""The forum demo step: example threads with correct counters, idempotent; demo events open."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from demo.loader import load_demo, read_data
from forums.models import Forum, ForumEvent, Post, Thread

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"
STEPS = [
    "municipalities",
    "handlungsfelder",
    "departments",
    "consultations",
    "forum_events",
    "forums",
    "forums.discussion",
]


def test_demo_forums_are_filled_once_and_counted():
    data = read_data(SMALL)
    ctx = load_demo(data=data, log=lambda message: None, only=STEPS)
    counts = (Thread.objects.count(), Post.objects.count())
    load_demo(data=data, log=lambda message: None, only=STEPS)
    assert (Thread.objects.count(), Post.objects.count()) == counts
    for thread in Thread.objects.all():
        assert thread.post_count == thread.posts.count()
        assert "(Demo)" in thread.title
    for forum in Forum.objects.filter(consultation=ctx.demo_consultation):
        assert forum.post_count == Post.objects.filter(thread__forum=forum).count()
    upcoming = ForumEvent.objects.filter(
        consultation=ctx.demo_consultation, starts_at__gt=timezone.now(), registration_open=True
    )
    assert (
        upcoming.exists()
    )  # two with the full data; the small extract has only one of their fields
    assert all("(Demo)" in event.title and event.municipality for event in upcoming)


def test_the_demo_holds_the_kick_off_and_the_five_forums_of_the_concept(client):
    """The full data file: dates, towns and documentation as the concept gives them."""
    from django.urls import reverse
    from django.utils import translation

    from demo.steps import HISTORIC_CONSULTATION_SLUG

    load_demo(log=lambda message: None, only=STEPS[:5])
    historic = ForumEvent.objects.filter(
        consultation__slug=HISTORIC_CONSULTATION_SLUG
    ).select_related("municipality", "handlungsfeld")
    rows = [
        (
            event.number,
            timezone.localtime(event.starts_at).strftime("%d.%m.%Y"),
            event.municipality.name if event.municipality else None,
            event.handlungsfeld.name if event.handlungsfeld else None,
        )
        for event in historic.order_by("number")
    ]
    assert rows == [
        (0, "26.04.2014", None, None),
        (1, "01.06.2014", "Hannover", "Partizipation und Teilhabe"),
        (2, "14.06.2014", "Laatzen", "Wirtschaft und Arbeit"),
        (3, "21.06.2014", "Garbsen", "Gesundheit und Pflege"),
        (4, "12.07.2014", "Ronnenberg", "Bildung und Sprache"),
        (5, "28.09.2014", "Hannover", "Vernetzung"),
    ]
    kick_off = historic.get(number=0)
    assert kick_off.participants == 200
    assert "Rund 200 Interessierte" in kick_off.documentation
    forum = historic.get(number=4)
    assert "Forum 4: Bildung und Sprache fand am Samstag 12.07.2014 in Ronnenberg statt." in (
        forum.documentation
    )
    assert "<li>" in forum.documentation  # the Handlungsfeld's goals from the annex

    with translation.override("de"):
        page = client.get(
            reverse("forums:event_detail", args=[HISTORIC_CONSULTATION_SLUG, kick_off.slug])
        ).content.decode()
    assert 'id="documentation"' in page and "Rund 200 Interessierte" in page
    assert "Etwa 200 Personen haben teilgenommen." in page
    # The demo's own coming events take registrations, one of them also online.
    assert ForumEvent.objects.exclude(online_url="").filter(registration_open=True).exists()
