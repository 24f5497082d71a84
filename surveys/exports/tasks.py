"""Celery tasks of the survey exports: they take ids, call a service and may run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="surveys.tasks.build_survey_export")
def build_survey_export(*, job_id: int) -> int:
    """Build the file of one export job; a job that is not pending any more is left alone."""
    from .services import export_build

    return export_build(job_id=job_id).row_count
