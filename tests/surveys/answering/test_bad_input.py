"""Bad input: tokens that do not open a survey, closed surveys, values the questions do not
accept, pages and questions hidden by conditions. A clear message, nothing half-stored."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Answer, Response, SurveyStatus
from surveys.tokens import new_token
from tests.surveys.answering.helpers import PAGE1, PAGE2, build_survey, page_url, url
from tests.surveys.factories import RecipientFactory

pytestmark = pytest.mark.django_db


def _bad_tokens():
    """One token of each bad kind, all for the same survey."""
    bedarf = build_survey()
    now = timezone.now()
    expired = RecipientFactory(survey=bedarf.survey, valid_until=now - datetime.timedelta(days=1))
    not_yet = RecipientFactory(survey=bedarf.survey, valid_from=now + datetime.timedelta(days=1))
    used = RecipientFactory(survey=bedarf.survey, completed_at=now)
    return bedarf, {
        "unknown": new_token(),
        "expired": expired.token,
        "not yet valid": not_yet.token,
        "used": used.token,
        "malformed": "abc",
        "malformed, odd characters": "ä ö/../%00<script>",
        "malformed, too long": "x" * 300,
    }


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_every_bad_token_gets_the_same_neutral_page_status_and_work(client):
    _bedarf, tokens = _bad_tokens()
    pages, statuses, queries = set(), set(), {}
    for kind, token in tokens.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("token", token=token))
        statuses.add(response.status_code)
        pages.add(_main(response.content.decode()).replace(token, ""))
        # The same work for each: one lookup by the token's hash (plus the session, if any).
        queries[kind] = [
            q["sql"] for q in captured.captured_queries if "surveys_recipient" in q["sql"]
        ]
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
    assert statuses == {404}
    assert len(pages) == 1, "the page must not tell the kinds apart"
    assert "Dieser Link öffnet keine Umfrage" in pages.pop()
    assert all(len(found) == 1 for found in queries.values()), queries
    assert all('"token_hash" =' in found[0] for found in queries.values()), queries
    assert not Response.objects.exists()


def test_a_survey_closed_meanwhile_also_gets_the_neutral_page(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    bedarf.survey.status = SurveyStatus.CLOSED
    bedarf.survey.save()
    response = client.get(url("token", token=recipient.token))
    assert response.status_code == 404
    assert "Dieser Link öffnet keine Umfrage" in response.content.decode()


@pytest.fixture
def answering(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    client.get(url("token", token=recipient.token))
    return bedarf, Response.objects.get(recipient=recipient)


def test_a_survey_closing_while_someone_types_refuses_and_keeps_the_text(client, answering):
    bedarf, response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    bedarf.survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    bedarf.survey.opens_at = timezone.now() - datetime.timedelta(days=10)
    bedarf.survey.save()

    refused = client.post(
        page_url(bedarf.survey, 2), {**PAGE2, "q_welche": "Mein langer Text", "action": "next"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Diese Umfrage ist beendet; es werden keine Antworten mehr angenommen." in html
    assert "Mein langer Text" in html  # what was typed is still in the form
    assert "wurden aber nicht gespeichert" in html
    assert not Answer.objects.filter(response=response, question__page=bedarf.page2).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"q_groesse": "1001"}, "Bitte geben Sie eine Zahl von 0 bis 1000 ein."),
        ({"q_groesse": "-1"}, "Bitte geben Sie eine Zahl von 0 bis 1000 ein."),
        ({"q_groesse": "2,5"}, "Bitte geben Sie eine ganze Zahl ein (ohne Nachkommastellen)."),
        ({"q_groesse": "viele"}, "Bitte geben Sie eine Zahl ein, z. B. 12 oder 3,5."),
        ({"q_groesse": ""}, "Bitte beantworten Sie diese Frage."),
        ({"q_kommune": "99"}, "Bitte wählen Sie eine der angebotenen Antworten."),
        ({"q_art": ["1", "7"]}, "Bitte wählen Sie eine der angebotenen Antworten."),
        ({"q_art": ["_other"], "q_art__other": ""}, "Bitte beschreiben Sie „Sonstiges“"),
    ],
)
def test_values_the_question_does_not_accept_refuse_the_whole_page(
    client, answering, changes, message
):
    bedarf, response = answering
    posted = {**PAGE1, **changes, "action": "next"}
    refused = client.post(page_url(bedarf.survey, 1), posted)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert message in html
    assert "<title>Fehler:" in html
    assert 'class="error-summary"' in html
    assert not Answer.objects.filter(response=response).exists()  # nothing half-stored
    response.refresh_from_db()
    assert response.last_page is None


def test_errors_are_linked_to_their_fields_and_summarised_at_the_top(client, answering):
    bedarf, _response = answering
    html = client.post(
        page_url(bedarf.survey, 1), {**PAGE1, "q_groesse": "5000", "action": "next"}
    ).content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert 'href="#id_q_groesse"' in summary
    assert 'aria-describedby="q_groesse_help q_groesse_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="errorlist" id="q_groesse_error">' in html
    assert 'value="5000"' in html  # shown again as typed


def test_matrix_rows_and_ranking_are_checked(client, answering):
    bedarf, _response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    half = {**PAGE2, "action": "next"}
    del half["q_bedarf__arbeit"]
    html = client.post(page_url(bedarf.survey, 2), half).content.decode()
    assert "Bitte wählen Sie in jeder Zeile eine Antwort." in html
    assert "(noch keine Antwort)" in html
    assert not Answer.objects.filter(question__page=bedarf.page2).exists()

    client.post(page_url(bedarf.survey, 2), {**PAGE2, "action": "next"})
    twice = {"q_prio__1": "1", "q_prio__2": "1", "q_prio__3": "2", "action": "next"}
    html = client.post(page_url(bedarf.survey, 3), twice).content.decode()
    assert "Bitte vergeben Sie jeden Rang nur einmal" in html
    gap = {"q_prio__1": "1", "q_prio__2": "3", "action": "next"}
    assert "ohne Lücken" in client.post(page_url(bedarf.survey, 3), gap).content.decode()
    partial = {"q_prio__1": "2", "q_prio__2": "1", "action": "next"}
    assert client.post(page_url(bedarf.survey, 3), partial).status_code == 302  # not required
    assert not Answer.objects.filter(question=bedarf.prio, rank=3).exists()


def test_answers_to_a_question_hidden_by_its_condition_are_ignored_with_a_message(
    client, answering
):
    bedarf, response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    # "No" hides the follow-up question on the same page: its text is not stored.
    saved = client.post(
        page_url(bedarf.survey, 2), {**PAGE2, "q_angebot": "N", "action": "next"}, follow=True
    )
    assert saved.redirect_chain[0][1] == 302
    assert "weil diese Fragen nach Ihren bisherigen Antworten nicht auf Sie zutreffen" in (
        saved.content.decode()
    )
    assert not Answer.objects.filter(response=response, question=bedarf.welche).exists()
    assert Answer.objects.filter(response=response, question=bedarf.angebot).exists()


def test_a_page_hidden_by_its_condition_is_skipped_and_takes_nothing(client, answering):
    bedarf, response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "q_groesse": "4", "action": "next"})
    # Page 3 is only for institutions reaching more than 10 people.
    after_2 = client.post(page_url(bedarf.survey, 2), {**PAGE2, "action": "next"})
    assert after_2["Location"] == url("review", slug=bedarf.survey.slug)
    posted = client.post(
        page_url(bedarf.survey, 3), {"q_kontakt": "Herr B.", "action": "next"}, follow=True
    )
    assert "Diese Seite trifft nach Ihren bisherigen Antworten nicht auf Sie zu." in (
        posted.content.decode()
    )
    assert not Answer.objects.filter(response=response, question__page=bedarf.page3).exists()


def test_a_question_posted_on_the_wrong_page_is_ignored(client, answering):
    bedarf, response = answering
    client.post(
        page_url(bedarf.survey, 1), {**PAGE1, "q_kontakt": "untergeschoben", "action": "next"}
    )
    assert not Answer.objects.filter(response=response, question=bedarf.kontakt).exists()


def test_too_long_text_is_refused_with_its_length(client, answering):
    bedarf, _response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    client.post(page_url(bedarf.survey, 2), {**PAGE2, "action": "next"})
    html = client.post(
        page_url(bedarf.survey, 3), {"q_kontakt": "x" * 41, "action": "next"}
    ).content.decode()
    assert "Ihre Antwort darf höchstens 40 Zeichen lang sein; sie hat 41." in html
    assert "x" * 41 in html


def test_submitting_with_a_required_question_open_is_refused_with_links(client, answering):
    bedarf, response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    refused = client.post(url("submit", slug=bedarf.survey.slug))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Bitte beantworten Sie die noch offenen Pflichtfragen." in html
    assert f'href="{page_url(bedarf.survey, 2)}#question-angebot"' in html
    response.refresh_from_db()
    assert not response.is_complete


def test_answering_pages_without_a_session_send_to_the_survey_page(client):
    bedarf = build_survey()
    response = client.get(page_url(bedarf.survey, 1), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", slug=bedarf.survey.slug)
    assert "persönlichen Link aus Ihrer Einladung" in response.content.decode()


def test_an_invitation_running_out_while_answering_refuses_and_keeps_the_text(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    client.get(url("token", token=recipient.token))
    type(recipient).objects.filter(pk=recipient.pk).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    refused = client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Ihr Einladungslink ist nicht mehr gültig." in html
    assert 'value="Moscheegemeinde"' in html
    assert not Answer.objects.exists()


def test_submitting_after_the_survey_closed_is_refused_and_the_answers_stay(client, answering):
    bedarf, response = answering
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    bedarf.survey.status = SurveyStatus.CLOSED
    bedarf.survey.save()
    refused = client.post(url("submit", slug=bedarf.survey.slug))
    assert refused.status_code == 400
    assert "Diese Umfrage ist beendet" in refused.content.decode()
    response.refresh_from_db()
    assert not response.is_complete
    assert Answer.objects.filter(response=response).count() == 4


@pytest.mark.parametrize(
    ("typed", "language", "number"),
    [
        ("12", "de", "12"),
        ("3,5", "de", "3.5"),
        ("3.5", "de", "3.5"),
        ("1.000", "de", "1000"),
        ("1.000,5", "de", "1000.5"),
        ("1,000", "en", "1000"),
        ("1,000.5", "en", "1000.5"),
        ("3,5", "en", "3.5"),
        ("-2", "de", "-2"),
        ("1e400", "de", None),
        ("NaN", "de", None),
        ("zwölf", "de", None),
    ],
)
def test_numbers_are_read_as_people_write_them(typed, language, number):
    from decimal import Decimal

    from surveys.answering.forms import parse_number

    expected = Decimal(number) if number is not None else None
    assert parse_number(typed, language) == expected
