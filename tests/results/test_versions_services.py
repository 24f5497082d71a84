"""Concept versions through their services: draft → adopted → published, editing the draft with
history, and every refusal in German and English."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from consultations.results import versions
from consultations.results.models import (
    ConceptGoal,
    ConceptMeasure,
    ConceptRevision,
    ConceptVersion,
    ConceptVersionEntry,
    VersionState,
)
from foundation.actors import SYSTEM

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    UserFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

RESOLUTION = {
    "body": "Regionsversammlung",
    "on": date(2026, 3, 12),
    "reference": "Beschluss der Regionsversammlung vom 12. März 2026, Drucksache 1234 (V) 26",
}


@pytest.fixture
def office():
    return coordination_office_user()


@pytest.fixture
def world():
    """A consultation whose working copy has two goals in one field and one in another."""
    consultation = ConsultationFactory()
    field, other_field = HandlungsfeldFactory(), HandlungsfeldFactory()
    consultation.handlungsfelder.add(field, other_field)
    first = concept_goal(consultation, field, "Ziel A")
    second = concept_goal(consultation, field, "Ziel B")
    elsewhere = concept_goal(consultation, other_field, "Ziel C")
    return {
        "consultation": consultation,
        "field": field,
        "other_field": other_field,
        "first": first,
        "second": second,
        "elsewhere": elsewhere,
        "m1": concept_measure(first, "Maßnahme eins"),
        "m2": concept_measure(first, "Maßnahme zwei"),
        "m3": concept_measure(second, "Maßnahme drei"),
        "m4": concept_measure(elsewhere, "Maßnahme vier"),
    }


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def refusal(call, *args, **kwargs) -> tuple[list[str], list[str]]:
    """The refusal's messages in German and in English."""
    with pytest.raises(ValidationError) as german:
        call(*args, **kwargs)
    with translation.override("en"), pytest.raises(ValidationError) as english:
        call(*args, **kwargs)
    return messages_of(german.value), messages_of(english.value)


def numbers(goal):
    return list(goal.measures.order_by("number").values_list("text", "number"))


def start(consultation, actor, title="Fassung"):
    return versions.version_start(actor=actor, consultation=consultation, title=title)


def adopt_and_publish(version, actor):
    versions.version_adopt(actor=actor, version=version, **RESOLUTION)
    return versions.version_publish(actor=actor, version=version)


# --- Starting versions ------------------------------------------------------------------------


def test_the_first_version_is_a_draft_without_a_base(world, office):
    version = start(world["consultation"], office, "  Integrationskonzept 2027  ")
    version.refresh_from_db()
    assert (version.number, version.title, version.state, version.based_on) == (
        1,
        "Integrationskonzept 2027",
        VersionState.DRAFT,
        None,
    )
    assert versions.draft_of(world["consultation"]) == version
    assert versions.latest_adopted(world["consultation"]) is None


def test_a_second_draft_is_refused_while_one_is_open(world, office):
    start(world["consultation"], office, "Erste Fassung")
    german, english = refusal(start, world["consultation"], office, "Zweite")
    assert german == [
        "Es gibt bereits einen Entwurf: „Erste Fassung“. Erfassen Sie erst dessen Beschluss, "
        "bevor Sie eine weitere Fassung beginnen."
    ]
    assert english == [
        "A draft version already exists: “Erste Fassung”. Adopt it before you start another one."
    ]
    assert ConceptVersion.objects.count() == 1


def test_a_version_needs_a_title(world, office):
    german, english = refusal(start, world["consultation"], office, "   ")
    assert german == ["Geben Sie der Fassung einen Titel."]
    assert english == ["Give the version a title."]


def test_a_fortschreibung_is_based_on_the_latest_adopted_version(world, office):
    first = start(world["consultation"], office)
    versions.version_adopt(actor=office, version=first, **RESOLUTION)  # adopted, not published
    second = start(world["consultation"], office, "Fortschreibung")
    assert (second.number, second.based_on) == (2, first)
    adopt_and_publish(second, office)
    third = start(world["consultation"], office, "Zweite Fortschreibung")
    assert (third.number, third.based_on) == (3, second)
    assert versions.latest_adopted(world["consultation"]) == second


def test_only_the_coordination_office_starts_adopts_and_publishes(world, office):
    department = DepartmentFactory()
    for person in (reviewer_of(department), UserFactory()):
        with pytest.raises(PermissionDenied):
            start(world["consultation"], person)
    version = start(world["consultation"], office)
    for person in (reviewer_of(department), UserFactory()):
        with pytest.raises(PermissionDenied):
            versions.version_adopt(actor=person, version=version, **RESOLUTION)
        with pytest.raises(PermissionDenied):
            versions.goal_reword(actor=person, goal=world["first"], text="Neu")
    versions.version_adopt(actor=office, version=version, **RESOLUTION)
    with pytest.raises(PermissionDenied):
        versions.version_publish(actor=UserFactory(), version=version)


# --- Adoption ---------------------------------------------------------------------------------


def test_adoption_records_the_resolution_and_freezes_the_working_copy(world, office):
    version = start(world["consultation"], office)
    adopted = versions.version_adopt(actor=office, version=version, **RESOLUTION)
    adopted.refresh_from_db()
    assert adopted.state == VersionState.ADOPTED
    assert (adopted.resolution_body, adopted.resolution_date, adopted.resolution_reference) == (
        RESOLUTION["body"],
        RESOLUTION["on"],
        RESOLUTION["reference"],
    )
    assert adopted.adopted_by == office and adopted.adopted_at is not None
    assert adopted.published_at is None
    goals = list(
        adopted.entries.filter(kind="goal").values_list("handlungsfeld_id", "position", "text")
    )
    assert goals == [
        (world["field"].pk, 1, "Ziel A"),
        (world["field"].pk, 2, "Ziel B"),
        (world["other_field"].pk, 1, "Ziel C"),
    ]
    measures = {
        entry.measure_id: entry
        for entry in adopted.entries.filter(kind="measure").select_related("parent")
    }
    assert [(e.number, e.text, e.parent.text) for e in measures.values()] == [
        (1, "Maßnahme eins", "Ziel A"),
        (2, "Maßnahme zwei", "Ziel A"),
        (3, "Maßnahme drei", "Ziel B"),
        (1, "Maßnahme vier", "Ziel C"),
    ]
    assert set(measures) == {world[k].pk for k in ("m1", "m2", "m3", "m4")}
    # The frozen text stays when the working copy changes later.
    ConceptMeasure.objects.filter(pk=world["m1"].pk).update(text="Später geändert")
    assert adopted.entries.get(measure=world["m1"]).text == "Maßnahme eins"


def test_the_system_records_an_adoption_without_a_person(world):
    version = start(world["consultation"], SYSTEM)
    versions.version_adopt(actor=SYSTEM, version=version, **RESOLUTION)
    version.refresh_from_db()
    assert version.adopted_by is None and version.state == VersionState.ADOPTED


def test_adoption_without_body_or_date_is_refused_per_field(world, office):
    version = start(world["consultation"], office)
    with pytest.raises(ValidationError) as error:
        versions.version_adopt(actor=office, version=version, body="  ", on=None)
    assert {k: [str(m) for m in v] for k, v in error.value.message_dict.items()} == {
        "resolution_body": ["Nennen Sie das Gremium, das das Konzept beschlossen hat."],
        "resolution_date": ["Geben Sie das Datum des Beschlusses ein."],
    }
    with translation.override("en"), pytest.raises(ValidationError) as error:
        versions.version_adopt(actor=office, version=version, body="", on=None)
    assert {k: [str(m) for m in v] for k, v in error.value.message_dict.items()} == {
        "resolution_body": ["Name the body that adopted the concept."],
        "resolution_date": ["Enter the date of the resolution."],
    }
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT and not version.entries.exists()


def test_a_resolution_dated_tomorrow_is_refused_and_today_is_accepted(world, office):
    version = start(world["consultation"], office)
    tomorrow = timezone.localdate() + timedelta(days=1)
    german, english = refusal(
        versions.version_adopt, actor=office, version=version, body="Regionsausschuss", on=tomorrow
    )
    assert german == ["Das Datum des Beschlusses darf nicht in der Zukunft liegen."]
    assert english == ["The date of the resolution cannot be in the future."]
    versions.version_adopt(
        actor=office, version=version, body="Regionsausschuss", on=timezone.localdate()
    )
    version.refresh_from_db()
    assert version.resolution_date == timezone.localdate()
    assert version.resolution_reference == ""


def test_an_empty_concept_cannot_be_adopted(office):
    consultation = ConsultationFactory()
    version = start(consultation, office)
    german, english = refusal(versions.version_adopt, actor=office, version=version, **RESOLUTION)
    assert german == ["Das Konzept hat noch keine Ziele, es gibt also nichts zu beschließen."]
    assert english == ["The concept has no goals yet, so there is nothing to adopt."]


def test_only_a_draft_can_be_adopted_and_only_an_adopted_version_published(world, office):
    version = start(world["consultation"], office)
    german, english = refusal(versions.version_publish, actor=office, version=version)
    assert german == [
        "Nur eine beschlossene Fassung kann veröffentlicht werden. Erfassen Sie zuerst den Beschluss."
    ]
    assert english == ["Only an adopted version can be published. Record the resolution first."]
    versions.version_adopt(actor=office, version=version, **RESOLUTION)
    german, english = refusal(versions.version_adopt, actor=office, version=version, **RESOLUTION)
    assert german == ["Nur ein Entwurf kann beschlossen werden."]
    assert english == ["Only a draft can be adopted."]
    published = versions.version_publish(actor=office, version=version)
    published.refresh_from_db()
    assert published.state == VersionState.PUBLISHED and published.published_at is not None
    german, english = refusal(versions.version_publish, actor=office, version=version)
    assert german == ["Diese Fassung wurde bereits veröffentlicht."]
    assert english == ["This version has already been published."]
    assert version.entries.count() == 7  # frozen once, not again


def test_a_fortschreibung_links_each_entry_to_the_previous_version(world, office):
    first = start(world["consultation"], office)
    adopt_and_publish(first, office)
    second = start(world["consultation"], office, "Fortschreibung")
    versions.measure_reword(actor=office, measure=world["m2"], text="Maßnahme zwei, neu")
    added = versions.measure_add(actor=office, goal=world["second"], text="Neue Maßnahme")
    versions.version_adopt(actor=office, version=second, **RESOLUTION)
    new = second.entries.get(measure=world["m2"])
    assert new.previous == first.entries.get(measure=world["m2"])
    assert new.text == "Maßnahme zwei, neu" and new.previous.text == "Maßnahme zwei"
    assert second.entries.get(measure=added).previous is None
    assert second.entries.get(goal=world["first"]).previous == first.entries.get(
        goal=world["first"]
    )


# --- Editing the draft ------------------------------------------------------------------------


def test_the_working_copy_changes_only_while_a_draft_is_open(world, office):
    german, english = refusal(
        versions.goal_reword, actor=office, goal=world["first"], text="Ziel A neu"
    )
    assert german == ["Beginnen Sie eine neue Fassung des Konzepts, bevor Sie es ändern."]
    assert english == ["Start a new version of the concept before you change it."]
    for call, kwargs in (
        (versions.measure_reword, {"measure": world["m1"], "text": "x"}),
        (versions.goal_move, {"goal": world["second"], "direction": "up"}),
        (versions.measure_move, {"measure": world["m2"], "direction": "up"}),
        (versions.measure_regroup, {"measure": world["m1"], "goal": world["second"]}),
        (versions.measure_add, {"goal": world["first"], "text": "x"}),
        (versions.measure_remove, {"measure": world["m1"]}),
        (versions.goal_remove, {"goal": world["elsewhere"]}),
        (
            versions.goal_add,
            {
                "consultation": world["consultation"],
                "handlungsfeld": world["field"],
                "text": "x",
            },
        ),
    ):
        with pytest.raises(ValidationError) as error:
            call(actor=office, **kwargs)
        assert error.value.code == "no_draft", call
    assert ConceptGoal.objects.get(pk=world["first"].pk).title == "Ziel A"


def test_rewording_keeps_the_history_of_who_changed_what_when(world, office):
    draft = start(world["consultation"], office)
    before = timezone.now()
    versions.goal_reword(actor=office, goal=world["first"], text="  Ziel   A, geschärft ")
    versions.measure_reword(actor=office, measure=world["m1"], text="Maßnahme eins, präzise")
    versions.measure_reword(actor=office, measure=world["m1"], text="Maßnahme eins, endgültig")
    assert ConceptGoal.objects.get(pk=world["first"].pk).title == "Ziel A, geschärft"
    assert ConceptMeasure.objects.get(pk=world["m1"].pk).text == "Maßnahme eins, endgültig"
    history = list(
        ConceptRevision.objects.filter(measure=world["m1"])
        .order_by("changed_at", "pk")
        .values_list("old_text", "new_text", "changed_by", "version")
    )
    assert history == [
        ("Maßnahme eins", "Maßnahme eins, präzise", office.pk, draft.pk),
        ("Maßnahme eins, präzise", "Maßnahme eins, endgültig", office.pk, draft.pk),
    ]
    goal_revision = ConceptRevision.objects.get(goal=world["first"])
    assert (goal_revision.old_text, goal_revision.new_text) == ("Ziel A", "Ziel A, geschärft")
    assert goal_revision.changed_at >= before
    assert goal_revision.consultation == world["consultation"]


def test_rewording_refuses_empty_and_unchanged_wording(world, office):
    start(world["consultation"], office)
    german, english = refusal(versions.goal_reword, actor=office, goal=world["first"], text=" ")
    assert (german, english) == (["Ein Ziel braucht einen Wortlaut."], ["A goal needs a wording."])
    german, english = refusal(versions.measure_reword, actor=office, measure=world["m1"], text="")
    assert english == ["A measure needs a wording."]
    assert german == ["Eine Maßnahme braucht einen Wortlaut."]
    german, english = refusal(
        versions.measure_reword, actor=office, measure=world["m1"], text=" Maßnahme  eins "
    )
    assert german == ["Der Wortlaut hat sich nicht geändert."]
    assert english == ["The wording has not changed."]
    assert not ConceptRevision.objects.exists()


def test_moving_a_goal_down_renumbers_the_field_in_the_new_order(world, office):
    start(world["consultation"], office)
    versions.goal_move(actor=office, goal=world["first"], direction="down")
    order = list(
        ConceptGoal.objects.filter(handlungsfeld=world["field"])
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert order == ["Ziel B", "Ziel A"]
    assert numbers(world["second"]) == [("Maßnahme drei", 1)]
    assert numbers(world["first"]) == [("Maßnahme eins", 2), ("Maßnahme zwei", 3)]
    versions.goal_move(actor=office, goal=world["first"], direction="up")
    assert numbers(world["first"]) == [("Maßnahme eins", 1), ("Maßnahme zwei", 2)]
    assert numbers(world["elsewhere"]) == [("Maßnahme vier", 1)]  # other fields untouched


def test_a_goal_at_the_edge_of_its_field_cannot_move_further(world, office):
    start(world["consultation"], office)
    german, english = refusal(versions.goal_move, actor=office, goal=world["first"], direction="up")
    assert german == ["Das Ziel steht bereits an erster Stelle in seinem Handlungsfeld."]
    assert english == ["The goal is already the first in its Handlungsfeld."]
    german, english = refusal(
        versions.goal_move, actor=office, goal=world["second"], direction="down"
    )
    assert german == ["Das Ziel steht bereits an letzter Stelle in seinem Handlungsfeld."]
    assert english == ["The goal is already the last in its Handlungsfeld."]


def test_moving_a_measure_swaps_it_with_its_neighbour_in_the_goal(world, office):
    start(world["consultation"], office)
    versions.measure_move(actor=office, measure=world["m2"], direction="up")
    assert numbers(world["first"]) == [("Maßnahme zwei", 1), ("Maßnahme eins", 2)]
    versions.measure_move(actor=office, measure=world["m2"], direction="down")
    assert numbers(world["first"]) == [("Maßnahme eins", 1), ("Maßnahme zwei", 2)]
    german, english = refusal(
        versions.measure_move, actor=office, measure=world["m1"], direction="up"
    )
    assert german == ["Die Maßnahme ist bereits die erste ihres Ziels."]
    assert english == ["The measure is already the first of its goal."]
    german, english = refusal(
        versions.measure_move, actor=office, measure=world["m2"], direction="down"
    )
    assert german == ["Die Maßnahme ist bereits die letzte ihres Ziels."]
    assert english == ["The measure is already the last of its goal."]
    # The last measure of goal A does not jump into goal B.
    assert numbers(world["second"]) == [("Maßnahme drei", 3)]


def test_regrouping_puts_the_measure_at_the_end_of_the_other_goal(world, office):
    start(world["consultation"], office)
    versions.measure_regroup(actor=office, measure=world["m1"], goal=world["second"])
    assert numbers(world["first"]) == [("Maßnahme zwei", 1)]
    assert numbers(world["second"]) == [("Maßnahme drei", 2), ("Maßnahme eins", 3)]


def test_regrouping_refuses_the_same_goal_and_a_goal_of_another_field(world, office):
    start(world["consultation"], office)
    german, english = refusal(
        versions.measure_regroup, actor=office, measure=world["m1"], goal=world["elsewhere"]
    )
    assert german == [
        "Eine Maßnahme kann nur zu einem Ziel desselben Handlungsfelds verschoben werden."
    ]
    assert english == ["A measure can only be moved to a goal of the same Handlungsfeld."]
    other_consultation_goal = concept_goal(ConsultationFactory(), world["field"], "Fremd")
    with pytest.raises(ValidationError) as error:
        versions.measure_regroup(actor=office, measure=world["m1"], goal=other_consultation_goal)
    assert error.value.message_dict == {
        "goal": ["Eine Maßnahme kann nur zu einem Ziel desselben Handlungsfelds verschoben werden."]
    }
    german, english = refusal(
        versions.measure_regroup, actor=office, measure=world["m1"], goal=world["first"]
    )
    assert german == ["Die Maßnahme gehört bereits zu diesem Ziel."]
    assert english == ["The measure already belongs to this goal."]


def test_adding_by_hand_appends_and_keeps_numbers_continuous(world, office):
    start(world["consultation"], office)
    added = versions.measure_add(actor=office, goal=world["first"], text=" Neue Maßnahme ")
    assert added.number == 3
    assert numbers(world["first"])[-1] == ("Neue Maßnahme", 3)
    assert numbers(world["second"]) == [("Maßnahme drei", 4)]
    goal = versions.goal_add(
        actor=office,
        consultation=world["consultation"],
        handlungsfeld=world["field"],
        text="Neues Ziel",
    )
    assert goal.position == 3 and goal.source_proposal is None


def test_removing_a_measure_closes_the_gap_and_a_goal_with_measures_stays(world, office):
    start(world["consultation"], office)
    german, english = refusal(versions.goal_remove, actor=office, goal=world["first"])
    assert german == [
        "Verschieben oder entfernen Sie die Maßnahmen des Ziels, bevor Sie das Ziel entfernen."
    ]
    assert english == ["Move or remove the goal's measures before you remove the goal."]
    versions.measure_remove(actor=office, measure=world["m1"])
    assert numbers(world["first"]) == [("Maßnahme zwei", 1)]
    assert numbers(world["second"]) == [("Maßnahme drei", 2)]
    versions.measure_remove(actor=office, measure=world["m3"])
    versions.goal_remove(actor=office, goal=world["second"])
    assert not ConceptGoal.objects.filter(pk=world["second"].pk).exists()


def test_removing_a_measure_keeps_the_frozen_entry_of_earlier_versions(world, office):
    first = start(world["consultation"], office)
    adopt_and_publish(first, office)
    start(world["consultation"], office, "Fortschreibung")
    versions.measure_remove(actor=office, measure=world["m1"])
    entry = ConceptVersionEntry.objects.get(version=first, text="Maßnahme eins")
    assert entry.measure is None and entry.number == 1


# --- Continuing another consultation's concept ----------------------------------------------


def test_a_fortschreibung_consultation_continues_the_adopted_concept(world, office):
    first = adopt_and_publish(start(world["consultation"], office, "Konzept 2016"), office)
    follow_up = ConsultationFactory()
    draft = versions.version_start(
        actor=office, consultation=follow_up, title="Fortschreibung 2027", continues=first
    )
    assert (draft.number, draft.based_on, draft.state) == (2, first, VersionState.DRAFT)
    copied = list(
        ConceptMeasure.objects.filter(consultation=follow_up)
        .order_by("handlungsfeld__number", "number")
        .values_list("goal__title", "number", "text")
    )
    assert copied == [
        ("Ziel A", 1, "Maßnahme eins"),
        ("Ziel A", 2, "Maßnahme zwei"),
        ("Ziel B", 3, "Maßnahme drei"),
        ("Ziel C", 1, "Maßnahme vier"),
    ]
    copy = ConceptMeasure.objects.get(consultation=follow_up, text="Maßnahme zwei")
    versions.measure_reword(actor=office, measure=copy, text="Maßnahme zwei, fortgeschrieben")
    versions.version_adopt(actor=office, version=draft, **RESOLUTION)
    entry = draft.entries.get(measure=copy)
    assert entry.previous == first.entries.get(measure=world["m2"])


def test_continuing_is_refused_for_drafts_own_versions_and_filled_working_copies(world, office):
    draft = start(world["consultation"], office, "Offen")
    follow_up = ConsultationFactory()
    german, english = refusal(
        versions.version_start,
        actor=office,
        consultation=follow_up,
        title="Fortschreibung",
        continues=draft,
    )
    assert german == ["Nur eine beschlossene Fassung kann fortgeschrieben werden."]
    assert english == ["Only an adopted version can be continued."]
    draft = adopt_and_publish(draft, office)

    filled = ConsultationFactory()
    concept_goal(filled, world["field"], "Schon da")
    german, english = refusal(
        versions.version_start, actor=office, consultation=filled, title="F", continues=draft
    )
    assert german == [
        "Die Arbeitsfassung dieses Beteiligungsverfahrens enthält bereits Ziele; das Konzept "
        "eines anderen Beteiligungsverfahrens kann nur in eine leere Arbeitsfassung übernommen "
        "werden."
    ]
    assert english == [
        "The working copy of this consultation already holds goals; another consultation's "
        "concept can only be taken over into an empty one."
    ]

    own = ConsultationFactory()
    concept_goal(own, world["field"], "Eigenes Ziel")
    own_version = start(own, office)
    own_version = adopt_and_publish(own_version, office)
    german, english = refusal(
        versions.version_start, actor=office, consultation=own, title="F", continues=draft
    )
    assert german == [
        "Dieses Beteiligungsverfahren hat eigene beschlossene Fassungen; eine Fortschreibung "
        "setzt die neueste davon fort."
    ]
    assert english == [
        "This consultation has adopted versions of its own; a Fortschreibung continues the "
        "latest of them."
    ]
    # Naming the consultation's own latest version is the ordinary Fortschreibung.
    again = versions.version_start(actor=office, consultation=own, title="F", continues=own_version)
    assert again.based_on == own_version and again.number == 2
