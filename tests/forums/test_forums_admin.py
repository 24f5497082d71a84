"""Editors and the coordination office create and edit forums and forum events in the Wagtail
admin (menu "Foren"); what holds threads or registrations is not deleted; bad input is
refused with a German message and nothing is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from forums import events
from forums.models import Forum, ForumEvent
from foundation.roles import Role
from tests.foundation.admin_pages import assert_denied
from tests.foundation.factories import ResidentFactory, user_with_role

from .factories import (
    ConsultationFactory,
    ForumEventFactory,
    HandlungsfeldFactory,
    MunicipalityFactory,
    ThreadFactory,
    open_forum,
)

pytestmark = pytest.mark.django_db

EVENTS = "/admin/forums/events/"
FORUMS = "/admin/forums/forums/"


@pytest.fixture
def editor(client):
    user = user_with_role(Role.EDITOR)
    client.force_login(user)
    return user


def event_post(consultation, **extra):
    starts = timezone.localtime(timezone.now() + timedelta(days=14)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    data = {
        "consultation": consultation.pk,
        "number": "3",
        "title": "Forum 3: Gesundheit und Pflege",
        "slug": "forum-3-gesundheit",
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"),
        "venue": "Haus der Region, Saal 1",
        "street_address": "Hildesheimer Straße 18",
        "postal_code": "30169",
        "place": "Hannover",
        "accessibility": "Stufenloser Zugang, Induktionsschleife.",
        "description": "Ziele und Maßnahmen zur Gesundheit.",
        "registration_open": "on",
        "capacity": "40",
        "documentation": "",
        "participants": "",
        "has_waiting_list": "on",
        # the documentation's files (an inline formset): none
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_an_editor_creates_an_event_that_residents_see_with_its_address(client, editor):
    consultation = ConsultationFactory()
    response = client.post(EVENTS + "new/", event_post(consultation))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = ForumEvent.objects.get(slug="forum-3-gesundheit")
    assert event.capacity == 40 and event.registration_open
    with translation.override("de"):
        detail = reverse("forums:event_detail", args=[consultation.slug, event.slug])
    page = client.get(detail).content.decode()
    assert (
        "<address>Haus der Region, Saal 1<br>Hildesheimer Straße 18<br>30169 Hannover</address>"
        in page
    )
    assert "Barrierefreiheit" in page and "Induktionsschleife" in page


def test_the_confirmation_mail_gives_the_address_once(django_capture_on_commit_callbacks):
    hannover = MunicipalityFactory(name="Hannover", slug="hannover")
    event = ForumEventFactory(
        venue="Haus der Region",
        street_address="Hildesheimer Straße 18",
        postal_code="30169",
        place="Hannover",
        municipality=hannover,
        accessibility="Aufzug vorhanden.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.register(event=event, user=ResidentFactory(language="de"))
    body = mail.outbox[-1].body
    assert "Ort: Haus der Region, Hildesheimer Straße 18, 30169 Hannover" in body
    assert "Hannover, Hannover" not in body
    assert "Barrierefreiheit: Aufzug vorhanden." in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "2020-01-01 09:00"}, "Das Ende muss nach dem Beginn liegen."),
        ({"starts_at": "morgen"}, "Bitte ein gültiges Datum und Uhrzeit eingeben."),
        ({"title": ""}, "Dieses Feld muss ausgefüllt werden."),
    ],
)
def test_bad_event_input_is_refused_and_nothing_stored(client, editor, change, message):
    consultation = ConsultationFactory()
    response = client.post(EVENTS + "new/", event_post(consultation, **change))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Hildesheimer Straße 18" in html  # what was typed stays in the form
    assert not ForumEvent.objects.exists()


def test_places_cannot_fall_below_the_registrations(client, editor):
    event = ForumEventFactory(capacity=10)
    for _ in range(3):
        events.register(event=event, user=ResidentFactory())
    data = event_post(event.consultation, slug=event.slug, capacity="2")
    response = client.post(f"{EVENTS}edit/{event.pk}/", data)
    assert response.status_code == 200
    assert "3 Personen haben sich bereits angemeldet" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 10 and event.registered_count == 3
    assert client.post(f"{EVENTS}edit/{event.pk}/", {**data, "capacity": "3"}).status_code == 302
    event.refresh_from_db()
    assert event.capacity == 3


def test_an_event_with_registrations_is_not_deleted(client, editor):
    event = ForumEventFactory()
    events.register(event=event, user=ResidentFactory())
    response = client.post(f"{EVENTS}delete/{event.pk}/", follow=True)
    assert "1 Person ist angemeldet" in response.content.decode()
    assert ForumEvent.objects.filter(pk=event.pk).exists()
    empty = ForumEventFactory()
    client.post(f"{EVENTS}delete/{empty.pk}/")
    assert not ForumEvent.objects.filter(pk=empty.pk).exists()


def test_a_forum_with_threads_is_closed_not_deleted(client, editor):
    forum = open_forum()
    ThreadFactory(forum=forum)
    response = client.post(f"{FORUMS}delete/{forum.pk}/", follow=True)
    assert "Das Forum enthält 1 Diskussion" in response.content.decode()
    assert Forum.objects.filter(pk=forum.pk).exists()
    data = {
        "consultation": forum.consultation.pk,
        "handlungsfeld": forum.handlungsfeld.pk,
        "description": "Geschlossen nach dem Forum.",
    }  # "is_open" unticked
    assert client.post(f"{FORUMS}edit/{forum.pk}/", data).status_code == 302
    forum.refresh_from_db()
    assert not forum.is_open


def test_the_coordination_office_creates_a_forum(client):
    client.force_login(user_with_role(Role.COORDINATION))
    consultation, field = ConsultationFactory(), HandlungsfeldFactory()
    response = client.post(
        FORUMS + "new/",
        {"consultation": consultation.pk, "handlungsfeld": field.pk, "is_open": "on"},
    )
    assert response.status_code == 302
    assert Forum.objects.get(consultation=consultation, handlungsfeld=field).is_open


def test_residents_and_reviewers_cannot_manage_forums(client):
    event = ForumEventFactory()
    for user in (ResidentFactory(), user_with_role(Role.REVIEWER)):
        client.force_login(user)
        for url in (EVENTS, EVENTS + "new/", f"{EVENTS}edit/{event.pk}/", FORUMS):
            assert_denied(client.get(url), url)
        client.post(f"{EVENTS}delete/{event.pk}/")
        assert ForumEvent.objects.filter(pk=event.pk).exists()


def test_registering_follows_an_event_and_its_people_hear_of_a_new_date_once(
    client, editor, django_capture_on_commit_callbacks
):
    from foundation import following
    from foundation.models import Follow, FollowOrigin

    event = ForumEventFactory(capacity=10)
    coming, leaving = ResidentFactory(), ResidentFactory()
    events.register(event=event, user=coming)
    events.register(event=event, user=leaving)
    assert Follow.objects.get(user=coming).origin == FollowOrigin.REGISTERED
    events.cancel(event=event, user=leaving)
    assert not following.is_following(user=leaving, target=event)  # undone with the place
    mail.outbox.clear()

    later = timezone.localtime(event.starts_at + timedelta(days=7)).replace(second=0, microsecond=0)
    data = event_post(
        event.consultation,
        slug=event.slug,
        starts_at=later.strftime("%Y-%m-%d %H:%M"),
        ends_at=(later + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{EVENTS}edit/{event.pk}/", data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # saved again, the same date
        assert client.post(f"{EVENTS}edit/{event.pk}/", data).status_code == 302
    (news,) = [m for m in mail.outbox if m.to == [coming.email]]
    assert "neuen Termin oder Ort" in news.subject
    assert later.strftime("%d.%m.%Y") in news.subject or str(later.day) in news.subject
    assert not [m for m in mail.outbox if m.to == [leaving.email]]
