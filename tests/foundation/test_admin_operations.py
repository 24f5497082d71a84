"""The menu "Operations" of the Wagtail admin: the outbox (with "Relay again"), notifications and
Celery beat's periodic tasks, for the people who run the platform; read-only for everyone."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from foundation import outbox
from foundation.models import OutboxMessage
from foundation.roles import Role

from .admin_pages import assert_denied, relay_url, shown_messages, text_of
from .factories import (
    MunicipalityFactory,
    NotificationFactory,
    ResidentFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/operations/outbox/"


def mail_message(to: str, **fields) -> OutboxMessage:
    payload = {"to": [to], "subject": "Ihr Vorschlag", "body": "Guten Tag"}
    return OutboxMessage.objects.create(
        task="foundation.tasks.send_email", payload=payload, **fields
    )


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_the_outbox_shows_what_waits_and_why(operator):
    stuck = mail_message(
        "wartet@example.org", attempts=outbox.MAX_ATTEMPTS, last_error="OperationalError: refused"
    )
    mail_message("ok@example.org", attempts=1, dispatched_at=timezone.now())

    given_up = operator.get(OUTBOX, {"status": "given_up"})
    assert given_up.status_code == 200
    assert given_up.context["page_obj"].paginator.count == 1
    assert "OperationalError: refused" in text_of(given_up)
    assert relay_url([stuck], next_url="").split("&next")[0] in given_up.content.decode().replace(
        "&amp;", "&"
    )

    details = operator.get(f"{OUTBOX}inspect/{stuck.pk}/")
    assert details.status_code == 200
    assert "wartet@example.org" in text_of(details)


def test_nobody_adds_or_edits_an_outbox_message_by_hand(operator):
    message = mail_message("a@example.org")
    for url in (f"{OUTBOX}new/", f"{OUTBOX}edit/{message.pk}/"):
        assert_denied(operator.get(url), url)
    assert "/admin/operations/outbox/new/" not in operator.get(OUTBOX).content.decode()


def test_relaying_again_delivers_a_message_the_relay_gave_up_on_and_never_a_delivered_one(operator):
    stuck = mail_message(
        "wartet@example.org", attempts=outbox.MAX_ATTEMPTS, last_error="OperationalError"
    )
    delivered = mail_message("schon@example.org", attempts=1, dispatched_at=timezone.now())

    page = operator.get(relay_url([stuck, delivered]))
    assert page.status_code == 200
    response = operator.post(relay_url([stuck, delivered]), follow=True)

    assert response.redirect_chain[-1][0] == OUTBOX
    assert [message.to for message in mail.outbox] == [["wartet@example.org"]]
    stuck.refresh_from_db()
    assert stuck.dispatched_at is not None and stuck.last_error == ""
    assert len(shown_messages(response)) == 1


def test_a_message_that_fails_again_is_reported_and_kept(operator):
    broken = OutboxMessage.objects.create(
        task="foundation.tasks.no_such_task", payload={}, attempts=3
    )

    response = operator.post(relay_url([broken]), follow=True)

    broken.refresh_from_db()
    assert broken.dispatched_at is None and broken.attempts == 4
    assert "no_such_task" in broken.last_error
    assert len(shown_messages(response)) == 1


@pytest.mark.parametrize("role", [Role.COORDINATION, Role.EDITOR])
def test_staff_roles_do_not_see_the_operations(client, role):
    message = mail_message("a@example.org")
    client.force_login(user_with_role(role))
    for url in (
        OUTBOX,
        "/admin/operations/notifications/",
        "/admin/operations/periodic-tasks/",
        relay_url([message]),
    ):
        assert_denied(client.get(url), url)
    assert_denied(client.post(relay_url([message])), "relay")
    message.refresh_from_db()
    assert message.attempts == 0
    assert "/admin/operations/" not in client.get("/admin/").content.decode()


def test_notifications_are_found_by_recipient_and_filtered_by_unread(
    operator, django_assert_max_num_queries
):
    anna = ResidentFactory(email="anna@example.org")
    NotificationFactory(recipient=anna, title="Ihr Vorschlag wird geprüft")
    NotificationFactory(recipient=anna, title="Schon angesehen", read_at=timezone.now())
    NotificationFactory.create_batch(30)

    with django_assert_max_num_queries(25):
        listing = operator.get("/admin/operations/notifications/")
    assert listing.status_code == 200

    found = operator.get("/admin/operations/notifications/", {"q": "anna@example.org"})
    assert found.context["page_obj"].paginator.count == 2
    unread = operator.get(
        "/admin/operations/notifications/", {"q": "anna@example.org", "unread": "true"}
    )
    assert "Ihr Vorschlag wird geprüft" in text_of(unread) and "Schon angesehen" not in text_of(
        unread
    )


def test_the_periodic_tasks_show_what_beat_runs(operator):
    every_minute, _created = IntervalSchedule.objects.get_or_create(
        every=60, period=IntervalSchedule.SECONDS
    )
    task = PeriodicTask.objects.create(
        name="foundation-outbox-relay", task="foundation.tasks.relay_outbox", interval=every_minute
    )

    listing = operator.get("/admin/operations/periodic-tasks/")
    assert "foundation.tasks.relay_outbox" in text_of(listing)
    assert operator.get(f"/admin/operations/periodic-tasks/inspect/{task.pk}/").status_code == 200
    url = f"/admin/operations/periodic-tasks/edit/{task.pk}/"
    assert_denied(operator.get(url), url)


@pytest.mark.parametrize(
    "url",
    [
        OUTBOX,
        "/admin/operations/notifications/",
        "/admin/operations/periodic-tasks/",
        "/admin/users/",
    ],
)
def test_every_list_costs_the_same_for_5_and_50_rows(operator, url):
    def rows(start, count):
        for n in range(start, start + count):
            recipient = ResidentFactory(municipality=MunicipalityFactory())
            NotificationFactory(recipient=recipient)
            mail_message(f"{n}@example.org")
            PeriodicTask.objects.create(
                name=f"task-{n}",
                task="foundation.tasks.relay_outbox",
                interval=IntervalSchedule.objects.get_or_create(
                    every=n + 1, period=IntervalSchedule.SECONDS
                )[0],
            )

    rows(0, 5)
    operator.get(url)
    with CaptureQueriesContext(connection) as few:
        assert operator.get(url).status_code == 200
    rows(5, 45)
    with CaptureQueriesContext(connection) as many:
        assert operator.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), url
