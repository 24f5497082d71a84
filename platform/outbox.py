"""Side effects leave after commit through the outbox (see OutboxMessage).

    enqueue("foundation.tasks.send_email", payload={...}, dedupe_key="...")

writes a row in the caller's transaction. After commit the row is handed to Celery at once;
if the broker is unreachable the row stays and the periodic relay (Celery beat) retries it.
A dedupe_key that was used before makes enqueue a no-op: "notify once" is enforced by the
database's unique index, not by a prior SELECT.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task: str, *, payload: dict[str, Any], dedupe_key: str | None = None) -> OutboxMessage | None:
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(task=task, payload=payload, dedupe_key=dedupe_key)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    transaction.on_commit(lambda: relay_message(message.pk))
    return message


def relay_message(message_id: int) -> bool:
    """Hand one message to Celery. Returns False (and keeps the row) if that failed."""
    from celery import current_app

    message = OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).first()
    if message is None:
        return True
    claimed = OutboxMessage.objects.filter(pk=message.pk, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:  # another relay took it
        return True
    try:
        current_app.tasks[message.task].apply_async(kwargs=message.payload, retry=False)
    except Exception as exc:  # broker down, unknown task: keep the row for the next relay
        logger.warning("Outbox message %s not relayed: %s", message.pk, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None, last_error=str(exc)[:2000])
        return False
    return True


def relay_pending(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Relay messages that were not handed over after commit. Returns how many were sent."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for message_id in ids if relay_message(message_id))
