"""Generating a half-yearly report (results.services.report_generate, the worker's job): the
files' names, a run generated once, a failure kept with its error and the run claimable again."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from consultations.results import services
from consultations.results.models import ReportRun, ReportStatus

from .factories import ConsultationFactory, HandlungsfeldFactory, concept_goal, concept_measure

pytestmark = pytest.mark.django_db


def queued_run(slug: str = "integrationskonzept-hannover") -> ReportRun:
    consultation = ConsultationFactory(slug=slug)
    concept_measure(concept_goal(consultation, HandlungsfeldFactory()), "Sprachkurse anbieten")
    end = timezone.make_aware(datetime(2026, 7, 1, 0, 0))
    return ReportRun.objects.create(
        consultation=consultation, period_start=end - timedelta(days=181), period_end=end
    )


def test_a_report_is_generated_once_with_files_named_after_the_consultation_and_its_end():
    run = queued_run()

    done = services.report_generate(run_id=run.pk)
    again = services.report_generate(run_id=run.pk)

    stem = "halbjahresbericht-integrationskonzept-hannover-2026-07-01"
    assert done.status == ReportStatus.DONE and done.error == ""
    assert done.pdf.name.rsplit("/", 1)[-1].startswith(stem) and done.pdf.name.endswith(".pdf")
    assert done.xlsx.name.rsplit("/", 1)[-1].startswith(stem) and done.xlsx.name.endswith(".xlsx")
    assert done.finished_at is not None and done.duration_ms >= 1  # rendering takes milliseconds
    stored = ReportRun.objects.get(pk=run.pk)
    assert (stored.pdf.name, stored.xlsx.name, stored.status) == (
        done.pdf.name,
        done.xlsx.name,
        ReportStatus.DONE,
    )
    assert again.finished_at == done.finished_at  # not generated a second time


def test_a_failed_run_keeps_its_error_is_logged_and_can_be_generated_again(settings, tmp_path):
    run = queued_run()
    blocked = tmp_path / "kein-ordner"
    blocked.write_text("")  # the media folder is a file: nothing can be saved below it
    settings.MEDIA_ROOT = blocked

    logger, kept = logging.getLogger("consultations.results.services"), []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = kept.append
    logger.addHandler(handler)
    try:
        failed = services.report_generate(run_id=run.pk)
    finally:
        logger.removeHandler(handler)

    assert failed.status == ReportStatus.FAILED and "kein-ordner" in failed.error
    assert ReportRun.objects.get(pk=run.pk).error == failed.error
    assert [r.getMessage() for r in kept] == [f"Report run {run.pk} failed"]

    settings.MEDIA_ROOT = tmp_path / "media"
    retried = services.report_generate(run_id=run.pk)
    assert retried.status == ReportStatus.DONE and retried.error == ""


def test_an_unknown_run_is_nothing_to_generate():
    assert services.report_generate(run_id=987654) is None


def test_generating_one_run_leaves_the_other_queued_runs_to_their_own_turn():
    first, second = queued_run("erste-konsultation"), queued_run("zweite-konsultation")

    services.report_generate(run_id=first.pk)

    assert ReportRun.objects.get(pk=second.pk).status == ReportStatus.QUEUED
    assert services.report_generate(run_id=second.pk).status == ReportStatus.DONE
