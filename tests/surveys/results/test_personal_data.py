"""GDPR: a respondent's answers linked to the account appear in the account's data export;
anonymous (unlinked) answers do not."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.foundation.factories import ResidentFactory

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_the_respondents_own_answers(client):
    data = questionnaire()
    user = ResidentFactory()
    respond(
        data,
        user=user,
        kinds=("1", "3"),
        size="2",
        rating={"sprache": "3"},
        staff=5,
        ranking=("2",),
        remark="Mehr Abendkurse",
    )
    # An anonymous survey's response: the link to the account was cut on completion.
    respond(data, kinds=("2",), invite=False)
    respond(data, user=ResidentFactory(), remark="Antwort einer anderen Person")
    client.force_login(user)
    response = client.get(reverse("foundation:data_export"))
    assert response.status_code == 200
    exported = json.loads(response.content)
    [entry] = exported["Ihre Beiträge und Einträge"]["Umfrageantworten"]
    assert entry["Umfrage"] == "Bedarfsanalyse" and entry["Bearbeitungsstand"] == "Vollständig"
    answers = {
        (a["Fragecode"], json.dumps(a["Antwort"], ensure_ascii=False)) for a in entry["Antworten"]
    }
    assert ("art", '"Vereine"') in answers and ("art", '"Beratungsstellen"') in answers
    assert ("groesse", '"mittel"') in answers
    assert ("bedarf", '{"Zeile": "Sprachkurse", "Skalenpunkt": "hoch"}') in answers
    assert ("personal", '"5"') in answers and ("anmerkungen", '"Mehr Abendkurse"') in answers
    assert ("prioritaet", '{"Option": "Arbeit", "Rang": 1}') in answers
    text = response.content.decode()
    assert "Antwort einer anderen Person" not in text
    assert '"Bildungseinrichtungen"' not in text  # the unlinked response's answer


def test_no_survey_section_without_responses(client):
    user = ResidentFactory()
    client.force_login(user)
    exported = json.loads(client.get(reverse("foundation:data_export")).content)
    assert "Umfrageantworten" not in exported["Ihre Beiträge und Einträge"]
