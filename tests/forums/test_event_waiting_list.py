"""The waiting list of a full forum event, told through the pages and the mails people get:
joining it, its positions, the move-up when somebody cancels (once, to the first person),
leaving it, more places in the admin, deleted accounts, and the coordination office's lists.
The concurrency of the move-up is proven on PostgreSQL at the end."""

from __future__ import annotations

import re
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import translation

from forums import events
from forums.models import EventRegistration, ForumEvent, RegistrationStatus
from foundation.roles import Role
from tests.foundation.factories import user_with_role

from .factories import ForumEventFactory, ResidentFactory, coordination_office_user, en

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def detail_url(event: ForumEvent) -> str:
    return en("forums:event_detail", event.consultation.slug, event.slug)


def register_url(event: ForumEvent) -> str:
    return en("forums:event_register", event.consultation.slug, event.slug)


def cancel_url(event: ForumEvent) -> str:
    return en("forums:event_cancel", event.consultation.slug, event.slug)


def full_event(places: int = 2) -> tuple[ForumEvent, list]:
    event = ForumEventFactory(capacity=places, title="Forum 4: Bildung und Sprache")
    people = [ResidentFactory(language="en") for _ in range(places)]
    for person in people:
        events.register(event=event, user=person)
    event.refresh_from_db()
    assert event.is_full
    return event, people


def mails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def link_in(body: str) -> str:
    """The path of the event page's registration box that a mail links to."""
    site = re.escape(settings.SITE_URL.rstrip("/"))
    match = re.search(rf"{site}(/\S+)#registration", body)
    assert match, body
    return match.group(1)


def registered_count(event: ForumEvent) -> int:
    return ForumEvent.objects.get(pk=event.pk).registered_count


def test_a_full_event_offers_the_waiting_list_in_plain_words(client):
    event, _people = full_event()
    client.force_login(ResidentFactory())

    page = client.get(detail_url(event)).content.decode()

    assert "Fully booked – you can join the waiting list" in page
    assert "All places are taken. You can join the waiting list" in page
    assert '<button type="submit">Join the waiting list</button>' in page
    assert register_url(event) in page


def test_joining_the_waiting_list_shows_the_position_and_takes_no_place(
    client, django_capture_on_commit_callbacks
):
    event, _people = full_event()
    first, second = ResidentFactory(language="en"), ResidentFactory(language="en")

    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), follow=True)
    page = response.content.decode()
    assert "you are on the waiting list, in position 1" in page
    assert "You are on the waiting list, in position 1." in page
    assert "Leave the waiting list" in page
    assert "Your registration code" not in page  # a code is for a place, not for the list

    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(register_url(event), follow=True).content.decode()
    assert "You are on the waiting list, in position 2." in page

    assert registered_count(event) == 2  # the places stay with the two registered
    [joined] = mails_to(second)
    assert joined.subject == "On the waiting list: Forum 4: Bildung und Sprache"
    assert "You are on the waiting list, in position 2." in joined.body
    assert "Until then you are not registered." in joined.body


def test_a_cancellation_moves_the_first_person_up_and_tells_them_once(
    client, django_capture_on_commit_callbacks
):
    event, (leaving, _staying) = full_event()
    event.online_url = "https://meet.example.org/forum-4"
    event.save(update_fields=["online_url"])
    head, behind = ResidentFactory(language="en"), ResidentFactory(language="en")
    for person in (head, behind):
        events.register(event=event, user=person)
    mail.outbox.clear()

    client.force_login(leaving)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(event), follow=True)
    assert "Your registration has been cancelled" in response.content.decode()

    assert registered_count(event) == 2  # the freed place went at once
    moved = EventRegistration.objects.get(event=event, user=head, cancelled_at__isnull=True)
    assert moved.status == RegistrationStatus.CONFIRMED and moved.promoted_at is not None
    [told] = mails_to(head)
    assert told.subject == "A place for you: Forum 4: Bildung und Sprache"
    assert "you have moved up from the waiting list and are now registered" in told.body
    assert f"Your registration code: {moved.display_code}" in told.body
    assert "Taking part online: https://meet.example.org/forum-4" in told.body
    assert mails_to(behind) == []

    # The link in the mail opens the event page, which says they are registered now.
    path = link_in(told.body)
    client.force_login(head)
    page = client.get(path).content.decode()
    assert "You are registered for this event." in page
    assert moved.display_code in page
    assert "https://meet.example.org/forum-4" in page

    client.force_login(behind)
    assert "You are on the waiting list, in position 1." in client.get(path).content.decode()

    # Running the move-up again finds no free place and tells nobody a second time.
    with django_capture_on_commit_callbacks(execute=True):
        assert events.fill_free_places(event=event) == []
    assert len(mails_to(head)) == 1 and mails_to(behind) == []


def test_leaving_the_waiting_list_frees_no_place_and_moves_nobody(
    client, django_capture_on_commit_callbacks
):
    event, _people = full_event()
    head, behind = ResidentFactory(language="en"), ResidentFactory(language="en")
    for person in (head, behind):
        events.register(event=event, user=person)

    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(cancel_url(event), follow=True).content.decode()

    assert "You have left the waiting list." in page
    assert '<button type="submit">Join the waiting list</button>' in page
    assert registered_count(event) == 2
    assert EventRegistration.objects.get(event=event, user=behind).status == "waiting"
    assert events.waiting_position(EventRegistration.objects.get(user=behind)) == 1


def test_an_event_without_a_waiting_list_stays_fully_booked(client):
    event = ForumEventFactory(capacity=1, has_waiting_list=False)
    events.register(event=event, user=ResidentFactory())
    late = ResidentFactory()
    client.force_login(late)

    page = client.post(register_url(event), follow=True).content.decode()

    assert "This event is fully booked." in page
    assert not EventRegistration.objects.filter(user=late).exists()


def test_a_deleted_account_passes_its_place_to_the_first_person_waiting(
    django_capture_on_commit_callbacks,
):
    from foundation.services import account_delete

    event, (leaving, _staying) = full_event()
    head = ResidentFactory(language="en")
    events.register(event=event, user=head)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=leaving)

    assert EventRegistration.objects.get(user=head).status == RegistrationStatus.CONFIRMED
    assert registered_count(event) == 2
    assert [m.subject for m in mails_to(head)][-1].startswith("A place for you")


def test_more_places_in_the_admin_move_the_people_waiting_up(client):
    from tests.forums.test_forums_admin import event_post

    event, _people = full_event(places=1)
    waiting = [ResidentFactory(language="en") for _ in range(3)]
    for person in waiting:
        events.register(event=event, user=person)
    client.force_login(user_with_role(Role.EDITOR))
    data = event_post(event.consultation, capacity="3", slug=event.slug, title=event.title)

    response = client.post(f"/admin/forums/events/edit/{event.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    statuses = [EventRegistration.objects.get(user=person).status for person in waiting]
    assert statuses == ["confirmed", "confirmed", "waiting"]  # first come, first served
    assert registered_count(event) == 3


def test_the_admin_list_and_form_show_the_waiting_list(client):
    from wagtail.users.models import UserProfile

    event, _people = full_event(places=1)
    events.register(event=event, user=ResidentFactory(display_name="Mira W."))
    editor = user_with_role(Role.EDITOR)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"  # the admin in English
    profile.save()
    client.force_login(editor)

    listing = client.get("/admin/forums/events/").content.decode()
    form = client.get(f"/admin/forums/events/edit/{event.pk}/").content.decode()

    assert "Waiting list" in listing
    assert re.search(r"<td[^>]*>\s*1\s*</td>\s*</tr>", listing)  # the last column: one waiting
    assert "1 person on the waiting list." in form and "Mira W." in form


def test_the_coordination_office_sees_participants_and_waiting_list_apart(client):
    event, people = full_event()
    events.register(event=event, user=ResidentFactory(display_name="Mira W."))
    client.force_login(coordination_office_user())

    page = client.get(
        en("forums:event_participants", event.consultation.slug, event.slug)
    ).content.decode()
    csv_body = client.get(
        en("forums:event_participants_csv", event.consultation.slug, event.slug)
    ).content.decode("utf-8-sig")

    registered, waiting = page.split('id="waiting-heading"')
    assert all(person.public_name in registered for person in people)
    assert "Mira W." not in registered and "Mira W." in waiting
    rows = [line.split(";") for line in csv_body.strip().splitlines()]
    assert rows[0] == [
        "No.",
        "Registration code",
        "Name",
        "Municipality",
        "Registered on",
        "Status",
    ]
    assert [row[5] for row in rows[1:]] == [
        "registered",
        "registered",
        "waiting list, position 1",
    ]
    codes = dict(EventRegistration.objects.values_list("user__display_name", "code"))
    assert rows[3][1] == f"{codes['Mira W.'][:4]}-{codes['Mira W.'][4:]}"


# --- Concurrency on PostgreSQL ----------------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def run_at_once(count: int, action) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def attempt(index):
        try:
            barrier.wait(timeout=30)
            outcomes.append(action(index))
        except Exception as exc:  # anything else is a failure of the test
            outcomes.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)
    return outcomes


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forty_people_for_twenty_places_give_twenty_registered_and_twenty_waiting():
    event = ForumEventFactory(capacity=20)
    users = ResidentFactory.create_batch(40)

    def register(index):
        registration, _created = events.register(
            event=ForumEvent.objects.get(pk=event.pk), user=users[index]
        )
        return registration.status

    outcomes = run_at_once(40, register)

    assert sorted(outcomes) == ["confirmed"] * 20 + ["waiting"] * 20
    event.refresh_from_db()
    assert event.registered_count == 20
    assert EventRegistration.objects.filter(event=event, status="confirmed").count() == 20


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cancellations_at_the_same_time_move_up_each_waiting_person_once():
    event = ForumEventFactory(capacity=6)
    registered = ResidentFactory.create_batch(6)
    waiting = ResidentFactory.create_batch(8)
    for person in registered + waiting:
        events.register(event=event, user=person)

    def cancel(index):
        return str(events.cancel(event=ForumEvent.objects.get(pk=event.pk), user=registered[index]))

    outcomes = run_at_once(6, cancel)

    assert outcomes == ["True"] * 6
    event.refresh_from_db()
    assert event.registered_count == 6
    moved = EventRegistration.objects.filter(
        event=event, status="confirmed", cancelled_at__isnull=True
    )
    assert sorted(moved.values_list("user_id", flat=True)) == sorted(p.pk for p in waiting[:6])
    from foundation.models import OutboxMessage

    promoted_keys = OutboxMessage.objects.filter(dedupe_key__contains=":promoted:")
    assert promoted_keys.count() == 6
