"""A proposal enters the working copy of the concept when its assessment is published, and
the public concept only with the next adopted and published version.

Between approval and publication the coordination office may still hold the result back; after
publication the measure waits in the working copy until a version is adopted (still not public)
and published (then on the concept page, in the monitoring list and in both downloads).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.results import exports, selectors, versions
from consultations.results.models import ConceptMeasure
from consultations.review import services as review
from consultations.review.models import Feasibility

from .factories import (
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ProposalFactory,
    coordination_office_user,
    reviewer_of,
)

pytestmark = pytest.mark.django_db

REVISED = "Elternlotsinnen in allen 21 Kommunen einsetzen"


def approved_case():
    """A measure proposal assessed as feasible, with a revised wording, approved: not published."""
    consultation = ConsultationFactory()
    field = HandlungsfeldFactory(name="Bildung und Sprache")
    consultation.handlungsfelder.add(field)
    proposal = ProposalFactory(
        consultation=consultation, handlungsfeld=field, title="Mehr Hilfe für Eltern"
    )
    department = DepartmentFactory()
    office, reviewer = coordination_office_user(), reviewer_of(department)
    (case,) = review.cases_assign(
        proposals=[proposal], lead_department=department, due_on=None, actor=office
    )
    review.review_start(case=case, actor=reviewer)
    review.assessment_save(
        case=case,
        actor=reviewer,
        data={
            "feasibility": Feasibility.FEASIBLE,
            "responsibility": ["region"],
            "public_rationale": "Die Region finanziert die Lotsinnen ab dem nächsten Jahr.",
            "revised_title": REVISED,
        },
        submit=True,
    )
    review.case_approve(case=case, actor=office)
    return case, consultation, office


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def on_public_pages(client, consultation, proposal) -> dict[str, bool]:
    pages = {
        "concept": reverse("results:concept", args=[consultation.slug]),
        "monitoring": reverse("results:monitoring", args=[consultation.slug]),
        "proposal": reverse("consultations:proposal_detail", args=[consultation.slug, proposal.pk]),
    }
    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = REVISED in normalise(response.content.decode())
    return found


def in_pdf(client, consultation) -> bool:
    response = client.get(reverse("results:concept_pdf", args=[consultation.slug]))
    if selectors.published_version(consultation) is None:
        assert response.status_code == 404  # no published version: nothing to download
        return False
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        return REVISED in normalise(text)
    # Without poppler: the HTML the PDF is printed from.
    html = exports.concept_html(consultation, selectors.concept(consultation))
    return REVISED in normalise(html)


def in_xlsx(client, consultation) -> bool:
    response = client.get(reverse("results:concept_xlsx", args=[consultation.slug]))
    if selectors.published_version(consultation) is None:
        assert response.status_code == 404
        return False
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return any(REVISED in cell for cell in cells)


def test_an_approved_assessment_is_in_the_concept_only_once_published(client):
    case, consultation, office = approved_case()

    assert on_public_pages(client, consultation, case.proposal) == {
        "concept": False,
        "monitoring": False,
        "proposal": False,
    }
    assert not in_pdf(client, consultation)
    assert not in_xlsx(client, consultation)

    review.cases_publish(cases=[case], actor=office)

    # Published: in the working copy, not yet in the public concept.
    assert ConceptMeasure.objects.filter(text=REVISED).exists()
    found = on_public_pages(client, consultation, case.proposal)
    assert not found["concept"] and not found["monitoring"]
    assert not in_pdf(client, consultation)

    draft = versions.version_start(actor=office, consultation=consultation, title="Fassung 1")
    versions.version_adopt(
        actor=office, version=draft, body="Regionsversammlung", on=date(2026, 3, 12)
    )
    found = on_public_pages(client, consultation, case.proposal)
    assert not found["concept"] and not found["monitoring"]  # adopted, not published yet

    versions.version_publish(actor=office, version=draft)
    found = on_public_pages(client, consultation, case.proposal)
    assert found["concept"] and found["monitoring"]
    assert in_pdf(client, consultation)
    assert in_xlsx(client, consultation)
