"""Celery finds the tasks of an app in `<app>.tasks`: the consultations' live in its sub-packages."""

from .exports.tasks import build_export

__all__ = ["build_export"]
