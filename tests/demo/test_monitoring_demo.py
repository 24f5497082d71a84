"""The demo's monitoring of the 2016 measures: alive, marked as demo, texts as printed."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from consultations.results.models import (
    ConceptMeasure,
    Indicator,
    MeasureStatusChange,
    ProgressNote,
)
from consultations.results.thread_selectors import measure_public_url
from demo.loader import load_demo, read_data
from demo.steps import HISTORIC_CONSULTATION_SLUG

DATA = read_data()


@pytest.fixture
def loaded(db):
    return load_demo(log=lambda message: None)


def test_monitoring_shows_a_spread_of_statuses_and_progress(loaded):
    measures = ConceptMeasure.objects.filter(consultation__slug=HISTORIC_CONSULTATION_SLUG)
    assert measures.count() == 144
    statuses = Counter(measures.values_list("status", flat=True))
    assert set(statuses) == {"planned", "in_progress", "done", "deferred"}
    assert all(count >= 5 for count in statuses.values())
    progress = set(measures.filter(status="in_progress").values_list("progress", flat=True))
    assert len(progress) > 10
    assert all(0 < value < 100 for value in progress)
    assert set(measures.filter(status="done").values_list("progress", flat=True)) == {100}
    assert set(measures.filter(status="planned").values_list("progress", flat=True)) == {0}
    assert not measures.filter(department__isnull=True).exists()
    assert measures.filter(weight__isnull=False).exists()


def test_every_note_and_indicator_is_marked_as_demo_and_dated(loaded):
    notes = ProgressNote.objects.filter(measure__consultation__slug=HISTORIC_CONSULTATION_SLUG)
    assert notes.count() > 100
    assert all(text.startswith("(Demo) ") for text in notes.values_list("text", flat=True))
    assert all(note.progress_after is not None for note in notes)
    assert len({note.created_at.date() for note in notes}) > 5
    done = ConceptMeasure.objects.filter(
        consultation__slug=HISTORIC_CONSULTATION_SLUG, status="done"
    )
    for measure in done:  # "umgesetzt" always comes with a note
        assert measure.progress_notes.filter(status_after="done").exists()
    assert MeasureStatusChange.objects.filter(
        measure__consultation__slug=HISTORIC_CONSULTATION_SLUG
    ).exists()
    indicators = Indicator.objects.filter(consultation__slug=HISTORIC_CONSULTATION_SLUG)
    assert indicators.count() >= 3
    for indicator in indicators:
        assert indicator.name.endswith("(Demo)")
        assert indicator.values.count() >= 6  # several half-years


def test_the_concept_texts_stay_as_printed(loaded):
    for field in DATA["handlungsfelder"]:
        for goal in field.get("annex") or []:
            for row in goal["measures"]:
                measure = ConceptMeasure.objects.get(
                    consultation__slug=HISTORIC_CONSULTATION_SLUG,
                    handlungsfeld__slug=field["slug"],
                    number=row["number"],
                )
                assert measure.text == row["text"].strip()
                assert measure.goal.title == goal["goal"].strip()


def test_demo_measure_pages_and_monitoring_render_in_german(client, loaded):
    measure = ConceptMeasure.objects.filter(
        consultation__slug=HISTORIC_CONSULTATION_SLUG, status="done"
    ).first()
    response = client.get(measure_public_url(measure))
    assert response.status_code == 200
    assert "(Demo)" in response.content.decode()
    html = client.get(
        reverse("results:monitoring", args=[HISTORIC_CONSULTATION_SLUG])
    ).content.decode()
    widths = re.findall(r'class="progress-bar__fill" x="0" y="0" width="([^"]+)"', html)
    assert len(widths) >= 1 + 8 + 37 + 50  # total, fields, goals, a page of measures
    assert all(re.fullmatch(r"\d+(\.\d)?", width) for width in widths)
    for polyline in re.findall(r'<polyline points="([^"]+)"', html):
        assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)*", polyline)
