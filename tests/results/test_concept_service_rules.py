"""Rules of the concept's own services (consultations.results.services): wordings are required,
goals are numbered per consultation and field, indicators belong somewhere, values are never
recorded for the future, and the half-yearly report's period. German messages, as the
coordination office reads them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations.results import services
from consultations.results.models import ConceptMeasure, ReportRun, ReportStatus
from foundation.actors import SYSTEM

from .factories import (
    ConsultationFactory,
    HandlungsfeldFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db


def german_refusal(call, **kwargs):
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value


def berlin(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


# --- goals and measures ---------------------------------------------------------------------


def test_a_goal_and_a_measure_need_a_wording():
    consultation, field = ConsultationFactory(), HandlungsfeldFactory()
    goal = concept_goal(consultation, field)

    assert german_refusal(
        services.goal_create,
        actor=SYSTEM,
        consultation=consultation,
        handlungsfeld=field,
        title=" ",
    ).messages == ["Ein Ziel braucht einen Wortlaut."]
    assert german_refusal(services.measure_create, actor=SYSTEM, goal=goal, text="  ").messages == [
        "Eine Maßnahme braucht einen Wortlaut."
    ]


def test_goals_are_appended_per_consultation_and_field_from_one():
    consultation, field, other_field = (
        ConsultationFactory(),
        HandlungsfeldFactory(),
        HandlungsfeldFactory(),
    )
    other_consultation = ConsultationFactory()
    concept_goal(other_consultation, field)
    concept_goal(other_consultation, field)
    concept_goal(consultation, other_field)

    first = concept_goal(consultation, field)
    second = concept_goal(consultation, field)

    assert (first.position, second.position) == (1, 2)


def test_a_measure_is_published_when_created_unless_the_annex_says_when():
    goal = concept_goal(ConsultationFactory(), HandlungsfeldFactory())
    annex = berlin(2025, 11, 20, 9, 0)
    before = timezone.now()

    now = services.measure_create(actor=SYSTEM, goal=goal, text="Elternkurse")
    imported = services.measure_create(
        actor=SYSTEM, goal=goal, text="Sprachcafés", published_at=annex
    )

    assert now.published_at >= before
    assert imported.published_at == annex


# --- indicators -----------------------------------------------------------------------------


def test_an_indicator_belongs_to_a_measure_or_a_field_of_this_consultation():
    office = coordination_office_user()
    consultation = ConsultationFactory()
    foreign = concept_measure(concept_goal(ConsultationFactory(), HandlungsfeldFactory()))

    assert german_refusal(
        services.indicator_create, actor=office, consultation=consultation, name="Kurse"
    ).messages == ["Ein Indikator gehört zu einer Maßnahme oder zu einem Handlungsfeld."]
    assert german_refusal(
        services.indicator_create,
        actor=office,
        consultation=consultation,
        name="Kurse",
        measure=foreign,
    ).messages == ["Die Maßnahme gehört zu einem anderen Beteiligungsverfahren."]


def test_an_indicator_of_a_measure_takes_the_measures_field_and_keeps_its_texts_trimmed():
    office = coordination_office_user()
    field = HandlungsfeldFactory()
    measure = concept_measure(concept_goal(ConsultationFactory(), field))

    indicator = services.indicator_create(
        actor=office,
        consultation=measure.consultation,
        name=" Kurse ",
        measure=measure,
        handlungsfeld=HandlungsfeldFactory(),
        unit=" Anzahl ",
        description=" Kurse im Jahr ",
    )
    plain = services.indicator_create(
        actor=office, consultation=measure.consultation, name="Teilnehmende", handlungsfeld=field
    )

    assert indicator.handlungsfeld == field
    assert (indicator.name, indicator.unit, indicator.description) == (
        "Kurse",
        "Anzahl",
        "Kurse im Jahr",
    )
    assert (plain.unit, plain.description) == ("", "")


def test_values_are_recorded_for_today_or_earlier_never_for_tomorrow():
    office = coordination_office_user()
    field = HandlungsfeldFactory()
    indicator = services.indicator_create(
        actor=office, consultation=ConsultationFactory(), name="Kurse", handlungsfeld=field
    )
    today = timezone.localdate()

    refused = german_refusal(
        services.indicator_value_set,
        actor=office,
        indicator=indicator,
        on=today + timedelta(days=1),
        value=Decimal("3"),
    )
    recorded = services.indicator_value_set(
        actor=office, indicator=indicator, on=today, value=Decimal("3")
    )

    assert refused.message_dict == {
        "date": ["Werte können nur für heute oder früher erfasst werden."]
    }
    assert (recorded.date, recorded.value, recorded.note) == (today, Decimal("3"), "")


# --- the half-yearly report -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "boundary"),
    [
        (berlin(2026, 7, 15, 10, 20, 30, 500), berlin(2026, 7, 1)),
        (berlin(2026, 7, 1, 0, 0), berlin(2026, 7, 1)),
        (berlin(2026, 6, 30, 23, 59, 59), berlin(2026, 1, 1)),
        (berlin(2026, 3, 10, 8, 0), berlin(2026, 1, 1)),
        (berlin(2026, 12, 31, 23, 0), berlin(2026, 7, 1)),
    ],
)
def test_the_half_year_starts_on_1_january_or_1_july_at_midnight_local_time(now, boundary):
    assert services.half_year_boundary(now) == boundary


def test_a_report_starts_where_the_last_finished_one_ended():
    consultation = ConsultationFactory()
    before = timezone.now()
    ReportRun.objects.create(
        consultation=consultation,
        period_start=before - timedelta(days=400),
        period_end=before - timedelta(days=200),
        status=ReportStatus.DONE,
    )
    ReportRun.objects.create(  # failed: does not count
        consultation=consultation,
        period_start=before - timedelta(days=200),
        period_end=before - timedelta(days=10),
        status=ReportStatus.FAILED,
    )
    ReportRun.objects.create(  # another consultation's
        consultation=ConsultationFactory(),
        period_start=before - timedelta(days=200),
        period_end=before - timedelta(days=5),
        status=ReportStatus.DONE,
    )

    assert services.default_period_start(consultation, before) == before - timedelta(days=200)


def test_a_first_report_starts_just_before_the_first_measure_of_this_consultation():
    consultation = ConsultationFactory()
    goal = concept_goal(consultation, HandlungsfeldFactory())
    measure = concept_measure(goal)
    first = berlin(2026, 2, 1, 12, 0)
    ConceptMeasure.objects.filter(pk=measure.pk).update(created_at=first)
    concept_measure(concept_goal(ConsultationFactory(), HandlungsfeldFactory()))
    ConceptMeasure.objects.exclude(pk=measure.pk).update(created_at=berlin(2025, 1, 1))

    assert services.default_period_start(consultation, berlin(2026, 6, 1)) == first - timedelta(
        seconds=1
    )


def test_without_an_earlier_measure_a_report_covers_the_half_year_before():
    consultation = ConsultationFactory()
    measure = concept_measure(concept_goal(consultation, HandlungsfeldFactory()))
    before = berlin(2026, 6, 1)
    ConceptMeasure.objects.filter(pk=measure.pk).update(created_at=before)  # not earlier

    assert services.default_period_start(consultation, before) == before - timedelta(days=183)
    assert services.default_period_start(ConsultationFactory(), before) == before - timedelta(
        days=183
    )


def test_recording_a_value_again_for_the_same_day_replaces_it():
    office = coordination_office_user()
    indicator = services.indicator_create(
        actor=office,
        consultation=ConsultationFactory(),
        name="Kurse",
        handlungsfeld=HandlungsfeldFactory(),
    )
    day = date(2026, 1, 15)
    services.indicator_value_set(actor=office, indicator=indicator, on=day, value=Decimal("1"))
    again = services.indicator_value_set(
        actor=office, indicator=indicator, on=day, value=Decimal("2"), note=" korrigiert "
    )

    assert (again.value, again.note) == (Decimal("2"), "korrigiert")
    assert indicator.values.count() == 1


# --- implementation progress ----------------------------------------------------------------


def test_progress_needs_a_valid_status_and_a_change_or_a_note():
    office = coordination_office_user()
    measure = concept_measure(concept_goal(ConsultationFactory(), HandlungsfeldFactory()))

    assert german_refusal(
        services.measure_record_progress, measure=measure, actor=office, status="vielleicht"
    ).message_dict == {"status": ["Wählen Sie einen gültigen Umsetzungsstand."]}
    assert german_refusal(
        services.measure_record_progress, measure=measure, actor=office, status=measure.status
    ).messages == ["Ändern Sie den Status oder schreiben Sie einen Fortschrittsvermerk."]


def test_a_status_change_is_stamped_and_its_note_records_the_new_status_and_author():
    office = coordination_office_user()
    measure = concept_measure(concept_goal(ConsultationFactory(), HandlungsfeldFactory()))
    at = berlin(2026, 4, 2, 10, 0)

    note = services.measure_record_progress(
        measure=measure, actor=office, status="in_progress", note=" Kurse laufen ", at=at
    )
    plain = services.measure_record_progress(
        measure=measure, actor=office, status="in_progress", note="Zweiter Kurs", at=at
    )
    silent = services.measure_record_progress(measure=measure, actor=office, status="planned")

    stored = ConceptMeasure.objects.get(pk=measure.pk)
    assert (stored.status, measure.status) == ("planned", "planned")
    assert stored.status_changed_at is not None and stored.status_changed_at > at
    assert (note.text, note.status_after, note.author) == ("Kurse laufen", "in_progress", office)
    assert plain.status_after == ""  # no change: the note says nothing about the status
    assert silent is None


# --- renumbering a field --------------------------------------------------------------------


def _measure(goal, number: int, text: str) -> ConceptMeasure:
    return services.measure_create(actor=SYSTEM, goal=goal, text=text, number=number)


def test_renumbering_closes_the_gaps_in_goal_order_and_keeps_the_order_within_a_goal():
    consultation, field = ConsultationFactory(), HandlungsfeldFactory()
    first_goal = concept_goal(consultation, field, "Erstes Ziel")
    second_goal = concept_goal(consultation, field, "Zweites Ziel")
    _measure(second_goal, 1, "Zum zweiten Ziel")
    _measure(first_goal, 7, "Später nummeriert, früher angelegt")
    _measure(first_goal, 3, "Früher nummeriert, später angelegt")
    # Neither another consultation in the same field nor another field of this one moves.
    _measure(concept_goal(ConsultationFactory(), field), 5, "Andere Konsultation")
    _measure(concept_goal(consultation, HandlungsfeldFactory()), 9, "Anderes Handlungsfeld")

    renumbered = services.renumber_field(
        actor=coordination_office_user(), consultation=consultation, handlungsfeld=field
    )

    assert renumbered == 3
    assert dict(ConceptMeasure.objects.values_list("text", "number")) == {
        "Früher nummeriert, später angelegt": 1,
        "Später nummeriert, früher angelegt": 2,
        "Zum zweiten Ziel": 3,
        "Andere Konsultation": 5,
        "Anderes Handlungsfeld": 9,
    }


def test_renumbering_a_field_without_measures_renumbers_none():
    assert (
        services.renumber_field(
            actor=coordination_office_user(),
            consultation=ConsultationFactory(),
            handlungsfeld=HandlungsfeldFactory(),
        )
        == 0
    )
