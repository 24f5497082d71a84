"""Celery tasks of the exports: they take ids, call a service and may run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="consultations.tasks.build_export")
def build_export(*, job_id: int) -> int:
    """Build the export file of one job; a job that is not pending any more is left alone."""
    from .services import export_build

    return export_build(job_id=job_id).row_count
