"""Aggregated in the database: the dashboard and the per-question page run the same number of
queries for 10 and for 200 responses (and the selectors for 5 and 50 questions)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import QuestionKind
from surveys.results import selectors
from tests.surveys.factories import choice_question

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db


def fill(data, count):
    for index in range(count):
        respond(
            data,
            group=index % 2,
            municipality=index % 2,
            kinds=("1", "3") if index % 3 else ("2",),
            other="Sonstiges" if index % 7 == 0 else "",
            size=str(1 + index % 3),
            rating={"sprache": str(1 + index % 3), "beratung": "2"},
            staff=index,
            ranking=("3", "1"),
            remark=f"Anmerkung {index}",
        )


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["dashboard", "question", "texts"])
def test_pages_run_a_fixed_number_of_queries(
    client, coordination, page, django_assert_max_num_queries
):
    small = questionnaire()
    fill(small, 10)
    urls = {
        "dashboard": lambda s: reverse("surveys:results_dashboard", kwargs={"slug": s.slug}),
        "question": lambda s: reverse(
            "surveys:results_question", kwargs={"slug": s.slug, "code": "art"}
        ),
        "texts": lambda s: reverse(
            "surveys:results_question", kwargs={"slug": s.slug, "code": "anmerkungen"}
        ),
    }
    client.get(urls[page](small.survey))  # warm the session and the menus
    few = queries_of(client, urls[page](small.survey))
    fill(small, 190)
    with django_assert_max_num_queries(few):
        client.get(urls[page](small.survey))
    assert queries_of(client, urls[page](small.survey)) == few


def test_selectors_do_not_grow_with_the_number_of_questions(django_assert_max_num_queries):
    data = questionnaire()
    fill(data, 10)
    with CaptureQueriesContext(connection) as few:
        selectors.survey_results(survey=data.survey)
        selectors.participation(survey=data.survey)
    page = data.kind.page
    for number in range(45):
        choice_question(page, f"extra{number}", ["ja", "nein"], kind=QuestionKind.MULTIPLE)
    fill(data, 40)
    with django_assert_max_num_queries(len(few)):
        selectors.survey_results(survey=data.survey)
        selectors.participation(survey=data.survey)
