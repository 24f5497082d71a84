"""The coordination office's dashboard: participation per group and municipality, results per
question (options counted, not combinations), the complete/all filter and who may see it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from foundation.roles import Role
from surveys.models import ResponseState
from surveys.results import selectors
from tests.foundation.factories import user_with_role

from .helpers import invite_only, questionnaire, respond

pytestmark = pytest.mark.django_db


def dashboard_url(survey, **query):
    url = reverse("surveys:results_dashboard", kwargs={"slug": survey.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def data():
    data = questionnaire()
    # Beratungsstellen in Laatzen: 2 complete, 1 partial, 1 opened, 3 not yet answering.
    respond(data, kinds=("1", "3"), size="1", staff=4, rating={"sprache": "3"})
    respond(data, kinds=("1",), size="2", staff=10, rating={"sprache": "2", "beratung": "3"})
    respond(data, state=ResponseState.PARTIAL, kinds=("3",), size="1", staff=7)
    respond(data, state=ResponseState.OPENED)
    invite_only(data, 3)
    # Religionsgemeinschaften in Garbsen: 1 complete, 1 partial.
    respond(data, group=1, municipality=1, kinds=("1", "2", "3"), size="3", staff=1)
    respond(data, group=1, municipality=1, state=ResponseState.PARTIAL, kinds=("2",))
    return data


def test_participation_overall_per_group_and_per_municipality(data):
    counts = selectors.participation(survey=data.survey)
    overall = counts.overall
    assert (overall.invited, overall.opened, overall.partial, overall.complete) == (9, 1, 2, 3)
    assert overall.responded == 6
    groups = {row.label: row for row in counts.by_group}
    assert (groups["Beratungsstellen"].invited, groups["Beratungsstellen"].partial) == (7, 1)
    assert (groups["Beratungsstellen"].complete, groups["Beratungsstellen"].opened) == (2, 1)
    assert (
        groups["Religionsgemeinschaften"].invited,
        groups["Religionsgemeinschaften"].complete,
    ) == (2, 1)
    places = {row.label: row for row in counts.by_municipality}
    assert places["Laatzen"].invited == 7 and places["Garbsen"].answered == 2
    assert round(overall.complete_share, 1) == 33.3


def test_the_dashboard_shows_the_figures_in_german(client, coordination, data):
    response = client.get(dashboard_url(data.survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beratungsstellen" in html and "Laatzen" in html and "Garbsen" in html
    assert "33,3 %" in html  # complete of invited, with a decimal comma
    assert "33.3" not in html.split("<svg")[0]


def test_multiple_choice_counts_options_not_combinations(data):
    [kind] = [r for r in selectors.survey_results(survey=data.survey) if r.code == "art"]
    counts = {option.label: option.count for option in kind.options}
    # Vereine chosen by 3, Bildungseinrichtungen by 2, Beratungsstellen by 3 — not "1+3": 1 etc.
    assert counts == {"Vereine": 3, "Bildungseinrichtungen": 2, "Beratungsstellen": 3}
    assert kind.respondents == 5
    assert round(kind.options[0].share) == 60  # of respondents: shares add up past 100 %


def test_filter_complete_only(client, coordination, data):
    everything = {r.code: r for r in selectors.survey_results(survey=data.survey)}
    complete = {r.code: r for r in selectors.survey_results(survey=data.survey, complete_only=True)}
    assert everything["art"].respondents == 5 and complete["art"].respondents == 3
    assert [o.count for o in complete["art"].options] == [3, 1, 2]
    assert everything["personal"].number.count == 4 and complete["personal"].number.count == 3
    page = client.get(dashboard_url(data.survey, antworten="vollstaendig")).content.decode()
    assert 'value="vollstaendig" checked' in page


def test_number_matrix_ranking_and_date_results(data):
    respond(data, group=1, municipality=1, ranking=("2", "1"), founded=datetime.date(1990, 5, 1))
    respond(
        data, group=1, municipality=1, ranking=("2", "3", "1"), founded=datetime.date(2010, 1, 1)
    )
    results = {r.code: r for r in selectors.survey_results(survey=data.survey)}
    number = results["personal"].number
    assert (number.count, number.mean, number.median) == (4, 5.5, 5.5)
    assert (number.minimum, number.maximum) == (1, 10)
    rows = {row.code: row for row in results["bedarf"].rows}
    assert rows["sprache"].cells == [0, 1, 1] and rows["sprache"].mean == 2.5
    assert rows["beratung"].cells == [0, 0, 1]
    ranking = {o.code: o for o in results["prioritaet"].options}
    assert ranking["2"].mean_rank == 1.0 and ranking["1"].mean_rank == 2.5
    assert ranking["3"].count == 1
    assert results["prioritaet"].respondents == 2  # one first rank each, not five rows
    dates = results["gegruendet"].dates
    assert (dates.count, dates.earliest, dates.latest) == (
        2,
        datetime.date(1990, 5, 1),
        datetime.date(2010, 1, 1),
    )


def test_question_page_cross_tabulates_by_group(client, coordination, data):
    url = reverse("surveys:results_question", kwargs={"slug": data.survey.slug, "code": "art"})
    response = client.get(url)
    assert response.status_code == 200
    crosstab = response.context["crosstab"]
    assert [c.label for c in crosstab.columns] == ["Beratungsstellen", "Religionsgemeinschaften"]
    assert [c.respondents for c in crosstab.columns] == [3, 2]
    rows = {row.label: row.cells for row in crosstab.rows}
    assert rows == {"Vereine": [2, 1], "Bildungseinrichtungen": [0, 2], "Beratungsstellen": [2, 1]}


def test_number_question_cross_tab_shows_the_mean_per_group(client, coordination, data):
    url = reverse("surveys:results_question", kwargs={"slug": data.survey.slug, "code": "personal"})
    crosstab = client.get(url).context["crosstab"]
    assert crosstab.means == [7.0, 1.0]


def test_free_texts_are_listed_searched_and_paginated(client, coordination, data):
    for number in range(30):
        respond(
            data,
            remark=f"Antwort {number}: mehr Sprachkurse" if number % 2 else f"Antwort {number}",
        )
    url = reverse(
        "surveys:results_question", kwargs={"slug": data.survey.slug, "code": "anmerkungen"}
    )
    first = client.get(url)
    assert first.context["texts_page"].paginator.count == 30
    assert len(first.context["texts_page"].object_list) == 25
    assert client.get(url + "?seite=2").context["texts_page"].object_list.__len__() == 5
    found = client.get(url + "?suche=sprachkurse")
    assert found.context["texts_page"].paginator.count == 15
    assert "mehr Sprachkurse" in found.content.decode()


def test_other_texts_of_a_choice_question(client, coordination, data):
    respond(data, kinds=("1",), other="Nachbarschaftshilfe")
    [kind] = [r for r in selectors.survey_results(survey=data.survey) if r.code == "art"]
    assert kind.other_count == 1
    url = reverse("surveys:results_question", kwargs={"slug": data.survey.slug, "code": "art"})
    assert "Nachbarschaftshilfe" in client.get(url).content.decode()


def test_an_unknown_question_code_is_404(client, coordination, data):
    url = reverse("surveys:results_question", kwargs={"slug": data.survey.slug, "code": "nix"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATION, Role.EDITOR])
def test_staff_may_open_the_dashboard(client, data, role):
    client.force_login(user_with_role(role))
    assert client.get(dashboard_url(data.survey)).status_code == 200


def test_a_resident_gets_403_and_a_visitor_is_sent_to_sign_in(client, resident, data):
    assert client.get(dashboard_url(data.survey)).status_code == 302
    client.force_login(resident)
    urls = [
        dashboard_url(data.survey),
        reverse("surveys:results_index"),
        reverse(
            "surveys:results_question", kwargs={"slug": data.survey.slug, "code": "anmerkungen"}
        ),
        reverse("surveys:export_list", kwargs={"slug": data.survey.slug}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("surveys:results_publication", kwargs={"slug": data.survey.slug})
    )
    assert response.status_code == 403
    data.survey.refresh_from_db()
    assert data.survey.results_published_at is None


def test_an_editor_sees_the_results_but_may_not_publish(client, data):
    client.force_login(user_with_role(Role.EDITOR))
    assert (
        "Ergebnisse veröffentlichen" not in client.get(dashboard_url(data.survey)).content.decode()
    )
    response = client.post(
        reverse("surveys:results_publication", kwargs={"slug": data.survey.slug}),
        {"action": "publish"},
    )
    assert response.status_code == 403
    data.survey.refresh_from_db()
    assert data.survey.results_published_at is None
