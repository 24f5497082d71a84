"""The public list /umfragen/, a survey's detail page, the header link and the staff preview."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail import hooks

from foundation.roles import Role
from surveys import selectors
from surveys.models import Response, SurveyMode, SurveyStatus
from tests.foundation.factories import ResidentFactory, user_with_role
from tests.surveys.answering.helpers import PAGE1, build_survey, url
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_open_surveys_and_closed_ones_with_published_results(client):
    SurveyFactory(title="Offene Umfrage", status=SurveyStatus.OPEN, mode=SurveyMode.OPEN)
    SurveyFactory(title="Entwurf", status=SurveyStatus.DRAFT)
    SurveyFactory(title="Beendet, ohne Ergebnisse", status=SurveyStatus.CLOSED)
    SurveyFactory(
        title="Beendet, mit Ergebnissen",
        status=SurveyStatus.CLOSED,
        results_published_at=timezone.now(),
    )
    html = client.get(url("list")).content.decode()
    assert "Offene Umfrage" in html
    assert "Beendet, mit Ergebnissen" in html and "Ergebnisse veröffentlicht" in html
    assert "Entwurf" not in html
    assert "Beendet, ohne Ergebnisse" not in html


def test_the_list_takes_the_same_number_of_queries_for_many_surveys(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        SurveyFactory()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("list"))
    for _ in range(30):
        SurveyFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("list")).status_code == 200


def test_the_header_links_to_the_surveys(client):
    html = client.get(url("list")).content.decode()
    nav = html[html.index('aria-label="Hauptnavigation"') :]
    nav = nav[: nav.index("</nav>")]
    assert '<a href="/umfragen/" aria-current="page">Umfragen</a>' in nav


def test_the_detail_page_tells_dates_and_how_to_take_part(client):
    closes = timezone.now() + datetime.timedelta(days=20)
    bedarf = build_survey(
        intro="Wir fragen nach Bedarfen.",
        closes_at=closes,
        opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    html = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "Wir fragen nach Bedarfen." in html
    assert "Antworten möglich bis" in html
    assert "So nehmen Sie teil" in html
    assert "Eingeladene Einrichtungen und Personen" in html
    assert "<dd>9</dd>" in html  # questions that take an answer


def test_drafts_have_no_public_page(client):
    survey = SurveyFactory(status=SurveyStatus.DRAFT)
    assert client.get(url("detail", slug=survey.slug)).status_code == 404


def test_a_closed_survey_says_so_and_offers_no_start(client):
    survey = SurveyFactory(status=SurveyStatus.CLOSED, mode=SurveyMode.OPEN, allow_anonymous=True)
    html = client.get(url("detail", slug=survey.slug)).content.decode()
    assert "Diese Umfrage ist beendet" in html
    assert "Umfrage beginnen" not in html
    client.post(url("start", slug=survey.slug))
    assert not Response.objects.exists()


def test_the_results_package_adds_its_section_through_the_hook(client, tmp_path, settings):
    bedarf = build_survey()
    template = tmp_path / "results_slot.html"
    template.write_text("<section id='published-results'>Ergebnisse: {{ shown_count }}</section>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}
    ]

    def published(survey, request):
        return {"detail_sections": ["results_slot.html"], "shown_count": 42}

    with hooks.register_temporarily(selectors.DETAIL_CONTEXT_HOOK, published):
        html = client.get(url("detail", slug=bedarf.survey.slug)).content.decode()
    assert "<section id='published-results'>Ergebnisse: 42</section>" in html


def test_staff_preview_shows_every_page_and_stores_nothing(client):
    bedarf = build_survey(status=SurveyStatus.DRAFT)
    assert client.get(url("preview", slug=bedarf.survey.slug)).status_code == 302  # sign in
    client.force_login(ResidentFactory())
    assert client.get(url("preview", slug=bedarf.survey.slug)).status_code == 403

    client.force_login(user_with_role(Role.EDITOR))
    first = client.get(url("preview", slug=bedarf.survey.slug)).content.decode()
    assert "Vorschau: So sehen Teilnehmende diese Seite." in first
    assert "Wie viele Menschen erreichen Sie im Jahr?" in first
    # Page 3 is shown although its condition would hide it, with the condition noted;
    # the conditional question on page 2 too.
    third = client.get(url("preview_page", slug=bedarf.survey.slug, number=3)).content.decode()
    assert "Was ist am wichtigsten?" in third
    second = client.get(url("preview_page", slug=bedarf.survey.slug, number=2)).content.decode()
    assert "Welche Angebote sind das?" in second
    assert "Hinweis der Vorschau: wird nur gezeigt, wenn" in second

    # Sending checks like the real thing, then moves on; nothing is stored.
    refused = client.post(
        url("preview_page", slug=bedarf.survey.slug, number=1),
        {**PAGE1, "q_groesse": "5000", "action": "next"},
    )
    assert refused.status_code == 400
    assert "Bitte geben Sie eine Zahl von 0 bis 1000 ein." in refused.content.decode()
    moved = client.post(
        url("preview_page", slug=bedarf.survey.slug, number=1), {**PAGE1, "action": "next"}
    )
    assert moved["Location"] == url("preview_page", slug=bedarf.survey.slug, number=2)
    assert not Response.objects.exists()

    client.force_login(user_with_role(Role.COORDINATION))
    assert client.get(url("preview", slug=bedarf.survey.slug)).status_code == 200
