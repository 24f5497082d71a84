from __future__ import annotations

from celery import shared_task


@shared_task(name="review.tasks.send_overdue_reminders")
def send_overdue_reminders() -> int:
    """Daily (Celery beat, REVIEW_REMINDER_HOUR): remind departments of overdue reviews.

    Safe to run twice a day: the outbox's dedupe key holds the date.
    """
    from .services import send_overdue_reminders as remind

    return remind()


@shared_task(name="review.tasks.notify_correction")
def notify_correction(*, change_id: int) -> int:
    """Tell the author and supporters of a corrected assessment (queued by the correction)."""
    from .amendments import notify_correction as notify

    return notify(change_id=change_id)


@shared_task(name="review.tasks.import_assessments")
def import_assessments(*, job_id: int) -> str:
    """Check and save one uploaded assessment file; a job that is not waiting is left alone."""
    from .transfer import import_run

    return import_run(job_id=job_id).status
