"""Celery finds an app's tasks in `<app>.tasks`: the surveys' live in their sub-packages."""

from __future__ import annotations

from celery import shared_task

from .exports.tasks import build_survey_export
from .invitations.tasks import import_recipients, send_due_reminders, send_mailing


@shared_task(name="surveys.tasks.apply_retention")
def apply_retention() -> list[int]:
    """Daily (beat): delete or anonymise the responses of surveys whose period has passed."""
    from .retention import apply_due_retention

    return [result.survey_id for result in apply_due_retention()]


__all__ = [
    "apply_retention",
    "build_survey_export",
    "import_recipients",
    "send_due_reminders",
    "send_mailing",
]
