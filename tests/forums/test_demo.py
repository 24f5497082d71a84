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
