"""The periodic relay's own rules (foundation.outbox.relay_pending, relay_messages): it leaves
messages alone that the hand-over after commit may still deliver, hands over at most 500 per
run, oldest first, and reports what got through, also when the broker fails half-way."""

from __future__ import annotations

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
