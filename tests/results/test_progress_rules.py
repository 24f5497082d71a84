"""Progress per measure (0..100 %, dated notes), weights, and the roll-up per goal and field."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from consultations.results import services
from consultations.results.models import ConceptMeasure, ProgressNote
from consultations.results.progress import effective_weight, rolled_up
from consultations.results.thread_selectors import progress_overview

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    UserFactory,
    concept_goal,
    concept_measure,
    concept_version,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

RANGE_DE = "Der Fortschritt muss eine ganze Zahl von 0 bis 100 Prozent sein."
RANGE_EN = "The progress must be a whole number from 0 to 100 per cent."
NOTE_DE = "Bitte beschreiben Sie in einem Fortschrittsvermerk, worauf der neue Fortschritt beruht."
NOTE_EN = "Please describe in a progress note what the new progress is based on."
WEIGHT_DE = "Das Gewicht muss eine ganze Zahl von 1 bis 1000 sein."
WEIGHT_EN = "The weight must be a whole number from 1 to 1000."


@dataclass
class Item:
    progress: int
    weight: int | None = None


# --- The roll-up rule ------------------------------------------------------------------------


def test_unweighted_roll_up_is_the_plain_mean():
    assert rolled_up([Item(0), Item(50), Item(100)]) == 50.0
    assert rolled_up([Item(10), Item(20)]) == 15.0


def test_weighted_roll_up():
    assert rolled_up([Item(100, 3), Item(0, 1)]) == 75.0
    assert rolled_up([Item(100, 2), Item(40)]) == 80.0  # no weight counts as 1


def test_roll_up_rounds_to_one_decimal_and_is_none_when_empty():
    assert rolled_up([Item(0), Item(0), Item(100)]) == 33.3
    assert rolled_up([Item(0), Item(100), Item(100)]) == 66.7
    assert rolled_up([]) is None
    assert rolled_up([Item(0)]) == 0.0


def test_effective_weight():
    assert effective_weight(Item(0)) == 1
    assert effective_weight(Item(0, 7)) == 7


# --- Recording progress ----------------------------------------------------------------------


@pytest.fixture
def measure_world():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(name="Bildung und Sprache")
    department = DepartmentFactory()
    goal = concept_goal(consultation, field, "Sprachförderung ausbauen")
    measure = concept_measure(goal, "Sprachkurse für Eltern", department=department)
    return {
        "consultation": consultation,
        "field": field,
        "goal": goal,
        "measure": measure,
        "coordination": coordination_office_user(),
        "reviewer": reviewer_of(department),
    }


def test_progress_is_recorded_with_a_note_that_remembers_it(measure_world):
    measure = measure_world["measure"]
    note = services.measure_record_progress(
        measure=measure,
        actor=measure_world["reviewer"],
        status="planned",
        progress=25,
        note="  Räume sind gefunden.  ",
    )
    assert measure.progress == 25
    stored = ConceptMeasure.objects.get(pk=measure.pk)
    assert stored.progress == 25
    assert stored.status == "planned"
    assert note.progress_after == 25
    assert note.text == "Räume sind gefunden."
    assert note.status_after == ""


def test_a_note_without_a_progress_change_records_the_current_progress(measure_world):
    measure = measure_world["measure"]
    actor = measure_world["reviewer"]
    services.measure_record_progress(
        measure=measure, actor=actor, status="planned", progress=30, note="Start"
    )
    note = services.measure_record_progress(
        measure=measure, actor=actor, status="in_progress", note="Läuft"
    )
    assert note.progress_after == 30
    assert note.status_after == "in_progress"
    same = services.measure_record_progress(
        measure=measure, actor=actor, status="in_progress", progress=30, note="Weiter so"
    )
    assert same.progress_after == 30
    assert ConceptMeasure.objects.get(pk=measure.pk).progress == 30


@pytest.mark.parametrize("progress", [0, 100])
def test_progress_bounds_are_accepted(measure_world, progress):
    measure = measure_world["measure"]
    if progress == 0:  # 0 is the start: give it a different value first
        services.measure_record_progress(
            measure=measure, actor=measure_world["reviewer"], status="planned", progress=5, note="a"
        )
    note = services.measure_record_progress(
        measure=measure,
        actor=measure_world["reviewer"],
        status="planned",
        progress=progress,
        note="Grenze",
    )
    assert note.progress_after == progress
    assert ConceptMeasure.objects.get(pk=measure.pk).progress == progress


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_out_of_bounds_is_refused_in_german_and_english(measure_world, progress):
    measure = measure_world["measure"]
    with pytest.raises(ValidationError) as german:
        services.measure_record_progress(
            measure=measure,
            actor=measure_world["reviewer"],
            status="in_progress",
            progress=progress,
            note="x",
        )
    assert german.value.message_dict == {"progress": [RANGE_DE]}
    with translation.override("en"), pytest.raises(ValidationError) as english:
        services.measure_record_progress(
            measure=measure,
            actor=measure_world["reviewer"],
            status="in_progress",
            progress=progress,
            note="x",
        )
    assert english.value.message_dict == {"progress": [RANGE_EN]}
    stored = ConceptMeasure.objects.get(pk=measure.pk)
    assert (stored.progress, stored.status) == (0, "planned")
    assert not ProgressNote.objects.exists()


def test_a_progress_change_needs_a_note(measure_world):
    measure = measure_world["measure"]
    for status in ("planned", "in_progress"):
        with pytest.raises(ValidationError) as german:
            services.measure_record_progress(
                measure=measure,
                actor=measure_world["reviewer"],
                status=status,
                progress=10,
                note="   ",
            )
        assert german.value.message_dict == {"note": [NOTE_DE]}
    with translation.override("en"), pytest.raises(ValidationError) as english:
        services.measure_record_progress(
            measure=measure, actor=measure_world["reviewer"], status="planned", progress=10
        )
    assert english.value.message_dict == {"note": [NOTE_EN]}
    stored = ConceptMeasure.objects.get(pk=measure.pk)
    assert (stored.progress, stored.status) == (0, "planned")


def test_unchanged_progress_without_a_note_is_still_nothing_to_save(measure_world):
    with pytest.raises(ValidationError) as error:
        services.measure_record_progress(
            measure=measure_world["measure"],
            actor=measure_world["reviewer"],
            status="planned",
            progress=0,
        )
    assert error.value.messages == [
        "Ändern Sie den Status oder schreiben Sie einen Fortschrittsvermerk."
    ]


def test_status_change_alone_keeps_the_progress(measure_world):
    measure = measure_world["measure"]
    result = services.measure_record_progress(
        measure=measure, actor=measure_world["reviewer"], status="in_progress"
    )
    assert result is None
    assert ConceptMeasure.objects.get(pk=measure.pk).progress == 0


# --- Weights ---------------------------------------------------------------------------------


def test_the_coordination_office_weights_a_measure(measure_world):
    measure = measure_world["measure"]
    returned = services.measure_set_weight(
        actor=measure_world["coordination"], measure=measure, weight=3
    )
    assert returned is measure
    assert ConceptMeasure.objects.get(pk=measure.pk).weight == 3
    services.measure_set_weight(actor=measure_world["coordination"], measure=measure, weight=None)
    assert ConceptMeasure.objects.get(pk=measure.pk).weight is None


@pytest.mark.parametrize(("weight", "ok"), [(0, False), (1, True), (1000, True), (1001, False)])
def test_weight_bounds(measure_world, weight, ok):
    measure = measure_world["measure"]
    if ok:
        services.measure_set_weight(
            actor=measure_world["coordination"], measure=measure, weight=weight
        )
        assert ConceptMeasure.objects.get(pk=measure.pk).weight == weight
        return
    with pytest.raises(ValidationError) as german:
        services.measure_set_weight(
            actor=measure_world["coordination"], measure=measure, weight=weight
        )
    assert german.value.message_dict == {"weight": [WEIGHT_DE]}
    with translation.override("en"), pytest.raises(ValidationError) as english:
        services.measure_set_weight(
            actor=measure_world["coordination"], measure=measure, weight=weight
        )
    assert english.value.message_dict == {"weight": [WEIGHT_EN]}
    assert ConceptMeasure.objects.get(pk=measure.pk).weight is None


def test_a_reviewer_may_not_weight_measures(measure_world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises((PermissionDenied, Http404)):
        services.measure_set_weight(
            actor=measure_world["reviewer"], measure=measure_world["measure"], weight=2
        )
    assert ConceptMeasure.objects.get(pk=measure_world["measure"].pk).weight is None


# --- The staff measure page ------------------------------------------------------------------


def _post(client, measure, **data):
    return client.post(reverse("results:staff_measure", args=[measure.pk]), data)


@pytest.mark.parametrize("value", ["101", "-5", "viel", "12,5"])
def test_staff_page_refuses_bad_progress_and_keeps_the_input(client, measure_world, value):
    client.force_login(measure_world["reviewer"])
    response = _post(
        client,
        measure_world["measure"],
        action="progress",
        status="in_progress",
        progress=value,
        note="Mein ausführlicher Sachstand",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert RANGE_DE in html
    assert f'value="{value}"' in html
    assert "Mein ausführlicher Sachstand" in html
    assert ConceptMeasure.objects.get(pk=measure_world["measure"].pk).status == "planned"


def test_staff_page_refuses_bad_progress_in_english(client, measure_world):
    client.force_login(measure_world["reviewer"])
    with translation.override("en"):
        url = reverse("results:staff_measure", args=[measure_world["measure"].pk])
    response = client.post(
        url,
        {"action": "progress", "status": "planned", "progress": "150", "note": "n"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert RANGE_EN in response.content.decode()


def test_staff_page_refuses_a_progress_change_without_note_keeping_the_input(client, measure_world):
    client.force_login(measure_world["reviewer"])
    response = _post(
        client, measure_world["measure"], action="progress", status="planned", progress="35"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert NOTE_DE in html
    assert 'value="35"' in html


def test_staff_page_records_progress_and_shows_it(client, measure_world):
    client.force_login(measure_world["reviewer"])
    response = _post(
        client,
        measure_world["measure"],
        action="progress",
        status="in_progress",
        progress="60",
        note="Kurse in sechs Kommunen.",
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Fortschritt nach diesem Eintrag: 60 %" in html
    assert 'name="progress" value="60"' in html


def test_staff_page_weight_for_the_coordination_office_only(client, measure_world):
    measure = measure_world["measure"]
    client.force_login(measure_world["reviewer"])
    assert (
        'name="weight"'
        not in client.get(reverse("results:staff_measure", args=[measure.pk])).content.decode()
    )
    assert _post(client, measure, action="weight", weight="4").status_code in (403, 404)
    client.force_login(measure_world["coordination"])
    bad = _post(client, measure, action="weight", weight="0")
    assert bad.status_code == 400
    assert WEIGHT_DE in bad.content.decode()
    assert 'value="0"' in bad.content.decode()
    assert _post(client, measure, action="weight", weight="4").status_code == 302
    assert ConceptMeasure.objects.get(pk=measure.pk).weight == 4


# --- Roll-up on the monitoring page ----------------------------------------------------------


@pytest.fixture
def rollup_world():
    consultation = ConsultationFactory()
    coordination = coordination_office_user()
    education = HandlungsfeldFactory(name="Bildung und Sprache", number=4)
    work = HandlungsfeldFactory(name="Wirtschaft und Arbeit", number=5)
    goal_a = concept_goal(consultation, education, "Ziel A")
    goal_b = concept_goal(consultation, education, "Ziel B")
    goal_c = concept_goal(consultation, work, "Ziel C")
    measures = {}
    for name, goal, progress in [
        ("a1", goal_a, 100),
        ("a2", goal_a, 0),
        ("b1", goal_b, 45),
        ("c1", goal_c, 15),
        ("c2", goal_c, 20),
    ]:
        measure = concept_measure(goal, f"Maßnahme {name}")
        if progress:
            services.measure_record_progress(
                measure=measure,
                actor=coordination,
                status="in_progress",
                progress=progress,
                note=f"Stand {name}",
            )
        measures[name] = measure
    return {
        "consultation": consultation,
        "coordination": coordination,
        "measures": measures,
    }


def _field(overview, name):
    return next(f for f in overview.fields if f.handlungsfeld.name == name)


def test_roll_up_per_goal_and_field_unweighted(rollup_world):
    overview = progress_overview(rollup_world["consultation"])
    education = _field(overview, "Bildung und Sprache")
    assert [goal.progress for goal in education.goals] == [50.0, 45.0]
    assert education.progress == 48.3  # (100 + 0 + 45) / 3
    assert _field(overview, "Wirtschaft und Arbeit").progress == 17.5
    assert overview.progress == 36.0  # (100 + 0 + 45 + 15 + 20) / 5
    assert not overview.is_weighted


def test_roll_up_per_goal_and_field_weighted(rollup_world):
    coordination = rollup_world["coordination"]
    services.measure_set_weight(
        actor=coordination, measure=rollup_world["measures"]["a1"], weight=3
    )
    services.measure_set_weight(
        actor=coordination, measure=rollup_world["measures"]["c2"], weight=4
    )
    overview = progress_overview(rollup_world["consultation"])
    education = _field(overview, "Bildung und Sprache")
    assert education.goals[0].progress == 75.0  # (100·3 + 0·1) / 4
    assert education.progress == 69.0  # (300 + 0 + 45) / 5
    assert _field(overview, "Wirtschaft und Arbeit").progress == 19.0  # (15 + 80) / 5
    assert overview.is_weighted


def _bar_widths(html: str) -> list[str]:
    return re.findall(r'class="progress-bar__fill" x="0" y="0" width="([^"]+)"', html)


def test_monitoring_page_draws_progress_bars_with_plain_numbers_in_german(client, rollup_world):
    url = reverse("results:monitoring", args=[rollup_world["consultation"].slug])
    german = client.get(url).content.decode()
    widths = _bar_widths(german)
    # total, per field, per goal, per measure (roll-up section), then the measure table.
    assert widths[:1] == ["36"]
    assert "48.3" in widths
    assert "17.5" in widths
    assert "50" in widths and "45" in widths
    assert all("," not in width for width in widths)
    assert all(0 <= float(width) <= 100 for width in widths)
    assert "48 %" in german  # the text next to the bar: whole per cent
    with translation.override("en"):
        english_url = reverse("results:monitoring", args=[rollup_world["consultation"].slug])
    english = client.get(english_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _bar_widths(english) == widths
    assert "Progress of the implementation" in english


def test_monitoring_links_published_measures_only(client, rollup_world):
    measures = rollup_world["measures"]
    concept_version(rollup_world["consultation"], [measures["a1"], measures["b1"]])
    html = client.get(
        reverse("results:monitoring", args=[rollup_world["consultation"].slug])
    ).content.decode()
    for name in ("a1", "b1"):
        assert (
            reverse(
                "results:measure_detail",
                args=[rollup_world["consultation"].slug, measures[name].pk],
            )
            in html
        )
    assert (
        reverse(
            "results:measure_detail", args=[rollup_world["consultation"].slug, measures["a2"].pk]
        )
        not in html
    )


def test_monitoring_page_query_count_does_not_grow_with_measures(
    client, rollup_world, django_assert_max_num_queries
):
    url = reverse("results:monitoring", args=[rollup_world["consultation"].slug])
    with django_assert_max_num_queries(15):
        client.get(url)
    goal = rollup_world["measures"]["a1"].goal
    extra = [concept_measure(goal, f"Weitere {index}") for index in range(60)]
    concept_version(rollup_world["consultation"], extra)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_residents_cannot_record_progress(client, measure_world):
    client.force_login(UserFactory())
    response = _post(
        client,
        measure_world["measure"],
        action="progress",
        status="planned",
        progress="50",
        note="n",
    )
    assert response.status_code in (403, 404)
    assert ConceptMeasure.objects.get(pk=measure_world["measure"].pk).progress == 0
