"""The golden thread: forum event → proposals → merge → assessment → measure → progress, and back."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations.results import services
from consultations.results.thread_selectors import measure_public_url, proposal_outcome
from consultations.review.models import Assessment
from consultations.review.services import proposals_merge
from tests.forums.factories import ForumEventFactory, ForumFactory, ThreadFactory

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    concept_goal,
    concept_measure,
    concept_version,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread_world():
    consultation = ConsultationFactory(title="Integrationskonzept")
    field = HandlungsfeldFactory(name="Bildung und Sprache", slug="bildung-und-sprache")
    department = DepartmentFactory(name="Team Bildung")
    event = ForumEventFactory(
        consultation=consultation, handlungsfeld=field, title="Forum Bildung in Garbsen"
    )
    thread = ThreadFactory(
        forum=ForumFactory(consultation=consultation, handlungsfeld=field),
        title="Sprachkurse mit Kinderbetreuung",
    )
    primary = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Sprachkurse für Eltern mit Kinderbetreuung",
        source_event=event,
    )
    duplicate = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Elternkurse mit Betreuung der Kinder",
        source_thread=thread,
    )
    coordination = coordination_office_user()
    proposals_merge(primary=primary, duplicates=[duplicate], actor=coordination)
    Assessment.objects.create(
        proposal=primary,
        department=department,
        feasibility="feasible",
        public_rationale="Wird mit den Volkshochschulen umgesetzt.",
        published_at=timezone.now(),
    )
    goal = concept_goal(consultation, field, "Sprachförderung für Familien ausbauen")
    concept_measure(goal, "Erste Maßnahme ohne Vorschlag")
    measure = services.measure_create(
        actor=coordination,
        goal=goal,
        text="Sprachkurse für Eltern mit Kinderbetreuung anbieten",
        source_proposal=primary,
        department=department,
    )
    services.measure_record_progress(
        measure=measure,
        actor=coordination,
        status="in_progress",
        progress=40,
        note="Die ersten vier Kurse laufen in Garbsen und Laatzen.",
    )
    duplicate.refresh_from_db()
    return {
        "consultation": consultation,
        "field": field,
        "event": event,
        "thread": thread,
        "primary": primary,
        "duplicate": duplicate,
        "measure": measure,
        "coordination": coordination,
    }


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def proposal_url(proposal) -> str:
    return reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])


def test_the_golden_thread_of_a_merged_proposal_end_to_end(client, thread_world):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]])
    measure_url = reverse(
        "results:measure_detail", args=[world["consultation"].slug, world["measure"].pk]
    )

    # The duplicate's page: merged into the primary, the primary's assessment and measure.
    duplicate_page = client.get(proposal_url(world["duplicate"]))
    assert duplicate_page.status_code == 200
    html = duplicate_page.content.decode()
    assert "Was aus diesem Vorschlag wurde" in html
    assert "Zusammengeführt mit" in html
    assert proposal_url(world["primary"]) in _links(html)
    assert "Eingeschätzt als „Umsetzbar“" in html
    assert "Als Maßnahme 2 im Handlungsfeld Bildung und Sprache beschlossen" in html
    assert measure_url in _links(html)
    assert "In Umsetzung" in html
    assert "40 %" in html

    # The primary's page: the same outcome, not "merged".
    primary_html = client.get(proposal_url(world["primary"])).content.decode()
    assert measure_url in _links(primary_html)
    assert "Zusammengeführt mit" not in primary_html

    # The measure page: its facts, timeline and both proposals with their forum origins.
    page = client.get(measure_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sprachkurse für Eltern mit Kinderbetreuung anbieten" in html
    assert "Maßnahme 2 im Handlungsfeld Bildung und Sprache" in html
    assert "Sprachförderung für Familien ausbauen" in html
    assert "Team Bildung" in html
    assert "Die ersten vier Kurse laufen in Garbsen und Laatzen." in html
    assert "Fortschritt nach diesem Eintrag: 40 %" in html
    assert "Status von „Geplant“ zu „In Umsetzung“ geändert." in html
    links = _links(html)
    assert proposal_url(world["primary"]) in links
    assert proposal_url(world["duplicate"]) in links
    event_url = reverse(
        "forums:event_detail", args=[world["consultation"].slug, world["event"].slug]
    )
    thread_url = reverse(
        "forums:thread_detail",
        args=[world["consultation"].slug, world["field"].slug, world["thread"].pk],
    )
    assert event_url in links
    assert thread_url in links
    # ...and the links lead somewhere.
    assert client.get(event_url).status_code == 200
    assert client.get(thread_url).status_code == 200


def test_the_measure_page_uses_the_latest_published_wording_and_number(client, thread_world):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]], number=1)
    concept_version(
        world["consultation"],
        [world["measure"]],
        number=2,
        wording={world["measure"].pk: "Elternkurse mit Kinderbetreuung in allen Kommunen"},
    )
    concept_version(
        world["consultation"],
        [world["measure"]],
        number=3,
        state="draft",
        wording={world["measure"].pk: "Noch nicht beschlossener Entwurf"},
    )
    html = client.get(measure_public_url(world["measure"])).content.decode()
    assert "Elternkurse mit Kinderbetreuung in allen Kommunen" in html
    assert "Noch nicht beschlossener Entwurf" not in html
    assert "Fassung 2" in html


def test_a_measure_dropped_from_the_latest_version_says_so(client, thread_world):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]], number=1)
    other = concept_measure(world["measure"].goal, "Eine andere Maßnahme")
    concept_version(world["consultation"], [other], number=2)
    html = client.get(measure_public_url(world["measure"])).content.decode()
    assert "die aktuelle Fassung des Konzepts enthält sie nicht mehr" in html


@pytest.mark.parametrize("state", [None, "draft", "adopted"])
def test_the_measure_page_is_404_before_publication(client, thread_world, state):
    world = thread_world
    if state:
        concept_version(world["consultation"], [world["measure"]], state=state)
    assert client.get(measure_public_url(world["measure"])).status_code == 404
    html = client.get(proposal_url(world["duplicate"])).content.decode()
    assert measure_public_url(world["measure"]) not in html
    assert "Als Maßnahme" not in html
    assert "(Noch) nicht Teil eines veröffentlichten Konzepts." in html


def test_a_measure_of_another_consultation_is_404(client, thread_world):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]])
    other = ConsultationFactory()
    url = reverse("results:measure_detail", args=[other.slug, world["measure"].pk])
    assert client.get(url).status_code == 404


def test_an_unassessed_proposal_says_so_and_an_unpublished_assessment_stays_hidden(
    client, thread_world
):
    world = thread_world
    fresh = ProposalFactory(consultation=world["consultation"], handlungsfeld=world["field"])
    Assessment.objects.create(
        proposal=fresh, department=DepartmentFactory(), feasibility="not_feasible"
    )
    html = client.get(proposal_url(fresh)).content.decode()
    assert "Noch nicht fachlich eingeschätzt." in html
    assert "Nicht umsetzbar" not in html


def test_hidden_proposals_and_threads_are_not_linked_from_the_measure_page(client, thread_world):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]])
    world["thread"].is_hidden = True
    world["thread"].save()
    html = client.get(measure_public_url(world["measure"])).content.decode()
    assert "Sprachkurse mit Kinderbetreuung</a>" not in html
    world["duplicate"].is_hidden = True
    world["duplicate"].save()
    html = client.get(measure_public_url(world["measure"])).content.decode()
    assert proposal_url(world["duplicate"]) not in _links(html)
    assert proposal_url(world["primary"]) in _links(html)


def test_a_measure_without_a_proposal_says_where_it_came_from(client, thread_world):
    world = thread_world
    plain = concept_measure(world["measure"].goal, "Maßnahme aus der Verwaltung")
    concept_version(world["consultation"], [plain])
    html = client.get(measure_public_url(plain)).content.decode()
    assert "geht nicht auf einen einzelnen Vorschlag zurück" in html


def test_the_measure_page_in_english(client, thread_world):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]])
    with translation.override("en"):
        url = measure_public_url(world["measure"])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where this measure came from" in html
    assert "Progress after this note: 40 %" in html


def test_a_goal_proposal_adopted_as_goal(client, thread_world):
    world = thread_world
    goal_proposal = ProposalFactory(
        consultation=world["consultation"], handlungsfeld=world["field"], kind="goal"
    )
    goal = concept_goal(world["consultation"], world["field"], "Ein Ziel aus einem Vorschlag")
    goal.source_proposal = goal_proposal
    goal.save()
    concept_version(world["consultation"], [concept_measure(goal, "Maßnahme dazu")])
    html = client.get(proposal_url(goal_proposal)).content.decode()
    assert "Als Ziel im Handlungsfeld Bildung und Sprache beschlossen" in html
    assert reverse("results:concept", args=[world["consultation"].slug]) in _links(html)


def test_the_outcome_of_a_proposal_takes_a_fixed_number_of_queries(
    thread_world, django_assert_max_num_queries
):
    world = thread_world
    for number in range(1, 6):  # a long history: five published versions, many notes
        concept_version(world["consultation"], [world["measure"]], number=number)
    for index in range(10):
        services.measure_record_progress(
            measure=world["measure"],
            actor=world["coordination"],
            status="in_progress",
            progress=41 + index,
            note=f"Schritt {index}",
        )
    duplicate = (
        type(world["duplicate"])
        .objects.select_related("merged_into", "consultation")
        .get(pk=world["duplicate"].pk)
    )
    # the published assessment with its corrections (2), the latest published measure entry (1)
    with django_assert_max_num_queries(3):
        outcome = proposal_outcome(duplicate)
    assert outcome.is_merged
    assert outcome.measure_entry.version.number == 5
    assert outcome.measure.progress == 50


def test_proposal_page_query_count_does_not_grow_with_the_history(
    client, thread_world, django_assert_max_num_queries
):
    world = thread_world
    concept_version(world["consultation"], [world["measure"]], number=1)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(proposal_url(world["duplicate"])).status_code == 200
        return len(context.captured_queries)

    count_queries()  # the first request warms caches (site, settings)
    before = count_queries()
    for number in range(2, 6):
        concept_version(world["consultation"], [world["measure"]], number=number)
    for index in range(10):
        extra = ProposalFactory(consultation=world["consultation"], handlungsfeld=world["field"])
        proposals_merge(primary=world["primary"], duplicates=[extra], actor=world["coordination"])
        services.measure_record_progress(
            measure=world["measure"],
            actor=world["coordination"],
            status="in_progress",
            progress=41 + index,
            note=f"Schritt {index}",
        )
    assert count_queries() == before
    with django_assert_max_num_queries(before):
        client.get(proposal_url(world["duplicate"]))


def test_measure_page_query_count_does_not_grow_with_the_history(
    client, thread_world, django_assert_max_num_queries
):
    world = thread_world
    for number in range(1, 4):
        concept_version(world["consultation"], [world["measure"]], number=number)
    for index in range(12):
        extra = ProposalFactory(
            consultation=world["consultation"],
            handlungsfeld=world["field"],
            source_thread=world["thread"],
        )
        proposals_merge(primary=world["primary"], duplicates=[extra], actor=world["coordination"])
        services.measure_record_progress(
            measure=world["measure"],
            actor=world["coordination"],
            status="in_progress",
            progress=41 + index,
            note=f"Schritt {index}",
        )
    indicator = services.indicator_create(
        actor=world["coordination"],
        consultation=world["consultation"],
        measure=world["measure"],
        name="Teilnehmende Eltern",
    )
    from datetime import date

    for month in range(1, 7):
        services.indicator_value_set(
            actor=world["coordination"], indicator=indicator, on=date(2024, month, 1), value=month
        )
    with django_assert_max_num_queries(14):
        response = client.get(measure_public_url(world["measure"]))
    assert response.status_code == 200
    assert response.content.decode().count("Zusammengeführt:") == 13
