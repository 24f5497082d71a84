"""The forums' tasks: they call a service and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="forums.tasks.send_event_reminders")
def send_event_reminders() -> int:
    """Celery beat, daily (settings: CELERY_BEAT_SCHEDULE["forums-event-reminders"])."""
    from .reminders import send_event_reminders as remind

    return remind()
