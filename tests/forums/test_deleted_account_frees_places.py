"""A deleted account frees its places at coming events; the counter stays equal to COUNT(*)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from forums.events import register
from forums.models import EventRegistration, ForumEvent
from tests.foundation.factories import PASSWORD, ResidentFactory

from .factories import ForumEventFactory

pytestmark = pytest.mark.django_db


def active_rows(event: ForumEvent) -> int:
    return (
        ForumEvent.objects.filter(pk=event.pk)
        .annotate(rows=Count("registrations", filter=Q(registrations__cancelled_at__isnull=True)))
        .get()
        .rows
    )


def test_deleting_the_account_frees_the_place_of_a_full_event_for_somebody_else(client):
    event = ForumEventFactory(capacity=1)
    leaving, waiting = ResidentFactory(), ResidentFactory()
    register(event=event, user=leaving)
    event.refresh_from_db()
    assert event.is_full

    client.force_login(leaving)
    response = client.post(
        reverse("foundation:account_delete"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302

    event.refresh_from_db()
    assert event.registered_count == 0 == active_rows(event)
    assert not EventRegistration.objects.filter(user=leaving, cancelled_at__isnull=True).exists()
    _registration, created = register(event=event, user=waiting)
    assert created
    event.refresh_from_db()
    assert event.registered_count == 1 == active_rows(event)


def test_past_events_keep_who_came_and_other_people_keep_their_places(client):
    leaving, staying = ResidentFactory(), ResidentFactory()
    coming = ForumEventFactory(capacity=5)
    past = ForumEventFactory(capacity=5)
    for event in (coming, past):
        register(event=event, user=leaving)
        register(event=event, user=staying)
    ForumEvent.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3)
    )

    client.force_login(leaving)
    client.post(reverse("foundation:account_delete"), {"password": PASSWORD, "confirm": "on"})

    coming.refresh_from_db()
    past.refresh_from_db()
    assert coming.registered_count == 1 == active_rows(coming)
    assert past.registered_count == 2 == active_rows(past)
    assert EventRegistration.objects.filter(
        event=past, user=leaving, cancelled_at__isnull=True
    ).exists()
