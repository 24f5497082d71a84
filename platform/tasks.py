"""Tasks of the foundation. They take plain values (ids, addresses), and are safe to run twice."""

from __future__ import annotations

import dataclasses
import platform
import socket
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives

from . import following, outbox

# How long a sent outbox e-mail is remembered, so a redelivered task does not mail twice.
SENT_MARK_SECONDS = 7 * 24 * 60 * 60


@shared_task(name="foundation.tasks.relay_outbox")
def relay_outbox() -> dict[str, int | bool]:
    """Hand over outbox messages that the after-commit relay could not (Celery beat, every minute)."""
    return dataclasses.asdict(outbox.relay_pending())


@shared_task(
    bind=True,
    name="foundation.tasks.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(
    self,
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    headers: dict[str, str] | None = None,
) -> int:
    # Outbox messages carry a task id "outbox-..."; with acks_late a task can be delivered
    # again after a worker crash, and the mark keeps that from mailing the recipient twice.
    task_id = self.request.id or ""
    sent_mark = f"foundation:sent:{task_id}" if task_id.startswith("outbox-") else None
    if sent_mark and cache.get(sent_mark):
        return 0
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    if sent_mark:
        cache.set(sent_mark, 1, SENT_MARK_SECONDS)
    return sent


@shared_task(name="foundation.tasks.deliver_news")
def deliver_news(*, news_id: int) -> int:
    """Tell the followers who chose "at once" (queued by following.record; safe twice)."""
    return following.deliver(news_id=news_id)


@shared_task(name="foundation.tasks.send_digests")
def send_digests(*, frequency: str) -> int:
    """Celery beat: queue the daily or weekly digests of the period just ended, one task per
    batch of followers (safe twice: the outbox keys, then the Digest rows)."""
    return following.schedule_digests(frequency=frequency)


@shared_task(name="foundation.tasks.send_digest_batch")
def send_digest_batch(*, user_ids: list[int], frequency: str, end: str) -> dict[str, int]:
    return following.send_digest_batch(
        user_ids=user_ids, frequency=frequency, end=datetime.fromisoformat(end)
    )


@shared_task(name="foundation.tasks.ping")
def ping(*, value: str = "pong") -> str:
    """Round trip used by the real-worker tests and by operators (`celery call`)."""
    return value


@shared_task(name="foundation.tasks.worker_info")
def worker_info() -> dict[str, str]:
    """What the worker runs on; proves that `platform` is the standard library in the worker."""
    return {
        "python": platform.python_version(),
        "platform_module": platform.__file__ or "",
        "hostname": socket.gethostname(),
    }
