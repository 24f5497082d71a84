"""What the public sees of the concept in each state of a version: page, PDF, XLSX, monitoring
list, the list of versions and what changed between two versions."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from consultations.results import exports, selectors, versions
from consultations.results.models import ConceptGoal, ConceptMeasure
from foundation.actors import SYSTEM

from .factories import (
    ConsultationFactory,
    HandlungsfeldFactory,
    concept_goal,
    concept_measure,
    coordination_office_user,
)

pytestmark = pytest.mark.django_db

FIRST = "Sprachkurse für Eltern anbieten"
REWORDED = "Sprachkurse für Eltern in allen 21 Kommunen anbieten"
ADDED = "Elternlotsinnen ausbilden"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def has_row(page: str, number: int, text: str) -> bool:
    """The concept table's row: the number, then the wording linked to the measure's page."""
    pattern = (
        rf'<td class="concept-number">{number}</td> <td><a href="[^"]*/massnahmen/\d+/">'
        rf"{re.escape(text)}</a></td>"
    )
    return re.search(pattern, page) is not None


def pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", out)


def xlsx_rows(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        name: [tuple(row) for row in workbook[name].iter_rows(values_only=True)]
        for name in workbook.sheetnames
    }


@pytest.fixture
def office():
    return coordination_office_user()


@pytest.fixture
def concept(office):
    """Version 1 published: goal "Sprache" with measures 1 and 2 in "Bildung und Sprache"."""
    consultation = ConsultationFactory(title="Integrationskonzept")
    field = HandlungsfeldFactory(name="Bildung und Sprache", number=4)
    consultation.handlungsfelder.add(field)
    goal = concept_goal(consultation, field, "Sprache fördern")
    first = concept_measure(goal, FIRST)
    second = concept_measure(goal, "Sprachcafés unterstützen")
    version = versions.version_start(
        actor=office, consultation=consultation, title="Integrationskonzept 2016"
    )
    versions.version_adopt(
        actor=office,
        version=version,
        body="Regionsversammlung",
        on=date(2016, 12, 13),
        reference="Drucksache 1234 (V) 16",
    )
    versions.version_publish(actor=office, version=version)
    return {
        "consultation": consultation,
        "field": field,
        "goal": goal,
        "first": first,
        "second": second,
        "v1": version,
    }


def urls(consultation):
    return {
        name: reverse(f"results:{name}", args=[consultation.slug])
        for name in ("concept", "concept_pdf", "concept_xlsx", "monitoring", "versions")
    }


def test_before_any_published_version_the_public_gets_a_message_not_an_empty_table(client):
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory()
    consultation.handlungsfelder.add(field)
    concept_measure(concept_goal(consultation, field, "Ziel im Entwurf"), "Maßnahme im Entwurf")
    versions.version_start(actor=SYSTEM, consultation=consultation, title="Entwurf")
    links = urls(consultation)
    page = text_of(client.get(links["concept"]))
    assert (
        "Es wurde noch keine Fassung des Konzepts beschlossen und veröffentlicht. Die Ziele und "
        "Maßnahmen erscheinen hier, sobald das zuständige Gremium sie beschlossen und die "
        "Koordinierungsstelle die beschlossene Fassung veröffentlicht hat."
    ) in page
    assert "Maßnahme im Entwurf" not in page and "<table" not in page
    assert links["concept_pdf"] not in page  # no download links to nothing
    assert client.get(links["concept_pdf"]).status_code == 404
    assert client.get(links["concept_xlsx"]).status_code == 404
    monitoring = text_of(client.get(links["monitoring"]))
    assert (
        "Es wurde noch keine Fassung des Konzepts beschlossen und veröffentlicht, daher sind hier "
        "noch keine Maßnahmen aufgeführt."
    ) in monitoring
    assert "Maßnahme im Entwurf" not in monitoring
    listing = text_of(client.get(links["versions"]))
    assert "Es wurde noch keine Fassung des Konzepts beschlossen und veröffentlicht." in listing
    assert "<h2>Entwurf" not in listing  # a draft is not a public version
    with translation.override("en"):
        english = text_of(client.get(reverse("results:concept", args=[consultation.slug])))
    assert "No version of the concept has been adopted and published yet." in english


def test_the_published_version_names_its_resolution_on_page_pdf_and_xlsx(client, concept):
    links = urls(concept["consultation"])
    line = "Beschlossen von Regionsversammlung am 13. Dezember 2016 (Drucksache 1234 (V) 16)"
    page = text_of(client.get(links["concept"]))
    assert line in page and "Integrationskonzept 2016" in page
    assert has_row(page, 1, FIRST)
    assert line in pdf_text(client.get(links["concept_pdf"]).content)
    sheets = xlsx_rows(client.get(links["concept_xlsx"]).content)
    assert ("Beschluss", line) in sheets["Beschluss"]
    assert ("Datum des Beschlusses", date(2016, 12, 13)) in [
        (label, value.date() if hasattr(value, "date") else value)
        for label, value in sheets["Beschluss"]
    ]
    assert line in text_of(client.get(links["monitoring"]))
    with translation.override("en"):
        english = text_of(
            client.get(reverse("results:concept", args=[concept["consultation"].slug]))
        )
    assert "Adopted by Regionsversammlung on Dec. 13, 2016 (Drucksache 1234 (V) 16)" in english


def test_a_fortschreibung_reaches_the_public_only_once_published(client, concept, office):
    consultation, links = concept["consultation"], urls(concept["consultation"])
    draft = versions.version_start(
        actor=office, consultation=consultation, title="Fortschreibung 2027"
    )
    versions.measure_reword(actor=office, measure=concept["first"], text=REWORDED)
    versions.measure_add(actor=office, goal=concept["goal"], text=ADDED)
    versions.measure_move(actor=office, measure=concept["second"], direction="up")

    def public():
        page = text_of(client.get(links["concept"]))
        pdf = pdf_text(client.get(links["concept_pdf"]).content)
        (sheet,) = [
            rows
            for name, rows in xlsx_rows(client.get(links["concept_xlsx"]).content).items()
            if name != "Beschluss"
        ]
        cells = [(row[1], row[2]) for row in sheet[1:]]
        monitoring = text_of(client.get(links["monitoring"]))
        return page, pdf, cells, monitoring

    old_cells = [(1, FIRST), (2, "Sprachcafés unterstützen")]
    for state in ("draft", "adopted"):
        page, pdf, cells, monitoring = public()
        assert FIRST in page and REWORDED not in page and ADDED not in page, state
        assert has_row(page, 2, "Sprachcafés unterstützen")
        assert REWORDED not in pdf and ADDED not in pdf and "Sprachcafés" in pdf
        assert cells == old_cells, state
        assert FIRST in monitoring and ADDED not in monitoring
        if state == "draft":
            versions.version_adopt(
                actor=office, version=draft, body="Regionsversammlung", on=date(2026, 3, 12)
            )

    versions.version_publish(actor=office, version=draft)
    page, pdf, cells, monitoring = public()
    assert cells == [(1, "Sprachcafés unterstützen"), (2, REWORDED), (3, ADDED)]
    assert has_row(page, 2, REWORDED)
    assert has_row(page, 3, ADDED)
    assert FIRST not in page
    assert "Beschlossen von Regionsversammlung am 12. März 2026" in page
    assert REWORDED in pdf and ADDED in pdf
    assert "Fortschreibung 2027" in pdf
    assert REWORDED in monitoring and ADDED in monitoring


def test_the_monitoring_list_shows_frozen_wording_with_the_working_status(client, concept, office):
    from consultations.results import services

    services.measure_record_progress(
        actor=office, measure=concept["first"], status="in_progress", note="Kurse laufen"
    )
    versions.version_start(actor=office, consultation=concept["consultation"], title="F")
    versions.measure_reword(actor=office, measure=concept["first"], text=REWORDED)
    html = text_of(client.get(urls(concept["consultation"])["monitoring"]))
    row = html[html.index(FIRST) - 200 : html.index(FIRST) + 300]
    assert "In Umsetzung" in row
    assert REWORDED not in html
    filtered = text_of(
        client.get(urls(concept["consultation"])["monitoring"], {"status": "planned"})
    )
    assert FIRST not in filtered and "Sprachcafés unterstützen" in filtered


def test_newly_published_assessments_wait_in_the_working_copy(client, concept):
    from consultations.results import services
    from consultations.results.services import AdoptionInput

    from .factories import ProposalFactory

    proposal = ProposalFactory(
        consultation=concept["consultation"], handlungsfeld=concept["field"], title="Neu"
    )
    measure = services.adopt_proposal(
        actor=SYSTEM,
        proposal=proposal,
        adoption=AdoptionInput(feasibility="feasible", revised_title="Frisch veröffentlicht"),
    )
    assert isinstance(measure, ConceptMeasure) and measure.consultation == concept["consultation"]
    links = urls(concept["consultation"])
    assert "Frisch veröffentlicht" not in text_of(client.get(links["concept"]))
    assert "Frisch veröffentlicht" not in text_of(client.get(links["monitoring"]))


def test_the_versions_page_and_what_changed(client, concept, office):
    consultation = concept["consultation"]
    versions.version_start(actor=office, consultation=consultation, title="Fortschreibung 2027")
    field_two = HandlungsfeldFactory(name="Gesundheit und Pflege", number=6)
    consultation.handlungsfelder.add(field_two)
    second_goal = versions.goal_add(
        actor=office,
        consultation=consultation,
        handlungsfeld=concept["field"],
        text="Eltern stärken",
    )
    versions.measure_reword(actor=office, measure=concept["first"], text=REWORDED)
    versions.measure_regroup(actor=office, measure=concept["first"], goal=second_goal)
    versions.goal_reword(actor=office, goal=concept["goal"], text="Sprache gezielt fördern")
    versions.measure_remove(actor=office, measure=concept["second"])
    versions.measure_add(actor=office, goal=concept["goal"], text=ADDED)
    draft = versions.draft_of(consultation)
    versions.version_adopt(
        actor=office, version=draft, body="Regionsausschuss", on=date(2026, 3, 12)
    )

    # Adopted, not published: the public lists version 1 only, and version 2 has no page.
    listing = text_of(client.get(reverse("results:versions", args=[consultation.slug])))
    assert "Integrationskonzept 2016" in listing and "Fortschreibung 2027" not in listing
    changes_url = reverse("results:version_changes", args=[consultation.slug, 2])
    assert client.get(changes_url).status_code == 404

    versions.version_publish(actor=office, version=draft)
    listing = text_of(client.get(reverse("results:versions", args=[consultation.slug])))
    assert listing.index("Fortschreibung 2027") < listing.index("Integrationskonzept 2016")
    assert "Beschlossen von Regionsausschuss am 12. März 2026" in listing
    assert changes_url in listing

    changes = selectors.version_changes(draft)
    assert [e.text for e in changes.added] == ["Eltern stärken", ADDED]
    assert [e.text for e in changes.removed] == ["Sprachcafés unterstützen"]
    assert [(a.text, b.text) for a, b in changes.reworded] == [
        ("Sprache fördern", "Sprache gezielt fördern"),
        (FIRST, REWORDED),
    ]
    assert [(a.number, b.number, b.parent.text) for a, b in changes.moved] == [
        (1, 2, "Eltern stärken")
    ]
    assert changes.renumbered == []

    page = text_of(client.get(changes_url))
    assert "Im Vergleich zur vorigen Fassung „Integrationskonzept 2016“." in page
    assert "Hinzugefügt (2)" in page and "Entfernt (1)" in page and "Umformuliert (2)" in page
    assert f"<del>{FIRST}</del></td><td>→ <ins>{REWORDED}</ins>" in page
    assert "<del>Sprachcafés unterstützen</del>" in page
    assert "Nr. 1 unter „Sprache fördern“" in page and "Nr. 2 unter „Eltern stärken“" in page
    first_page = text_of(
        client.get(reverse("results:version_changes", args=[consultation.slug, 1]))
    )
    assert "Dies ist die erste Fassung: Alle Ziele und Maßnahmen darin sind neu." in first_page
    assert "Hinzugefügt (3)" in first_page


def test_a_measure_that_only_changed_its_number_is_listed_as_renumbered(client, concept, office):
    consultation = concept["consultation"]
    versions.version_start(actor=office, consultation=consultation, title="Fortschreibung")
    versions.measure_move(actor=office, measure=concept["second"], direction="up")
    draft = versions.draft_of(consultation)
    versions.version_adopt(
        actor=office, version=draft, body="Regionsversammlung", on=date(2026, 1, 5)
    )
    versions.version_publish(actor=office, version=draft)
    changes = selectors.version_changes(draft)
    assert [(a.number, b.number, b.text) for a, b in changes.renumbered] == [
        (2, 1, "Sprachcafés unterstützen"),
        (1, 2, FIRST),
    ]
    assert not (changes.added or changes.removed or changes.reworded or changes.moved)
    page = text_of(client.get(reverse("results:version_changes", args=[consultation.slug, 2])))
    assert "Neu nummeriert (2)" in page
    assert f'<td class="num">1</td><td class="num">2</td><td>{FIRST}</td>' in page


def test_an_unchanged_fortschreibung_says_so(client, concept, office):
    consultation = concept["consultation"]
    draft = versions.version_start(actor=office, consultation=consultation, title="Unverändert")
    versions.version_adopt(
        actor=office, version=draft, body="Regionsversammlung", on=date(2026, 1, 5)
    )
    versions.version_publish(actor=office, version=draft)
    page = text_of(client.get(reverse("results:version_changes", args=[consultation.slug, 2])))
    assert "Wortlaut und Nummerierung haben sich nicht geändert." in page


def big_concept(measures_per_goal: int) -> object:
    """8 fields × 3 goals × n measures, adopted and published."""
    consultation = ConsultationFactory()
    for number in range(1, 9):
        field = HandlungsfeldFactory(number=number)
        consultation.handlungsfelder.add(field)
        for g in range(3):
            goal = ConceptGoal.objects.create(
                consultation=consultation, handlungsfeld=field, position=g + 1, title=f"Ziel {g}"
            )
            ConceptMeasure.objects.bulk_create(
                ConceptMeasure(
                    goal=goal,
                    consultation=consultation,
                    handlungsfeld=field,
                    number=g * measures_per_goal + m + 1,
                    text=f"Maßnahme {number}.{g}.{m}",
                )
                for m in range(measures_per_goal)
            )
    version = versions.version_start(actor=SYSTEM, consultation=consultation, title="Groß")
    versions.version_adopt(
        actor=SYSTEM, version=version, body="Regionsversammlung", on=date(2026, 1, 5)
    )
    versions.version_publish(actor=SYSTEM, version=version)
    return consultation


def test_the_concept_page_with_144_measures_needs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small, large = big_concept(1), big_concept(6)  # 24 and 144 measures
    assert ConceptMeasure.objects.filter(consultation=large).count() == 144
    url = reverse("results:concept", args=[small.slug])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url).status_code == 200
    with django_assert_num_queries(len(baseline)):
        response = client.get(reverse("results:concept", args=[large.slug]))
    assert text_of(response).count('<td class="concept-number">') == 144
    with django_assert_max_num_queries(8):
        client.get(reverse("results:concept", args=[large.slug]))
    # The selector itself: the version, the fields, the entries.
    with django_assert_num_queries(3):
        selectors.concept(large)


def test_the_pdf_html_lists_the_frozen_entries(concept):
    consultation = concept["consultation"]
    html = exports.concept_html(
        consultation,
        selectors.concept(consultation),
        version=selectors.published_version(consultation),
    )
    assert '<td class="number">1</td>' in html and FIRST in html
    assert "Beschlossen von Regionsversammlung am 13. Dezember 2016" in html
