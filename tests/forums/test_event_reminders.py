"""Registration codes, the online-meeting link and the reminder the day before, as the
participant gets them: on the page, in the mails, in the calendar file."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone, translation
from icalendar import Calendar

from forums import events
from forums.models import EventRegistration, ForumEvent
from forums.reminders import send_event_reminders

from .factories import ForumEventFactory, MunicipalityFactory, ResidentFactory, en

pytestmark = pytest.mark.django_db

ONLINE = "https://meet.example.org/forum-2?pwd=geheim"
TODAY = date(2030, 5, 13)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def detail_url(event: ForumEvent) -> str:
    return en("forums:event_detail", event.consultation.slug, event.slug)


def mails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def site_path(url: str) -> str:
    assert url.startswith(settings.SITE_URL.rstrip("/")), url
    return url[len(settings.SITE_URL.rstrip("/")) :]


# --- registration codes ---------------------------------------------------------------------------


def test_each_registration_gets_a_short_code_without_look_alikes():
    event = ForumEventFactory(capacity=None)
    codes = [events.register(event=event, user=ResidentFactory())[0].code for _ in range(30)]

    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code) for code in codes), codes
    assert len(set(codes)) == 30


def test_a_code_is_unique_per_event_and_a_clash_draws_another(monkeypatch):
    event, other = ForumEventFactory(capacity=None), ForumEventFactory(capacity=None)
    taken = events.register(event=event, user=ResidentFactory())[0].code
    # The same code at another event is fine ...
    drawn = iter([taken, taken, "ZZZZ2222"])
    monkeypatch.setattr(events, "new_code", lambda: next(drawn))
    assert events.register(event=other, user=ResidentFactory())[0].code == taken
    # ... at the same event the database refuses it and the service draws again.
    assert events.register(event=event, user=ResidentFactory())[0].code == "ZZZZ2222"
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRegistration.objects.create(event=event, user=ResidentFactory(), code=taken)


def test_the_code_is_on_the_page_in_the_message_and_in_the_confirmation(
    client, django_capture_on_commit_callbacks
):
    event = ForumEventFactory()
    person = ResidentFactory(language="en")
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            en("forums:event_register", event.consultation.slug, event.slug), follow=True
        )

    registration = EventRegistration.objects.get(user=person)
    page = response.content.decode()
    assert f"Your registration code is {registration.display_code}." in page
    assert f'<strong class="registration-code">{registration.display_code}</strong>' in page
    [confirmation] = mails_to(person)
    assert f"Your registration code: {registration.display_code}" in confirmation.body
    # Somebody registered does not need the free places any more.
    assert "places left" not in page


# --- the online-meeting link ----------------------------------------------------------------------


def test_the_online_link_is_only_for_confirmed_participants(client):
    event = ForumEventFactory(capacity=1, online_url=ONLINE)
    registered, waiting = ResidentFactory(), ResidentFactory()
    events.register(event=event, user=registered)
    events.register(event=event, user=waiting)

    public = client.get(detail_url(event)).content.decode()
    client.force_login(waiting)
    on_the_list = client.get(detail_url(event)).content.decode()
    client.force_login(registered)
    participant = client.get(detail_url(event)).content.decode()
    ics = client.get(en("forums:event_ics", event.consultation.slug, event.slug)).content

    assert "You can also take part online; registered participants receive the link." in public
    assert "meet.example.org" not in public
    assert "meet.example.org" not in on_the_list
    assert f'<a href="{ONLINE}" rel="noopener noreferrer">' in participant.replace("&amp;", "&")
    assert b"meet.example.org" not in ics  # the calendar file is public


# --- the reminder the day before --------------------------------------------------------------------


def tomorrow_event(**kwargs) -> ForumEvent:
    starts = timezone.make_aware(datetime(2030, 5, 14, 10, 0))
    return ForumEventFactory(
        title="Forum 2: Wirtschaft und Arbeit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        venue="Rathaus Laatzen, Ratssaal",
        street_address="Marktplatz 13",
        postal_code="30880",
        place="Laatzen",
        municipality=MunicipalityFactory(name="Laatzen", slug="laatzen"),
        online_url=ONLINE,
        **kwargs,
    )


def test_the_reminder_reaches_each_confirmed_participant_once_with_what_they_need(
    client, django_capture_on_commit_callbacks
):
    event = tomorrow_event(capacity=2)
    coming, cancelled, also = (ResidentFactory(language="en") for _ in range(3))
    waiting = ResidentFactory(language="en")
    for person in (coming, cancelled, also, waiting):
        events.register(event=event, user=person)  # `also` and `waiting` wait at first
    events.cancel(event=event, user=cancelled)  # ... and `also` moves up
    later = ForumEventFactory(starts_at=event.starts_at + timedelta(days=1), capacity=None)
    events.register(event=later, user=ResidentFactory())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_event_reminders(today=TODAY) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_event_reminders(today=TODAY) == 0  # beat fired twice: nothing more

    assert sorted(m.to[0] for m in mail.outbox) == sorted([coming.email, also.email])
    [reminder] = mails_to(coming)
    registration = EventRegistration.objects.get(user=coming)
    assert reminder.subject == "Tomorrow: Forum 2: Wirtschaft und Arbeit"
    assert "takes place tomorrow, May 14, 2030, 10 a.m." in reminder.body
    assert "Place: Rathaus Laatzen, Ratssaal, Marktplatz 13, 30880 Laatzen" in reminder.body
    assert f"Taking part online: {ONLINE}" in reminder.body
    assert f"Your registration code: {registration.display_code}" in reminder.body
    assert registration.reminded_at is not None

    # The calendar link gives the event, the cancel link the page with the cancel button.
    ics = re.search(r"For your calendar: (\S+)", reminder.body).group(1)
    [entry] = Calendar.from_ical(client.get(site_path(ics)).content).walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    cancel = re.search(r"take your place: (\S+)#registration", reminder.body).group(1)
    client.force_login(coming)
    page = client.get(site_path(cancel)).content.decode()
    assert "Cancel my registration" in page and 'id="registration"' in page


def test_no_reminder_for_the_waiting_list_the_cancelled_or_other_days(
    django_capture_on_commit_callbacks,
):
    event = tomorrow_event(capacity=1)
    registered, waiting = ResidentFactory(), ResidentFactory()
    events.register(event=event, user=registered)
    events.register(event=event, user=waiting)
    events.cancel(event=event, user=registered)  # `waiting` moves up, `registered` is out
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_event_reminders(today=TODAY - timedelta(days=1)) == 0
        assert send_event_reminders(today=TODAY + timedelta(days=1)) == 0
        assert send_event_reminders(today=TODAY) == 1

    assert [m.to for m in mail.outbox] == [[waiting.email]]


def test_a_participant_already_reminded_is_not_reminded_by_another_run():
    """What a second beat sees when the first has claimed the registration: nothing to do;
    and even a second send of the same reminder is stopped by the outbox key."""
    from foundation.models import Notification, OutboxMessage

    event = tomorrow_event(capacity=None)
    person = ResidentFactory()
    registration, _created = events.register(event=event, user=person)
    EventRegistration.objects.filter(pk=registration.pk).update(reminded_at=timezone.now())

    assert send_event_reminders(today=TODAY) == 0
    assert not Notification.objects.filter(recipient=person, title__startswith="Tomorrow").exists()

    from forums.reminders import _remind

    _remind(registration=registration, event=event)
    _remind(registration=registration, event=event)
    assert (
        OutboxMessage.objects.filter(
            dedupe_key=f"forums:reminder:{registration.pk}:{person.pk}"
        ).count()
        == 1
    )


def test_beat_runs_the_reminders_daily(settings):
    from forums.tasks import send_event_reminders as task

    entry = settings.CELERY_BEAT_SCHEDULE["forums-event-reminders"]
    assert entry["task"] == "forums.tasks.send_event_reminders" == task.name
    assert entry["schedule"].hour == {settings.EVENT_REMINDER_HOUR}
    assert task.run() == 0


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_the_same_time_remind_each_participant_once():
    from foundation.models import Notification, OutboxMessage

    event = tomorrow_event(capacity=None)
    people = ResidentFactory.create_batch(12, language="en")
    for person in people:
        events.register(event=event, user=person)
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def beat():
        try:
            barrier.wait(timeout=30)
            sent.append(send_event_reminders(today=TODAY))
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=beat) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sum(sent) == 12
    assert OutboxMessage.objects.filter(dedupe_key__startswith="forums:reminder:").count() == 12
    reminders = Notification.objects.filter(title__startswith="Tomorrow")
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
