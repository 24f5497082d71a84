"""Side effects leave after commit through the outbox (see OutboxMessage).

    enqueue("foundation.tasks.send_email", payload={...}, dedupe_key="...")

writes a row in the caller's transaction. After commit the row is handed to Celery at once;
if the broker is unreachable the row stays (with `last_error`) and the periodic relay
(Celery beat, every minute) retries it. A request never waits more than the broker's socket
timeouts (settings: CELERY_BROKER_TRANSPORT_OPTIONS) and never fails because of the broker.

Guarantees:
- "send once per dedupe_key" is enforced by the database's unique index, not a prior SELECT;
- delivery is at least once: a row is marked dispatched only after the broker accepted it,
  in the same transaction that holds the row lock, so two relays never hand over one row at
  the same time and a crash between hand-over and commit leads to a resend, never a loss.
  Every hand-over uses the same task id (`message_task_id`), so a task can recognise a resend.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many failed hand-overs a message is left for a person to look at (Wagtail admin,
# menu "Operations": last_error, "Relay again"); the periodic relay stops retrying it.
MAX_ATTEMPTS = 20


class BrokerUnavailable(Exception):
    """The broker did not accept a message; nothing else in this relay run will get through."""


@dataclass(frozen=True)
class RelayResult:
    sent: int = 0
    failed: int = 0
    broker_down: bool = False


def enqueue(
    task: str, *, payload: dict[str, Any], dedupe_key: str | None = None
) -> OutboxMessage | None:
    """Queue `task(**payload)` to run after the caller's transaction commits.

    Returns None when `dedupe_key` was used before (the message was queued already).
    """
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                task=task, payload=payload, dedupe_key=dedupe_key
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    # robust: whatever happens while relaying, the caller's response is not affected.
    transaction.on_commit(lambda: relay_message(message.pk), robust=True)
    return message


def enqueue_many(task: str, *, items: list[tuple[dict[str, Any], str]]) -> None:
    """Queue many `task(**payload)` messages, each with its dedupe key, in two queries; after
    commit they are handed over together (`relay_together`). A key used before queues nothing
    new (a message of it still waiting is handed over with the others)."""
    if not items:
        return
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=task, payload=payload, dedupe_key=key) for payload, key in items],
        ignore_conflicts=True,
        batch_size=1000,
    )
    ids = list(
        OutboxMessage.objects.filter(
            dedupe_key__in=[key for _payload, key in items], dispatched_at__isnull=True
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: relay_together(ids), robust=True)


def relay_together(ids: list[int]) -> RelayResult:
    """Hand over many messages in one transaction: one lock, one update for all of them.

    The same guarantees as one by one: a row is marked dispatched only with the broker's
    acceptance, in the transaction that holds its lock; the first failure stops the run and
    is recorded on its row, and whatever is left waits for the periodic relay.
    """
    from contextlib import nullcontext

    from celery import current_app
    from django.db.models import F

    eager = current_app.conf.task_always_eager
    handed: list[int] = []
    error: Exception | None = None
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, dispatched_at__isnull=True)
            .order_by("pk")
        )
        for message in messages:
            try:
                # An eager task that fails must not break this transaction (embedded mode).
                with transaction.atomic() if eager else nullcontext():
                    _hand_over(current_app, message)
            except Exception as exc:
                error = exc
                logger.warning(
                    "Outbox message %s (%s) not relayed: %s", message.pk, message.task, exc
                )
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
                )
                break
            handed.append(message.pk)
        OutboxMessage.objects.filter(pk__in=handed).update(
            attempts=F("attempts") + 1, last_error="", dispatched_at=timezone.now()
        )
    failed = 0 if error is None else 1
    return RelayResult(
        sent=len(handed), failed=failed, broker_down=error is not None and _is_broker_error(error)
    )


def relay_message(message_id: int) -> bool:
    """Hand one message to Celery. Returns False (and keeps the row for a later relay) on failure."""
    try:
        return _relay(message_id)
    except BrokerUnavailable:
        return False


def relay_pending(
    *, older_than: timedelta = timedelta(seconds=30), limit: int = 500
) -> RelayResult:
    """Relay messages that were not handed over after commit (run every minute by Celery beat)."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(
            dispatched_at__isnull=True, created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return relay_messages(ids=ids)


def relay_messages(*, ids: list[int]) -> RelayResult:
    """Relay these messages in this order (the periodic relay, or a person in the admin).

    A message delivered meanwhile counts as sent and is not sent again. Stops at the first
    broker failure, so an outage costs one timeout per run, not one per row.
    """
    sent = failed = 0
    for message_id in ids:
        try:
            if _relay(message_id):
                sent += 1
            else:
                failed += 1
        except BrokerUnavailable:
            return RelayResult(sent=sent, failed=failed + 1, broker_down=True)
    return RelayResult(sent=sent, failed=failed)


def _relay(message_id: int) -> bool:
    from celery import current_app

    with transaction.atomic():
        # skip_locked: a concurrent relay already handles this row (no-op on SQLite,
        # which has one writer at a time anyway).
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, dispatched_at__isnull=True)
            .first()
        )
        if message is None:
            return True
        message.attempts += 1
        try:
            # A savepoint: an eager task that fails must not break this transaction.
            with transaction.atomic():
                _hand_over(current_app, message)
        except Exception as exc:
            error = exc
            logger.warning(
                "Outbox message %s (%s) not relayed, attempt %s: %s",
                message.pk,
                message.task,
                message.attempts,
                exc,
            )
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
        else:
            message.dispatched_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "last_error", "dispatched_at"])
            return True
    # The failure is committed (attempts, last_error) before the caller learns of it.
    if _is_broker_error(error):
        raise BrokerUnavailable(message.last_error) from error
    return False


def message_task_id(message: OutboxMessage) -> str:
    """The Celery task id of a message: the same for every hand-over of it, unique over time."""
    return f"outbox-{message.pk}-{message.created_at:%Y%m%d%H%M%S%f}"


def _hand_over(app: Any, message: OutboxMessage) -> None:
    task_id = message_task_id(message)
    if app.conf.task_always_eager:
        # Embedded mode: run it here and now; the task must be known in this process.
        if message.task not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[message.task].apply_async(kwargs=message.payload, task_id=task_id)
        return
    # send_task needs no local registration (a web process need not import worker modules).
    if message.task not in app.tasks:
        app.loader.import_default_modules()
    if message.task not in app.tasks:
        raise LookupError(f"No task named {message.task!r} is registered.")
    app.send_task(message.task, kwargs=message.payload, task_id=task_id, retry=False)


def _is_broker_error(exc: BaseException) -> bool:
    from kombu.exceptions import OperationalError

    return isinstance(exc, OperationalError | ConnectionError | TimeoutError)
