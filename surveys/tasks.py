"""Celery finds the tasks of an app in `<app>.tasks`: the surveys' live in its sub-packages."""

from .invitations.tasks import import_recipients, send_due_reminders, send_mailing

__all__ = ["import_recipients", "send_due_reminders", "send_mailing"]
