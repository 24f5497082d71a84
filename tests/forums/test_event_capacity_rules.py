"""Forum event capacity on the embedded database too, for an event without a waiting list:
full means full, and a cancellation frees the place for the next person. (With a waiting
list, the default, see test_event_waiting_list.py.)

Two rules hold the capacity: the "fully booked" check that the page and the service ask
before anything is written, and the conditional UPDATE of the counter that decides when the
page was stale (somebody took the last place in between). Each is shown here on its own.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from forums import events
from forums.models import EventRegistration, ForumEvent

from .factories import ForumEventFactory, ResidentFactory, en

pytestmark = pytest.mark.django_db

FULLY_BOOKED = "This event is fully booked."
CAPACITY = 3


def detail_url(event: ForumEvent) -> str:
    return en("forums:event_detail", event.consultation.slug, event.slug)


def register_url(event: ForumEvent) -> str:
    return en("forums:event_register", event.consultation.slug, event.slug)


def cancel_url(event: ForumEvent) -> str:
    return en("forums:event_cancel", event.consultation.slug, event.slug)


def active_registrations(event: ForumEvent) -> int:
    return EventRegistration.objects.filter(event=event, cancelled_at__isnull=True).count()


def registered_count(event: ForumEvent) -> int:
    return ForumEvent.objects.get(pk=event.pk).registered_count


def fill(client, event: ForumEvent, places: int) -> list:
    """`places` residents register through the page, one after another."""
    people = []
    for _ in range(places):
        person = ResidentFactory()
        client.force_login(person)
        client.post(register_url(event))
        people.append(person)
    return people


def test_the_page_of_a_full_event_says_so_and_offers_no_registration(client):
    event = ForumEventFactory(has_waiting_list=False, capacity=CAPACITY)
    fill(client, event, CAPACITY)
    assert registered_count(event) == CAPACITY

    client.force_login(ResidentFactory())
    page = client.get(detail_url(event)).content.decode()

    assert FULLY_BOOKED in page
    assert register_url(event) not in page  # no registration form to press


def test_one_place_left_is_offered_until_it_is_taken(client):
    event = ForumEventFactory(has_waiting_list=False, capacity=CAPACITY)
    fill(client, event, CAPACITY - 1)

    client.force_login(ResidentFactory())
    page = client.get(detail_url(event)).content.decode()

    assert FULLY_BOOKED not in page
    assert register_url(event) in page


def test_the_next_registration_is_refused_with_the_message_and_nothing_is_stored(client):
    event = ForumEventFactory(has_waiting_list=False, capacity=CAPACITY)
    fill(client, event, CAPACITY)
    mails_before = len(mail.outbox)
    late = ResidentFactory()

    client.force_login(late)
    response = client.post(register_url(event), follow=True)

    assert FULLY_BOOKED in response.content.decode()
    assert registered_count(event) == CAPACITY
    assert active_registrations(event) == CAPACITY
    assert not EventRegistration.objects.filter(event=event, user=late).exists()
    assert len(mail.outbox) == mails_before  # no confirmation for a place not had


def test_a_stale_page_cannot_overbook_the_counter_decides(client):
    """The event was read while a place was free; somebody else took it before the click."""
    event = ForumEventFactory(has_waiting_list=False, capacity=CAPACITY)
    fill(client, event, CAPACITY - 1)
    read_before = ForumEvent.objects.get(pk=event.pk)  # still one place left
    events.register(event=ForumEvent.objects.get(pk=event.pk), user=ResidentFactory())
    late = ResidentFactory()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        events.register(event=read_before, user=late)

    assert refused.value.messages == [FULLY_BOOKED]
    assert registered_count(event) == CAPACITY
    assert active_registrations(event) == CAPACITY
    assert not EventRegistration.objects.filter(event=event, user=late).exists()


def test_an_event_without_a_capacity_takes_everybody(client):
    event = ForumEventFactory(has_waiting_list=False, capacity=None)
    fill(client, event, 5)

    assert registered_count(event) == 5 == active_registrations(event)


def test_a_cancellation_frees_the_place_for_the_next_person(client):
    event = ForumEventFactory(has_waiting_list=False, capacity=CAPACITY)
    first, *_others = fill(client, event, CAPACITY)
    waiting = ResidentFactory()
    client.force_login(waiting)
    assert FULLY_BOOKED in client.get(detail_url(event)).content.decode()

    client.force_login(first)
    client.post(cancel_url(event))
    assert registered_count(event) == CAPACITY - 1

    client.force_login(waiting)
    page = client.get(detail_url(event)).content.decode()
    assert FULLY_BOOKED not in page and register_url(event) in page
    client.post(register_url(event))

    assert EventRegistration.objects.filter(
        event=event, user=waiting, cancelled_at__isnull=True
    ).exists()
    assert registered_count(event) == CAPACITY == active_registrations(event)
    # ... and the event is full again for the one who cancelled.
    client.force_login(first)
    response = client.post(register_url(event), follow=True)
    assert FULLY_BOOKED in response.content.decode()
    assert registered_count(event) == CAPACITY


def test_cancelling_twice_frees_one_place_only(client):
    event = ForumEventFactory(has_waiting_list=False, capacity=CAPACITY)
    first, *_others = fill(client, event, CAPACITY)
    client.force_login(first)

    client.post(cancel_url(event))
    client.post(cancel_url(event))

    assert registered_count(event) == CAPACITY - 1 == active_registrations(event)
