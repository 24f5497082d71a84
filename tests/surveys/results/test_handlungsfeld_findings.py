"""From findings to the Handlungsfelder: once a survey's results are published, each
Handlungsfeld page shows the results of the questions tagged with that field."""

from __future__ import annotations

import pytest

from cms.models import HandlungsfeldPage
from foundation.actors import SYSTEM
from surveys.results.services import results_publish
from tests.cms.conftest import demo_site  # noqa: F401  (the page tree of the demo extract)

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db


def test_the_field_page_shows_the_tagged_questions_once_published(client, demo_site):  # noqa: F811
    page = HandlungsfeldPage.objects.get(slug="bildung-und-sprache")
    other = HandlungsfeldPage.objects.exclude(pk=page.pk).first()
    data = questionnaire()
    data.kind.handlungsfelder.add(page.handlungsfeld)
    data.size.handlungsfelder.add(other.handlungsfeld)
    for index in range(6):
        respond(data, kinds=("1",) if index < 5 else ("2",), size="1", remark="Frau K. aus Laatzen")
    url = page.get_url()
    assert "Welcher Art ist Ihre Einrichtung?" not in client.get(url).content.decode()
    results_publish(survey=data.survey, actor=SYSTEM)
    html = client.get(url).content.decode()
    assert "Was die Umfrage ergeben hat" in html
    assert "Welcher Art ist Ihre Einrichtung?" in html and "Wie groß ist sie?" not in html
    assert '<svg class="bar-chart" role="img"' in html
    assert "weniger als 5 Antworten" in html  # Bildungseinrichtungen: 1
    assert "Frau K." not in html
    assert "Wie groß ist sie?" in client.get(other.get_url()).content.decode()


def test_withdrawn_findings_leave_the_field_page_at_once(client, demo_site):  # noqa: F811
    from surveys.results.services import results_unpublish

    page = HandlungsfeldPage.objects.get(slug="bildung-und-sprache")
    data = questionnaire()
    data.kind.handlungsfelder.add(page.handlungsfeld)
    for _ in range(6):
        respond(data, kinds=("1",), size="1")
    results_publish(survey=data.survey, actor=SYSTEM)
    html = client.get(page.get_url()).content.decode()
    assert "Welcher Art ist Ihre Einrichtung?" in html and "Gezählt am" in html
    results_unpublish(survey=data.survey, actor=SYSTEM)
    assert "Welcher Art ist Ihre Einrichtung?" not in client.get(page.get_url()).content.decode()
