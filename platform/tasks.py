from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import outbox


@shared_task(name="foundation.tasks.relay_outbox")
def relay_outbox() -> int:
    return outbox.relay_pending()


@shared_task(
    name="foundation.tasks.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(*, to: list[str], subject: str, body: str, html: str = "") -> int:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task(name="foundation.tasks.ping")
def ping(*, value: str = "pong") -> str:
    """Round trip used by /healthz-style checks and the real-worker test."""
    return value
