"""The invitations' tasks: they take ids, call a service and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import importing, mailing


@shared_task(name="surveys.invitations.tasks.import_recipients")
def import_recipients(*, import_id: int) -> str:
    return importing.run_import(import_id=import_id).status


@shared_task(name="surveys.invitations.tasks.send_mailing")
def send_mailing(*, mailing_id: int) -> int:
    return mailing.run_mailing(mailing_id=mailing_id).sent


@shared_task(name="surveys.invitations.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Celery beat, daily (settings: CELERY_BEAT_SCHEDULE["surveys-reminders"])."""
    return mailing.send_due_reminders()
