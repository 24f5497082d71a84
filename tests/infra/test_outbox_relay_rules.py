"""The periodic relay's own rules (foundation.outbox.relay_pending, relay_messages): it leaves
messages alone that the hand-over after commit may still deliver, hands over at most 500 per
run, oldest first, and reports what got through, also when the broker fails half-way."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from foundation import outbox
from foundation.models import OutboxMessage

pytestmark = pytest.mark.django_db

SEND_EMAIL = "foundation.tasks.send_email"


def queued(to: str, *, age_seconds: int) -> OutboxMessage:
    """A message whose hand-over after commit did not happen (the test's transaction never
    commits), created `age_seconds` ago."""
    message = outbox.enqueue(SEND_EMAIL, payload={"to": [to], "subject": "Hallo", "body": "Text"})
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=age_seconds)
    )
    return message


def test_the_periodic_relay_leaves_a_message_younger_than_half_a_minute(embedded_celery):
    old = queued("alt@example.org", age_seconds=60)
    new = queued("neu@example.org", age_seconds=5)

    assert outbox.relay_pending() == outbox.RelayResult(sent=1, failed=0)

    assert [m.to for m in mail.outbox] == [["alt@example.org"]]
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.dispatched_at is not None
    assert new.dispatched_at is None and new.attempts == 0


def test_one_relay_run_hands_over_at_most_500_messages_the_oldest_first(embedded_celery):
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            task=SEND_EMAIL,
            payload={"to": [f"p{n}@example.org"], "subject": "Hallo", "body": "Text"},
        )
        for n in range(501)
    )
    ids = list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))
    OutboxMessage.objects.update(created_at=now - timedelta(minutes=10))
    # the first row created is the youngest
    OutboxMessage.objects.filter(pk=ids[0]).update(created_at=now - timedelta(minutes=5))

    assert outbox.relay_pending() == outbox.RelayResult(sent=500, failed=0)

    assert len(mail.outbox) == 500
    assert "p0@example.org" not in {address for m in mail.outbox for address in m.to}
    assert OutboxMessage.objects.get(pk=ids[0]).dispatched_at is None


def test_relaying_again_counts_each_failed_message_once(embedded_celery):
    unknown = [
        OutboxMessage.objects.create(task="foundation.tasks.no_such_task", payload={})
        for _ in range(3)
    ]

    result = outbox.relay_messages(ids=[m.pk for m in unknown])

    assert result == outbox.RelayResult(sent=0, failed=3, broker_down=False)


def test_a_broker_failure_half_way_still_reports_what_got_through(broker_down):
    delivered = queued("schon@example.org", age_seconds=60)
    OutboxMessage.objects.filter(pk=delivered.pk).update(dispatched_at=timezone.now())
    waiting = queued("wartet@example.org", age_seconds=60)

    result = outbox.relay_messages(ids=[delivered.pk, waiting.pk])

    assert result == outbox.RelayResult(sent=1, failed=1, broker_down=True)
    waiting.refresh_from_db()
    assert waiting.dispatched_at is None and waiting.attempts == 1


def test_a_single_relay_reports_a_broker_that_is_down(broker_down):
    message = queued("spaeter@example.org", age_seconds=0)

    assert outbox.relay_message(message.pk) is False

    message.refresh_from_db()
    assert message.dispatched_at is None and "OperationalError" in message.last_error


class Kept(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_a_failed_hand_over_is_logged_for_the_operators(embedded_celery):
    message = OutboxMessage.objects.create(task="foundation.tasks.no_such_task", payload={})
    logger, kept = logging.getLogger("foundation.outbox"), Kept()
    logger.addHandler(kept)
    try:
        outbox.relay_messages(ids=[message.pk])
    finally:
        logger.removeHandler(kept)

    message.refresh_from_db()
    assert [r.getMessage() for r in kept.records] == [
        f"Outbox message {message.pk} (foundation.tasks.no_such_task) not relayed, attempt 1: "
        f"{message.last_error.split(': ', 1)[1]}"
    ]


def test_the_error_kept_with_a_message_is_cut_at_2000_characters(embedded_celery):
    """A task that refuses its arguments with a very long complaint (here: a 3,000-character
    argument name) leaves the first 2,000 characters for the admin's "last error"."""
    message = OutboxMessage.objects.create(task=SEND_EMAIL, payload={"x" * 3000: 1})

    assert outbox.relay_messages(ids=[message.pk]) == outbox.RelayResult(sent=0, failed=1)

    message.refresh_from_db()
    assert message.last_error.startswith("TypeError: ")
    assert len(message.last_error) == 2000


def test_an_unknown_task_is_named_in_the_error_kept_with_the_message(broker_in_memory):
    message = OutboxMessage.objects.create(task="foundation.tasks.no_such_task", payload={})

    outbox.relay_messages(ids=[message.pk])

    message.refresh_from_db()
    assert message.last_error == (
        "LookupError: No task named 'foundation.tasks.no_such_task' is registered."
    )


def test_the_broker_receives_the_payload_as_the_tasks_arguments(broker_in_memory):
    from kombu import Connection

    message = queued("an@example.org", age_seconds=60)

    assert outbox.relay_messages(ids=[message.pk]).sent == 1

    with Connection("memory://") as connection:
        queue = connection.SimpleQueue("celery")
        received = queue.get(timeout=1)
        received.ack()
        queue.close()
    _args, kwargs, _embed = received.decode()
    assert kwargs == {"to": ["an@example.org"], "subject": "Hallo", "body": "Text"}


# --- Many at once (the digests' e-mails) ------------------------------------------------------


def many(count: int, prefix: str) -> list[tuple[dict, str]]:
    return [
        ({"to": [f"{prefix}{n}@example.org"], "subject": "Hallo", "body": "Text"}, f"{prefix}:{n}")
        for n in range(count)
    ]


def test_many_messages_are_queued_once_per_key_and_handed_over_together(
    embedded_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue_many(SEND_EMAIL, items=many(3, "a"))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue_many(SEND_EMAIL, items=many(4, "a"))  # three keys known, one new
    assert sorted(m.to[0] for m in mail.outbox) == [f"a{n}@example.org" for n in range(4)]
    assert OutboxMessage.objects.filter(dispatched_at__isnull=False).count() == 4
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_relaying_together_with_the_broker_down_keeps_every_message_for_later(broker_down):
    outbox.enqueue_many(SEND_EMAIL, items=many(3, "b"))  # the test never commits: not handed over
    ids = list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))

    result = outbox.relay_together(ids)

    assert result == outbox.RelayResult(sent=0, failed=1, broker_down=True)
    first, *rest = OutboxMessage.objects.order_by("pk")
    assert first.attempts == 1 and "OperationalError" in first.last_error
    assert all(m.attempts == 0 and m.dispatched_at is None for m in rest)
    assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 3


def test_relaying_together_skips_what_is_dispatched_already(broker_in_memory):
    outbox.enqueue_many(SEND_EMAIL, items=many(3, "c"))
    ids = list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk=ids[0]).update(dispatched_at=timezone.now())

    assert outbox.relay_together(ids) == outbox.RelayResult(sent=2, failed=0)
    assert outbox.relay_together(ids) == outbox.RelayResult(sent=0, failed=0)
