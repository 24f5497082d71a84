"""The coordination office's version pages through HTTP: who may open them, the draft editor's
forms (without JavaScript), adoption and publication."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.results import versions
from consultations.results.models import ConceptGoal, ConceptMeasure, ConceptRevision, VersionState
from consultations.review.models import Assessment
from foundation.actors import SYSTEM

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    UserFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(name="Bildung und Sprache")
    consultation.handlungsfelder.add(field)
    department = DepartmentFactory()
    proposal = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Mehr Sprachkurse",
        body="<p>Es gibt zu wenige Kurse am Abend.</p>",
    )
    Assessment.objects.create(
        proposal=proposal,
        department=department,
        feasibility="feasible",
        revised_title="Abendkurse für Deutsch anbieten",
        revised_body="Die VHS bietet Abendkurse in allen Kommunen an.",
    )
    goal = concept_goal(consultation, field, "Sprache fördern")
    other = concept_goal(consultation, field, "Bildung öffnen")
    measure = ConceptMeasure.objects.create(
        goal=goal,
        consultation=consultation,
        handlungsfeld=field,
        number=1,
        text="Abendkurse für Deutsch anbieten",
        source_proposal=proposal,
    )
    second = concept_measure(goal, "Sprachcafés fördern")
    return {
        "consultation": consultation,
        "field": field,
        "goal": goal,
        "other": other,
        "measure": measure,
        "second": second,
        "department": department,
        "office": coordination_office_user(),
    }


def staff_urls(world, draft=None):
    slug = world["consultation"].slug
    draft = draft or versions.draft_of(world["consultation"])
    urls = [
        reverse("results:staff_versions", args=[slug]),
        reverse("results:staff_draft", args=[slug]),
        reverse("results:staff_draft_remove_measure", args=[world["measure"].pk]),
        reverse("results:staff_draft_remove_goal", args=[world["other"].pk]),
    ]
    if draft is not None:
        urls.append(reverse("results:staff_version_adopt", args=[draft.pk]))
    return urls


def post_editor(client, world, **data):
    url = reverse("results:staff_draft", args=[world["consultation"].slug])
    return client.post(url, {"feld": world["field"].slug, **data})


@pytest.mark.parametrize("who", ["reviewer", "resident"])
def test_reviewers_and_residents_get_403_on_every_version_page(client, world, who):
    draft = versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="E")
    person = reviewer_of(world["department"]) if who == "reviewer" else UserFactory()
    client.force_login(person)
    for url in staff_urls(world, draft):
        assert client.get(url).status_code == 403, url
        assert (
            client.post(url, {"action": "reword_goal", "pk": world["goal"].pk}).status_code == 403
        )
    publish = reverse("results:staff_version_publish", args=[draft.pk])
    assert client.post(publish).status_code == 403
    assert ConceptGoal.objects.get(pk=world["goal"].pk).title == "Sprache fördern"


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    draft = versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="E")
    for url in [
        *staff_urls(world, draft),
        reverse("results:staff_version_publish", args=[draft.pk]),
    ]:
        response = client.post(url) if url.endswith("veroeffentlichen/") else client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"], url


def test_unknown_objects_answer_404(client, world):
    client.force_login(world["office"])
    assert client.get(reverse("results:staff_versions", args=["gibt-es-nicht"])).status_code == 404
    assert client.get(reverse("results:staff_version_adopt", args=[99999])).status_code == 404
    assert client.get(reverse("results:staff_draft_remove_goal", args=[99999])).status_code == 404
    versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="E")
    foreign = concept_goal(ConsultationFactory(), world["field"], "Fremd")
    response = post_editor(client, world, action="reword_goal", pk=foreign.pk, text="x")
    assert response.status_code == 404
    assert post_editor(client, world, action="unbekannt").status_code == 404


def test_the_office_starts_a_draft_and_a_second_start_is_refused_on_the_page(client, world):
    client.force_login(world["office"])
    url = reverse("results:staff_versions", args=[world["consultation"].slug])
    page = client.get(url).content.decode()
    assert "Die erste Fassung beginnen" in page and "Das Konzept hat noch keine Fassung." in page
    response = client.post(url, {"title": ""})
    assert response.status_code == 400
    assert "Geben Sie der Fassung einen Titel." in response.content.decode()
    response = client.post(url, {"title": "Integrationskonzept 2027"})
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("results:staff_draft", args=[world["consultation"].slug])
    )
    page = client.get(url).content.decode()
    assert "Integrationskonzept 2027" in page and "Entwurf bearbeiten" in page
    assert "Entwurf beginnen" not in page  # no start form while a draft is open
    response = client.post(url, {"title": "Noch eine"})
    assert response.status_code == 400
    assert "Es gibt bereits einen Entwurf: „Integrationskonzept 2027“." in response.content.decode()


def test_the_editor_shows_wording_history_original_and_departments_revision(client, world):
    client.force_login(world["office"])
    versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="Entwurf 1")
    response = post_editor(
        client, world, action="reword_measure", pk=world["measure"].pk, text="Abendkurse überall"
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?feld={world['field'].slug}")
    page = client.get(response["Location"]).content.decode()
    assert "Die Maßnahme wurde umformuliert." in page
    assert '<strong class="draft-number">1.</strong> Abendkurse überall' in page
    assert "Verlauf: 1 Umformulierung" in page
    assert "<del>Abendkurse für Deutsch anbieten</del> → <ins>Abendkurse überall</ins>" in page
    assert world["office"].public_name in page
    # Beside it: the original proposal and the department's revised wording.
    assert "Mehr Sprachkurse" in page and "Es gibt zu wenige Kurse am Abend." in page
    assert "Die VHS bietet Abendkurse in allen Kommunen an." in page
    revision = ConceptRevision.objects.get()
    assert revision.changed_by == world["office"]


def test_a_refused_rewording_keeps_what_was_typed(client, world):
    client.force_login(world["office"])
    versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="E")
    response = post_editor(
        client, world, action="reword_goal", pk=world["goal"].pk, text="Sprache fördern"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Der Wortlaut hat sich nicht geändert." in page
    response = post_editor(client, world, action="add_measure", goal=world["goal"].pk, text="  ")
    assert response.status_code == 400
    assert "Eine Maßnahme braucht einen Wortlaut." in response.content.decode()
    response = post_editor(
        client, world, action="reword_measure", pk=world["second"].pk, text="Sprachcafés fördern"
    )
    assert "Der Wortlaut hat sich nicht geändert." in response.content.decode()


def test_without_a_draft_the_editor_reads_and_refuses_changes(client, world):
    client.force_login(world["office"])
    page = client.get(reverse("results:staff_draft", args=[world["consultation"].slug]))
    html = page.content.decode()
    assert "Es ist kein Entwurf geöffnet" in html and "Wortlaut speichern" not in html
    response = post_editor(client, world, action="reword_goal", pk=world["goal"].pk, text="Neu")
    assert response.status_code == 400
    assert "Beginnen Sie eine neue Fassung des Konzepts, bevor Sie es ändern." in (
        response.content.decode()
    )


def test_moving_grouping_adding_and_removing_through_the_forms(client, world):
    client.force_login(world["office"])
    versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="E")
    assert (
        post_editor(client, world, action="measure_down", pk=world["measure"].pk).status_code == 302
    )
    assert list(world["goal"].measures.order_by("number").values_list("text", flat=True)) == [
        "Sprachcafés fördern",
        "Abendkurse für Deutsch anbieten",
    ]
    response = post_editor(client, world, action="measure_down", pk=world["measure"].pk)
    assert "Die Maßnahme ist bereits die letzte ihres Ziels." in response.content.decode()
    assert post_editor(client, world, action="goal_down", pk=world["goal"].pk).status_code == 302
    assert (
        ConceptGoal.objects.get(pk=world["other"].pk).position
        < ConceptGoal.objects.get(pk=world["goal"].pk).position
    )
    response = post_editor(
        client, world, action="regroup", pk=world["second"].pk, goal=world["other"].pk
    )
    assert response.status_code == 302
    assert ConceptMeasure.objects.get(pk=world["second"].pk).goal == world["other"]
    response = post_editor(client, world, action="add_goal", text="Eltern stärken")
    assert response.status_code == 302
    new_goal = ConceptGoal.objects.get(title="Eltern stärken")
    response = post_editor(
        client, world, action="add_measure", goal=new_goal.pk, text="Elterncafés einrichten"
    )
    follow = client.get(response["Location"]).content.decode()
    assert "Die Maßnahme wurde als Nummer 3 hinzugefügt." in follow

    remove = reverse("results:staff_draft_remove_goal", args=[new_goal.pk])
    confirm = client.get(remove).content.decode()
    assert "Ein Ziel aus dem Entwurf entfernen" in confirm
    response = client.post(remove)
    assert response.status_code == 400
    assert "Verschieben oder entfernen Sie die Maßnahmen des Ziels" in response.content.decode()
    added = ConceptMeasure.objects.get(text="Elterncafés einrichten")
    response = client.post(reverse("results:staff_draft_remove_measure", args=[added.pk]))
    assert response.status_code == 302
    assert client.post(remove).status_code == 302
    assert not ConceptGoal.objects.filter(pk=new_goal.pk).exists()


def test_adopting_and_publishing_through_the_pages(client, world):
    client.force_login(world["office"])
    draft = versions.version_start(
        actor=SYSTEM, consultation=world["consultation"], title="Fassung 1"
    )
    adopt = reverse("results:staff_version_adopt", args=[draft.pk])
    page = client.get(adopt).content.decode()
    assert "2 Ziele mit 2 Maßnahmen" in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        adopt,
        {
            "resolution_body": "",
            "resolution_date": tomorrow,
            "resolution_reference": "Drucksache 1234 (V) 26",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nennen Sie das Gremium, das das Konzept beschlossen hat." in html
    assert "Das Datum des Beschlusses darf nicht in der Zukunft liegen." in html
    assert 'value="Drucksache 1234 (V) 26"' in html  # what was typed stays
    response = client.post(
        adopt,
        {
            "resolution_body": "Regionsversammlung",
            "resolution_date": "2026-03-12",
            "resolution_reference": "Drucksache 1234 (V) 26",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == VersionState.ADOPTED and draft.adopted_by == world["office"]
    listing = client.get(response["Location"]).content.decode()
    assert "Diese Fassung veröffentlichen" in listing
    assert "Beschlossen von Regionsversammlung am 12. März 2026 (Drucksache 1234 (V) 26)" in listing

    publish = reverse("results:staff_version_publish", args=[draft.pk])
    assert client.get(publish).status_code == 405
    response = client.post(publish, follow=True)
    assert "„Fassung 1“ wurde veröffentlicht" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == VersionState.PUBLISHED
    response = client.post(publish, follow=True)
    assert "Diese Fassung wurde bereits veröffentlicht." in response.content.decode()
    assert (
        client.post(adopt, {"resolution_body": "X", "resolution_date": "2026-03-12"}).status_code
        == 400
    )


def test_the_draft_editor_needs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["office"])
    versions.version_start(actor=SYSTEM, consultation=world["consultation"], title="E")
    for index in range(30):
        measure = concept_measure(world["other"], f"Maßnahme {index}")
        versions.measure_reword(actor=SYSTEM, measure=measure, text=f"Maßnahme {index}, neu")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("results:staff_draft", args=[world["consultation"].slug]))
    assert response.content.decode().count('class="draft-measure"') == 32
