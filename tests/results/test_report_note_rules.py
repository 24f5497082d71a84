"""A measure becomes "umgesetzt" or "zurückgestellt" only with a progress note that explains it
(results.services.measure_record_progress), and the texts of the report
(results.services.report_narrative_save): who may write them, what is kept, the limits."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from consultations.results import services
from consultations.results.models import (
    ConceptMeasure,
    MeasureStatusChange,
    ProgressNote,
    ReportFieldNarrative,
    ReportNarrative,
)
from foundation.actors import SYSTEM

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

DE = {
    "done": "Bitte schreiben Sie einen Fortschrittsvermerk: Eine Maßnahme kann nur zusammen mit "
    "einem Vermerk, der es erläutert, als „Umgesetzt“ markiert werden.",
    "deferred": "Bitte schreiben Sie einen Fortschrittsvermerk: Eine Maßnahme kann nur zusammen "
    "mit einem Vermerk, der es erläutert, als „Zurückgestellt“ markiert werden.",
}
EN = {
    "done": "Please write a progress note: a measure can only be marked as “Implemented” "
    "together with a note that explains it.",
    "deferred": "Please write a progress note: a measure can only be marked as “Deferred” "
    "together with a note that explains it.",
}


@pytest.fixture
def measure():
    department = DepartmentFactory(name="Team Schule")
    goal = concept_goal(ConsultationFactory(), HandlungsfeldFactory(), "Sprache fördern")
    return concept_measure(goal, "Sprachkurse für Eltern anbieten", department=department)


def refusal(measure, status, note="", language="de"):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.measure_record_progress(
            measure=measure, actor=coordination_office_user(), status=status, note=note
        )
    return refused.value.message_dict


@pytest.mark.parametrize("status", ["done", "deferred"])
@pytest.mark.parametrize("note", ["", "   \n "])
def test_done_or_deferred_without_a_note_is_refused_and_changes_nothing(measure, status, note):
    assert refusal(measure, status, note) == {"note": [DE[status]]}
    assert refusal(measure, status, note, language="en") == {"note": [EN[status]]}

    stored = ConceptMeasure.objects.get(pk=measure.pk)
    assert (stored.status, stored.status_changed_at) == ("planned", None)
    assert not MeasureStatusChange.objects.exists() and not ProgressNote.objects.exists()


@pytest.mark.parametrize("status", ["done", "deferred"])
def test_done_or_deferred_with_a_note_is_saved_with_the_note(measure, status):
    office = coordination_office_user()

    note = services.measure_record_progress(
        measure=measure, actor=office, status=status, note=" Alle Kurse laufen "
    )

    assert (note.text, note.status_after, note.author) == ("Alle Kurse laufen", status, office)
    assert ConceptMeasure.objects.get(pk=measure.pk).status == status
    change = MeasureStatusChange.objects.get()
    assert (change.old_status, change.new_status) == ("planned", status)


@pytest.mark.parametrize("status", ["in_progress", "planned"])
def test_other_statuses_need_no_note(measure, status):
    office = coordination_office_user()
    services.measure_record_progress(
        measure=measure, actor=office, status="deferred", note="Wartet auf Mittel"
    )

    assert services.measure_record_progress(measure=measure, actor=office, status=status) is None
    assert ConceptMeasure.objects.get(pk=measure.pk).status == status


def test_a_done_measure_takes_further_notes_without_changing_its_status(measure):
    office = coordination_office_user()
    services.measure_record_progress(measure=measure, actor=office, status="done", note="Fertig")

    later = services.measure_record_progress(
        measure=measure, actor=office, status="done", note="Evaluation liegt vor"
    )

    assert (later.text, later.status_after) == ("Evaluation liegt vor", "")
    assert MeasureStatusChange.objects.count() == 1


def test_the_staff_form_says_why_and_keeps_the_chosen_status(client, measure):
    client.force_login(reviewer_of(measure.department))
    url = reverse("results:staff_measure", args=[measure.pk])
    assert "nur zusammen mit einem Vermerk markiert werden" in client.get(url).content.decode()

    response = client.post(url, {"action": "progress", "status": "done", "note": ""})

    assert response.status_code == 400
    content = response.content.decode()
    assert f'<ul class="errorlist" id="id_note_error"><li>{DE["done"]}</li></ul>' in content
    assert '<option value="done" selected>' in content
    assert ConceptMeasure.objects.get(pk=measure.pk).status == "planned"


# --- the texts of the report ---------------------------------------------------------------------


@pytest.fixture
def fields():
    return HandlungsfeldFactory(name="Bildung und Sprache"), HandlungsfeldFactory(name="Arbeit")


def test_the_texts_are_saved_stripped_with_the_editor_and_updated_in_place(fields):
    consultation, office = ConsultationFactory(), coordination_office_user()
    bildung, arbeit = fields

    first = services.report_narrative_save(
        actor=office,
        consultation=consultation,
        issuer="  Koordinierungsstelle Integration ",
        summary="\n Zusammenfassung \n",
        field_texts={bildung.pk: " Bildung ", arbeit.pk: "Arbeit"},
    )
    second = services.report_narrative_save(
        actor=SYSTEM,
        consultation=consultation,
        summary="Zweite Fassung",
        field_texts={bildung.pk: ""},  # cleared; Arbeit is not named and keeps its text
    )

    assert second.pk == first.pk and ReportNarrative.objects.count() == 1
    stored = ReportNarrative.objects.get()
    assert (stored.summary, stored.issuer, stored.updated_by) == ("Zweite Fassung", "", None)
    texts = dict(ReportFieldNarrative.objects.values_list("handlungsfeld__name", "text"))
    assert texts == {"Bildung und Sprache": "", "Arbeit": "Arbeit"}
    assert first.updated_by == office and first.issuer == "Koordinierungsstelle Integration"


def test_a_reviewer_may_not_write_the_texts(fields):
    with pytest.raises(PermissionDenied):
        services.report_narrative_save(
            actor=reviewer_of(DepartmentFactory()),
            consultation=ConsultationFactory(),
            summary="Fremd",
            field_texts={},
        )
    assert not ReportNarrative.objects.exists()


@pytest.mark.parametrize("where", ["summary", "field"])
def test_a_text_may_have_10000_characters_and_not_one_more(fields, where):
    consultation, office = ConsultationFactory(), coordination_office_user()
    bildung, _arbeit = fields

    def save(length: int):
        text = "x" * length
        return services.report_narrative_save(
            actor=office,
            consultation=consultation,
            summary=text if where == "summary" else "",
            field_texts={bildung.pk: text if where == "field" else ""},
        )

    save(10000)
    for language, message in (
        ("de", "Ein Text des Berichts darf höchstens 10000 Zeichen lang sein."),
        ("en", "A text of the report can have at most 10000 characters."),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            save(10001)
        assert refused.value.messages == [message]
    stored = ReportNarrative.objects.get()
    assert len(stored.summary) + len(stored.fields.get().text) == 10000


def test_an_unknown_handlungsfeld_is_refused_and_nothing_is_saved(fields):
    bildung, _arbeit = fields
    for language, message in (
        ("de", "Die Berichtstexte nennen ein Handlungsfeld, das es nicht gibt."),
        ("en", "The report texts name a Handlungsfeld that does not exist."),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            services.report_narrative_save(
                actor=coordination_office_user(),
                consultation=ConsultationFactory(),
                summary="Text",
                field_texts={bildung.pk: "Bildung", 987654: "Gibt es nicht"},
            )
        assert refused.value.messages == [message]
    assert not ReportNarrative.objects.exists()
