"""Forum events: lists, registration with capacity, cancelling, confirmation, participant list."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone, translation

from forums import events
from forums.models import EventRegistration, ForumEvent

from .factories import (
    ForumEventFactory,
    MunicipalityFactory,
    ResidentFactory,
    UserFactory,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db


def url(name, event):
    with translation.override("en"):
        return reverse(name, args=[event.consultation.slug, event.slug])


def test_list_separates_upcoming_and_past(client):
    upcoming = ForumEventFactory(title="Forum 1: Bildung (Demo)")
    past = ForumEventFactory(
        consultation=upcoming.consultation,
        title="Forum 3: Geflüchtete",
        starts_at=timezone.now() - timedelta(days=700),
        ends_at=None,
        participants=120,
        documentation="Protokoll der Arbeitsgruppen.",
        registration_open=False,
    )
    with translation.override("en"):
        page = client.get(
            reverse("forums:event_list", args=[upcoming.consultation.slug])
        ).content.decode()
    assert (
        page.index("Upcoming events")
        < page.index(upcoming.title)
        < page.index("Past events")
        < page.index(past.title)
    )
    assert "about 120 people" in page
    assert (
        f'datetime="{timezone.localtime(past.starts_at).isoformat()}"' in page
        or "<time datetime=" in page
    )
    detail = client.get(url("forums:event_detail", past)).content.decode()
    assert "Protokoll der Arbeitsgruppen." in detail
    assert "registration is closed" not in detail  # past events show no registration box


def test_register_and_cancel(client, django_capture_on_commit_callbacks):
    event = ForumEventFactory(capacity=2)
    user = ResidentFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("forums:event_register", event))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.registered_count == 1
    assert mail.outbox[-1].to == [user.email]
    assert event.title in mail.outbox[-1].subject
    client.post(url("forums:event_register", event))  # twice: still one registration
    assert EventRegistration.objects.filter(event=event, cancelled_at__isnull=True).count() == 1
    page = client.get(url("forums:event_detail", event)).content.decode()
    assert "Cancel my registration" in page

    client.post(url("forums:event_cancel", event))
    event.refresh_from_db()
    assert event.registered_count == 0
    assert EventRegistration.objects.get().cancelled_at is not None
    client.post(url("forums:event_register", event))  # registering again after cancelling works
    event.refresh_from_db()
    assert event.registered_count == 1 and EventRegistration.objects.count() == 2


def test_full_event_without_waiting_list_refuses_with_a_message(client):
    event = ForumEventFactory(capacity=1, has_waiting_list=False)
    events.register(event=event, user=ResidentFactory())
    client.force_login(ResidentFactory())
    response = client.post(url("forums:event_register", event), follow=True)
    assert "fully booked" in response.content.decode()
    event.refresh_from_db()
    assert event.registered_count == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_open": False}, "not open"),
        ({"starts_at": timezone.now() - timedelta(days=2), "ends_at": None}, "taken place"),
    ],
)
def test_closed_registration(change, message):
    event = ForumEventFactory(**change)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        events.register(event=event, user=ResidentFactory())
    assert message in refused.value.messages[0]
    assert not EventRegistration.objects.exists()


def test_unverified_and_visitors_cannot_register(client):
    event = ForumEventFactory()
    response = client.post(url("forums:event_register", event))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(UserFactory())
    page = client.post(url("forums:event_register", event), follow=True).content.decode()
    assert "confirm your e-mail address" in page
    assert not EventRegistration.objects.exists()


def test_database_refuses_overbooking():
    from django.db import IntegrityError, transaction

    event = ForumEventFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ForumEvent.objects.filter(pk=event.pk).update(registered_count=2)


def test_participant_list_and_csv_for_the_coordination_office(client):
    event = ForumEventFactory()
    laatzen = MunicipalityFactory(name="Laatzen", slug="laatzen")
    events.register(
        event=event,
        user=ResidentFactory(
            display_name="=Aylin K.", municipality=laatzen, email="aylin@example.org"
        ),
    )
    events.register(event=event, user=ResidentFactory(display_name="Jonas"))

    client.force_login(ResidentFactory())
    assert client.get(url("forums:event_participants", event)).status_code == 403
    assert client.get(url("forums:event_participants_csv", event)).status_code == 403

    client.force_login(coordination_office_user())
    page = client.get(url("forums:event_participants", event)).content.decode()
    assert "=Aylin K." in page and "Laatzen" in page and "Jonas" in page
    assert "aylin@example.org" not in page
    response = client.get(url("forums:event_participants_csv", event))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=Aylin K.;Laatzen" in body  # formula injection neutralised
    assert "aylin@example.org" not in body
    assert len(body.strip().splitlines()) == 3


# --- Concurrency on PostgreSQL ----------------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_people_for_ten_places_get_exactly_ten():
    """Without a waiting list the other ten are refused (with one, test_event_waiting_list)."""
    event = ForumEventFactory(capacity=10, has_waiting_list=False)
    users = ResidentFactory.create_batch(20)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def attempt(index):
        try:
            barrier.wait(timeout=30)
            events.register(event=ForumEvent.objects.get(pk=event.pk), user=users[index])
            outcomes.append("registered")
        except ValidationError:
            outcomes.append("full")
        except Exception as exc:  # anything else is a failure of the test
            outcomes.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(outcomes) == ["full"] * 10 + ["registered"] * 10
    event.refresh_from_db()
    assert event.registered_count == 10
    assert EventRegistration.objects.filter(event=event, cancelled_at__isnull=True).count() == 10


def test_the_register_button_is_not_the_account_sign_up(client):
    """Signing up for the site reads "Registrieren"; an event place is taken with its own words."""
    event = ForumEventFactory(capacity=5)
    client.force_login(ResidentFactory())
    with translation.override("de"):
        detail = reverse("forums:event_detail", args=[event.consultation.slug, event.slug])
    page = client.get(detail).content.decode()
    assert '<button type="submit">Zur Veranstaltung anmelden</button>' in page
    assert ">Registrieren</button>" not in page


def test_the_main_menu_links_the_forums_and_the_surveys(client):
    page = client.get("/foren/").content.decode()
    menu = page.split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]
    assert '<a href="/foren/" aria-current="page">Foren</a>' in menu
    assert '<a href="/umfragen/">Umfragen</a>' in menu


def test_the_event_page_lists_the_proposals_that_came_from_it(client):
    from tests.consultations.factories import ProposalFactory

    event = ForumEventFactory()
    ProposalFactory(consultation=event.consultation, source_event=event, title="Lernpatenschaften")
    ProposalFactory(
        consultation=event.consultation, source_event=event, title="Versteckt", is_hidden=True
    )
    ProposalFactory(consultation=event.consultation, title="Ohne Bezug")
    page = client.get(url("forums:event_detail", event)).content.decode()
    assert "Proposals from this event" in page
    assert "Lernpatenschaften" in page
    assert "Versteckt" not in page and "Ohne Bezug" not in page


def test_the_event_page_links_its_venue_on_the_map_without_a_map_script(client):
    event = ForumEventFactory(
        venue="Haus der Region", street_address="Hildesheimer Straße 18", postal_code="30169"
    )
    page = client.get(url("forums:event_detail", event)).content.decode()
    link = re.search(r'href="(https://www\.openstreetmap\.org/search\?query=[^"]+)"', page)
    assert link is not None
    assert "Hildesheimer+Stra%C3%9Fe+18" in link.group(1) and "30169" in link.group(1)
    assert "openstreetmap" not in "".join(re.findall(r"<script[^>]*>", page))
    without_street = ForumEventFactory(street_address="")
    assert (
        "openstreetmap"
        not in client.get(url("forums:event_detail", without_street)).content.decode()
    )
