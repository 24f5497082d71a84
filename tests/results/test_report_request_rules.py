"""Asking for the half-yearly report (results.services.report_request): the period must make
sense and lie in the past, the schedule asks once per period, a person each time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations.results import services
from consultations.results.models import ConceptMeasure, ReportRun
from foundation.actors import SYSTEM
from foundation.models import OutboxMessage

from .factories import (
    ConsultationFactory,
    HandlungsfeldFactory,
    concept_goal,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db


def refused(**kwargs) -> dict:
    with translation.override("de"), pytest.raises(ValidationError) as refusal:
        services.report_request(actor=coordination_office_user(), **kwargs)
    return refusal.value.message_dict


def test_a_period_that_ends_at_or_before_its_start_is_refused():
    consultation = ConsultationFactory()
    start = timezone.now() - timedelta(days=10)

    for end in (start, start - timedelta(seconds=1)):
        assert refused(consultation=consultation, period_start=start, period_end=end) == {
            "period_end": ["Das Ende des Zeitraums muss nach seinem Beginn liegen."]
        }
    assert not ReportRun.objects.exists()


def test_a_period_in_the_future_is_refused_but_a_minute_of_clock_skew_is_allowed():
    consultation = ConsultationFactory()
    start = timezone.now() - timedelta(days=10)

    assert refused(
        consultation=consultation,
        period_start=start,
        period_end=timezone.now() + timedelta(minutes=2),
    ) == {"period_end": ["Ein Bericht kann keinen Zeitraum in der Zukunft abdecken."]}
    run = services.report_request(
        actor=coordination_office_user(),
        consultation=consultation,
        period_start=start,
        period_end=timezone.now() + timedelta(seconds=50),
    )
    assert run.pk is not None


def test_the_schedule_asks_once_per_period_and_a_person_each_time():
    consultation = ConsultationFactory()
    end = timezone.now() - timedelta(days=1)
    start = end - timedelta(days=100)
    office = coordination_office_user()

    first = services.report_request(
        actor=SYSTEM, consultation=consultation, period_start=start, period_end=end
    )
    again = services.report_request(
        actor=SYSTEM, consultation=consultation, period_start=start, period_end=end
    )
    by_hand = services.report_request(
        actor=office, consultation=consultation, period_start=start, period_end=end
    )

    assert again.pk == first.pk and first.requested_by is None
    assert by_hand.pk != first.pk and by_hand.requested_by == office
    queued = OutboxMessage.objects.filter(task="results.tasks.generate_report")
    assert sorted(m.payload["run_id"] for m in queued) == sorted([first.pk, by_hand.pk])
    assert sorted(m.dedupe_key for m in queued) == sorted(
        [f"results-report:{first.pk}", f"results-report:{by_hand.pk}"]
    )


def test_the_schedule_reports_the_half_year_before_the_given_moment_for_each_concept():
    with_concept, without = ConsultationFactory(), ConsultationFactory()
    goal = concept_goal(with_concept, HandlungsfeldFactory())
    # A measure whose id is the id of the consultation without a concept: ids are not mixed up.
    ConceptMeasure.objects.create(
        pk=without.pk,
        goal=goal,
        consultation=with_concept,
        handlungsfeld=goal.handlungsfeld,
        number=1,
        text="Maßnahme",
        published_at=timezone.now(),
    )
    moment = timezone.make_aware(datetime(2025, 9, 15, 12, 0))

    runs = services.reports_schedule(actor=SYSTEM, now=moment)

    assert [(run.consultation, run.period_end) for run in runs] == [
        (with_concept, timezone.make_aware(datetime(2025, 7, 1)))
    ]
