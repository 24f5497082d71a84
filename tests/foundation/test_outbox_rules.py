"""Mail is sent once: each layer that keeps a message from going out twice, on its own.

1. the de-duplication key: enqueueing (or notifying) with a key used before queues nothing;
2. the relay: a message that was handed over is not handed over again;
3. the task: a message handed over twice (a crash between hand-over and commit, a broker's
   redelivery) under its one task id mails once (a mark in the cache).
Each test below leaves the other layers out of play, so that removing one layer fails a test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache

from foundation import outbox
from foundation.models import Notification, OutboxMessage
from foundation.notifications import Message, notify
from tests.foundation.factories import ResidentFactory

pytestmark = pytest.mark.django_db

SEND_EMAIL = "foundation.tasks.send_email"


def payload(to: str = "einmal@example.org") -> dict:
    return {"to": [to], "subject": "Ihr Vorschlag wurde bewertet", "body": "Das Ergebnis."}


def test_the_same_key_enqueued_twice_sends_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue(SEND_EMAIL, payload=payload(), dedupe_key="bewertung:7")
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox.enqueue(SEND_EMAIL, payload=payload(), dedupe_key="bewertung:7")
    outbox.relay_pending(older_than=timedelta(0))

    assert first is not None and second is None
    assert [message.to for message in mail.outbox] == [["einmal@example.org"]]


def test_the_same_key_twice_in_one_transaction_sends_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(SEND_EMAIL, payload=payload(), dedupe_key="bewertung:8")
        outbox.enqueue(SEND_EMAIL, payload=payload(), dedupe_key="bewertung:8")

    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(dedupe_key="bewertung:8").count() == 1


def test_different_keys_and_no_key_are_never_merged(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(SEND_EMAIL, payload=payload("a@example.org"), dedupe_key="bewertung:1")
        outbox.enqueue(SEND_EMAIL, payload=payload("b@example.org"), dedupe_key="bewertung:2")
        outbox.enqueue(SEND_EMAIL, payload=payload("c@example.org"))
        outbox.enqueue(SEND_EMAIL, payload=payload("c@example.org"))

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "c@example.org",
    ]


def test_notify_with_the_same_key_mails_each_recipient_once(django_capture_on_commit_callbacks):
    anna, ben = ResidentFactory(), ResidentFactory()
    message = Message(kind="proposal_result", title="Ergebnis veröffentlicht", url="/de/")

    for _round in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=anna, message=message, dedupe_key="ergebnis:42")
            notify(recipient=ben, message=message, dedupe_key="ergebnis:42")

    # The key is per recipient: both hear once, neither twice.
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [anna.email, ben.email]
    )


def test_notify_without_a_key_mails_every_time(django_capture_on_commit_callbacks):
    anna = ResidentFactory()
    message = Message(kind="forum_reply", title="Neue Antwort", url="/de/")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=anna, message=message)
        notify(recipient=anna, message=message)

    assert [m.to for m in mail.outbox] == [[anna.email], [anna.email]]
    assert Notification.objects.filter(recipient=anna).count() == 2


def test_a_relayed_message_is_not_relayed_again(django_capture_on_commit_callbacks):
    """No key involved, and the task's sent mark gone with the cache (Redis restarted): the
    relay itself remembers what it handed over."""
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(SEND_EMAIL, payload=payload())
    assert len(mail.outbox) == 1
    cache.clear()

    # The periodic relay and a person pressing "relay again" find it delivered.
    assert outbox.relay_pending(older_than=timedelta(0)).sent == 0
    assert outbox.relay_messages(ids=[message.pk, message.pk]).sent == 2  # counted as delivered

    assert len(mail.outbox) == 1


def test_a_message_handed_over_twice_mails_once(django_capture_on_commit_callbacks):
    """No key, no relay bookkeeping: the worker crashed after sending, before the row was
    marked; the relay hands the same row over again under the same task id."""
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(SEND_EMAIL, payload=payload())
    assert len(mail.outbox) == 1
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None)

    assert outbox.relay_messages(ids=[message.pk]).sent == 1

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 2
