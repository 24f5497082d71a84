"""The whole answering story through HTTP: an invited institution opens its link, answers
half, leaves, resumes in another browser with the same link, goes back, and finishes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from surveys.models import Answer, Recipient, Response, ResponseState
from tests.surveys.answering.helpers import PAGE1, PAGE2, PAGE3, build_survey, page_url, url
from tests.surveys.factories import RecipientFactory, RecipientGroupFactory

pytestmark = pytest.mark.django_db


def test_open_answer_half_leave_resume_elsewhere_go_back_and_finish(client):
    bedarf = build_survey()
    survey = bedarf.survey
    group = RecipientGroupFactory(survey=survey, name="Beratungsstellen")
    recipient = RecipientFactory(survey=survey, group=group, name="Beratung Nord")

    # The link from the invitation: exchanged for a session, the token leaves the address bar.
    opened = client.get(url("token", token=recipient.token))
    assert opened.status_code == 302
    assert recipient.token not in opened["Location"]
    assert opened["Referrer-Policy"] == "no-referrer"
    first = client.get(opened["Location"], follow=True)
    assert first.redirect_chain[-1][0] == page_url(survey, 1)
    html = first.content.decode()
    assert "Über Ihre Einrichtung" in html
    assert "Schritt 1 von 3" in html  # page 3 is not shown until the number is known
    response = Response.objects.get(recipient=recipient)
    assert response.state == ResponseState.OPENED
    assert response.group == group

    # Page 1, then leave.
    saved = client.post(page_url(survey, 1), {**PAGE1, "action": "next"})
    assert saved.status_code == 302 and saved["Location"] == page_url(survey, 2)
    response.refresh_from_db()
    assert response.state == ResponseState.PARTIAL
    assert response.last_page == bedarf.page1

    # Another browser, the same link: continues on page 2, page 1's answers are there.
    other = Client()
    resumed = other.get(url("token", token=recipient.token), follow=True)
    assert resumed.redirect_chain[-1][0] == page_url(survey, 2)
    assert "Haben Sie Angebote für Geflüchtete?" in resumed.content.decode()
    assert "Schritt 2 von 4" in resumed.content.decode()  # 250 > 10: page 3 counts now
    back_on_1 = other.get(page_url(survey, 1)).content.decode()
    assert 'value="250"' in back_on_1
    assert 'value="Moscheegemeinde"' in back_on_1
    assert 'value="2" selected' in back_on_1

    # Page 2 typed, then back: what was typed is saved and shown again.
    went_back = other.post(page_url(survey, 2), {**PAGE2, "action": "back"})
    assert went_back["Location"] == page_url(survey, 1)
    again = other.get(page_url(survey, 2)).content.decode()
    assert "Sprachcafé" in again
    assert (
        'value="3" id="id_q_bedarf__sprache_2" aria-labelledby="q_bedarf__row_0 q_bedarf__scale_2" checked'
        in again
    )

    # On to the end.
    assert other.post(page_url(survey, 2), {**PAGE2, "action": "next"})["Location"] == page_url(
        survey, 3
    )
    assert other.post(page_url(survey, 3), {**PAGE3, "action": "next"})["Location"] == url(
        "review", slug=survey.slug
    )

    review = other.get(url("review", slug=survey.slug)).content.decode()
    for shown in [
        "Moscheegemeinde",
        "Laatzen",
        "Sprachkurse: hoch",
        "1. Arbeit",
        "Frau A.",
        "1. März 2019",
    ]:
        assert shown in review
    assert f'href="{page_url(survey, 2)}#question-welche"' in review  # a link to change it

    done = other.post(url("submit", slug=survey.slug))
    assert done["Location"] == url("thanks", slug=survey.slug)
    assert "Vielen Dank" in other.get(done["Location"]).content.decode()

    response.refresh_from_db()
    assert response.state == ResponseState.COMPLETE
    assert response.submitted_at is not None
    assert response.recipient == recipient  # not an anonymous survey
    assert Recipient.objects.get(pk=recipient.pk).completed_at is not None
    answers = Answer.objects.filter(response=response)
    assert answers.get(question=bedarf.groesse).number == Decimal(250)
    assert answers.get(question=bedarf.start).date == datetime.date(2019, 3, 1)
    assert {(a.option.code, a.rank) for a in answers.filter(question=bedarf.prio)} == {
        ("1", 2),
        ("2", 1),
        ("3", 3),
    }
    assert answers.get(question=bedarf.art, option__isnull=True).text == "Moscheegemeinde"

    # The link is used up now, and the first browser sees the thank-you instead of the form.
    assert other.get(url("token", token=recipient.token)).status_code == 404
    assert client.get(page_url(survey, 1))["Location"] == url("thanks", slug=survey.slug)


def test_posting_a_page_twice_stores_it_once(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    client.get(url("token", token=recipient.token))
    for _ in range(2):
        assert (
            client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"}).status_code == 302
        )
    response = Response.objects.get(recipient=recipient)
    assert response.answers.filter(question=bedarf.groesse).count() == 1
    assert response.answers.filter(question=bedarf.art).count() == 2  # option 1 and "other"

    changed = {**PAGE1, "q_art": ["2"], "q_art__other": "", "q_groesse": "5"}
    client.post(page_url(bedarf.survey, 1), {**changed, "action": "next"})
    assert [a.option.code for a in response.answers.filter(question=bedarf.art)] == ["2"]
    assert response.answers.get(question=bedarf.groesse).number == 5


def test_back_with_an_unfinished_page_keeps_what_was_typed_without_storing_it(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    client.get(url("token", token=recipient.token))
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})

    # The matrix is required and unfinished: going back must not lose the typed text.
    unfinished = {"q_angebot": "Y", "q_welche": "Hausaufgabenhilfe, halb fertig", "action": "back"}
    went_back = client.post(page_url(bedarf.survey, 2), unfinished)
    assert went_back["Location"] == page_url(bedarf.survey, 1)
    assert not Answer.objects.filter(question__page=bedarf.page2).exists()
    again = client.get(page_url(bedarf.survey, 2)).content.decode()
    assert "Hausaufgabenhilfe, halb fertig" in again
    assert "Fehler:" not in again  # shown as typed, not as an error yet


def test_progress_counts_the_pages_shown_and_the_review(client):
    bedarf = build_survey()
    recipient = RecipientFactory(survey=bedarf.survey)
    client.get(url("token", token=recipient.token))
    client.post(page_url(bedarf.survey, 1), {**PAGE1, "q_groesse": "3", "action": "next"})
    html = client.get(page_url(bedarf.survey, 2)).content.decode()
    assert "Schritt 2 von 3" in html  # page 3 does not apply to small institutions
    assert '<progress max="3" value="2"' in html
