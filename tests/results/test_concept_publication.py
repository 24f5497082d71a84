"""The published concept reproduces the annex of the Integrationskonzept: page, PDF, XLSX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.results import exports, selectors
from consultations.results.models import (
    ConceptGoal,
    ConceptMeasure,
    ConceptRevision,
    ConceptVersion,
    ConceptVersionEntry,
    VersionState,
)
from demo.loader import load_demo, read_data
from demo.steps import HISTORIC_CONSULTATION_SLUG

pytestmark = pytest.mark.django_db

SLUG = HISTORIC_CONSULTATION_SLUG


@pytest.fixture(scope="module")
def annex_data():
    return read_data()


@pytest.fixture
def demo(annex_data):
    return load_demo(data=annex_data, log=lambda _line: None)


def expected(annex_data):
    """[(field name, [(goal, [(number, text), ...]), ...]), ...] as printed in the annex."""
    return [
        (
            row["name"],
            [
                (goal["goal"], [(m["number"], m["text"]) for m in goal["measures"]])
                for goal in row["annex"]
            ],
        )
        for row in annex_data["handlungsfelder"]
        if row.get("annex")
    ]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_demo_loader_reproduces_the_annex_numbers_exactly_and_is_idempotent(demo, annex_data):
    consultation = demo.historic_consultation
    fields = selectors.concept(consultation)
    loaded = [
        (
            entry.handlungsfeld.name,
            [(g.goal.title, [(m.number, m.text) for m in g.measures]) for g in entry.goals],
        )
        for entry in fields
        if entry.goals
    ]
    assert loaded == expected(annex_data)
    mine = {"consultation": consultation}
    counts = (
        ConceptGoal.objects.filter(**mine).count(),
        ConceptMeasure.objects.filter(**mine).count(),
    )
    assert counts == (37, 144)
    assert counts[1] == sum(
        len(g["measures"]) for row in annex_data["handlungsfelder"] for g in row.get("annex", [])
    )
    # The annex is version 1, adopted by the Regionsversammlung and published; what the public
    # sees is its frozen entries.
    (version,) = ConceptVersion.objects.filter(consultation=consultation)
    assert (version.number, version.title, version.state) == (
        1,
        "Integrationskonzept der Region Hannover 2016",
        VersionState.PUBLISHED,
    )
    assert version.resolution_body == "Regionsversammlung"
    assert version.resolution_date.year == 2016
    assert "Demo" in version.resolution_reference
    assert version.entries.filter(kind="goal").count() == 37
    assert version.entries.filter(kind="measure").count() == 144

    before = ConceptVersion.objects.count(), ConceptVersionEntry.objects.count()
    load_demo(data=annex_data, log=lambda _line: None)
    assert (
        ConceptGoal.objects.filter(**mine).count(),
        ConceptMeasure.objects.filter(**mine).count(),
    ) == counts
    assert (ConceptVersion.objects.count(), ConceptVersionEntry.objects.count()) == before


def test_the_fortschreibung_demo_has_a_second_version_in_draft_continuing_2016(demo):
    historic = ConceptVersion.objects.get(consultation=demo.historic_consultation)
    (draft,) = ConceptVersion.objects.filter(consultation=demo.demo_consultation)
    assert (draft.number, draft.state, draft.based_on) == (2, VersionState.DRAFT, historic)
    # The working copy starts as the 2016 concept, with two edits marked as demo.
    working = ConceptMeasure.objects.filter(consultation=demo.demo_consultation)
    # 144 + 1 added in the draft; the demo review's published case adds its own measure
    assert working.filter(source_proposal__isnull=True).count() == 145
    assert working.filter(source_proposal__isnull=False).count() == 1
    assert working.filter(source_proposal__isnull=True, text__endswith="Demo)").count() == 2
    assert ConceptRevision.objects.filter(version=draft).count() == 1
    assert not draft.entries.exists()


def test_the_concept_page_lists_every_goal_and_numbered_measure_in_order(client, demo, annex_data):
    page = demo.pages["concept:historic"]
    response = client.get(page.url)
    assert response.status_code == 200
    html = normalise(response.content.decode())
    assert html.count("<h1") == 1
    position = 0
    for field_name, goals in expected(annex_data):
        position = html.index(normalise(field_name), position)
        for goal, measures in goals:
            position = html.index(normalise(str(escape_html(goal))), position)
            for number, text in measures:
                position = html.index(f'<td class="concept-number">{number}</td>', position)
                position = html.index(normalise(str(escape_html(text))), position)


def escape_html(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def test_the_concept_page_filters_one_handlungsfeld(client, demo):
    page = demo.pages["concept:historic"]
    response = client.get(page.url, {"handlungsfeld": "vernetzung"})
    html = response.content.decode()
    assert "Handlungsfeld 7: Vernetzung" in html
    assert "Handlungsfeld 1: Partizipation und Teilhabe" not in html


def test_the_concept_page_reads_the_concept_in_three_queries(demo):
    consultation = demo.historic_consultation
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        selectors.concept(consultation)
    assert len(queries) <= 3


def test_the_xlsx_has_one_sheet_per_field_with_every_measure(client, demo, annex_data):
    response = client.get(reverse("results:concept_xlsx", args=[SLUG]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    *field_sheets, resolution = workbook.sheetnames
    assert resolution == "Beschluss"
    about = dict(workbook[resolution].iter_rows(values_only=True))
    assert about["Fassung"] == "Integrationskonzept der Region Hannover 2016"
    assert about["Beschlossen von"] == "Regionsversammlung"
    assert about["Beschluss"].startswith("Beschlossen von Regionsversammlung am 13. Dezember 2016")
    for (field_name, goals), sheet_name in zip(expected(annex_data), field_sheets, strict=True):
        assert field_name[:20] in sheet_name
        rows = list(workbook[sheet_name].iter_rows(min_row=2, values_only=True))
        wanted = [(goal, number, text) for goal, measures in goals for number, text in measures]
        assert [(row[0], row[1], row[2]) for row in rows] == wanted


def test_the_pdf_contains_every_goal_and_measure_in_order(client, demo, annex_data):
    response = client.get(reverse("results:concept_pdf", args=[SLUG]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    # The HTML the PDF is printed from holds the annex table per field, in order.
    html = normalise(
        exports.concept_html(
            demo.historic_consultation, selectors.concept(demo.historic_consultation)
        )
    )
    position = 0
    for _field_name, goals in expected(annex_data):
        for goal, measures in goals:
            position = html.index(normalise(escape_html(goal)), position)
            for number, text in measures:
                position = html.index(f'<td class="number">{number}</td>', position)
                position = html.index(normalise(escape_html(text)), position)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        flat = normalise(text)
        words_in_order = 0
        for _field_name, goals in expected(annex_data):
            for _goal, measures in goals:
                for _number, measure_text in measures:
                    first_words = " ".join(measure_text.split()[:3])
                    assert first_words in flat or first_words.replace("-", "") in flat.replace(
                        "-", ""
                    ), first_words
                    words_in_order += 1
        assert words_in_order > 100


def test_downloads_of_an_unpublished_consultation_answer_404(client, demo):
    consultation = demo.historic_consultation
    consultation.is_published = False
    consultation.save(update_fields=["is_published"])
    assert client.get(reverse("results:concept_pdf", args=[SLUG])).status_code == 404
    assert client.get(reverse("results:concept_xlsx", args=[SLUG])).status_code == 404
