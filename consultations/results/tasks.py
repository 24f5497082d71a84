from __future__ import annotations

from celery import shared_task

from foundation.actors import SYSTEM

from . import services


@shared_task(name="results.tasks.notify_publication")
def notify_publication(*, proposal_id: int) -> int:
    return services.notify_publication(proposal_id=proposal_id)


@shared_task(name="results.tasks.generate_report", soft_time_limit=600)
def generate_report(*, run_id: int) -> str | None:
    run = services.report_generate(run_id=run_id)
    return run.status if run else None


@shared_task(name="results.tasks.schedule_half_yearly_reports")
def schedule_half_yearly_reports() -> list[int]:
    """Celery beat, on 1 January and 1 July: queue the report for the half-year just ended."""
    return [run.pk for run in services.reports_schedule(actor=SYSTEM)]
