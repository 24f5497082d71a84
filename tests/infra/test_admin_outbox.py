"""Relaying outbox messages again from the admin while the broker is down: one attempt, a clear
message, every message kept."""

from __future__ import annotations

import time

import pytest

from foundation.models import OutboxMessage
from tests.foundation.admin_pages import relay_url, shown_messages
from tests.foundation.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_relaying_with_the_broker_down_stops_at_the_first_failure(client, broker_down):
    client.force_login(UserFactory(is_superuser=True))
    messages = [
        OutboxMessage.objects.create(
            task="foundation.tasks.send_email", payload={"to": [f"{n}@example.org"]}
        )
        for n in range(5)
    ]

    started = time.perf_counter()
    response = client.post(relay_url(messages), follow=True)
    elapsed = time.perf_counter() - started

    assert elapsed < 5, f"the admin waited {elapsed:.1f}s for the broker"
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=False).exists()
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0, 0, 0, 0, 1]
    assert len(shown_messages(response)) == 1
