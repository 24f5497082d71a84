"""Saving a page costs a fixed number of queries, whatever the size of the survey."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.surveys.answering.helpers import PAGE1, build_survey, page_url, url
from tests.surveys.factories import (
    RecipientFactory,
    ResponseFactory,
    SurveyPageFactory,
    choice_question,
)

pytestmark = pytest.mark.django_db


def _save_page_queries(client, bedarf) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(page_url(bedarf.survey, 1), {**PAGE1, "action": "next"})
    assert response.status_code == 302
    return len(captured.captured_queries)


def test_saving_a_page_does_not_grow_with_the_survey(client):
    bedarf = build_survey()
    client.get(url("token", token=RecipientFactory(survey=bedarf.survey).token))
    _save_page_queries(client, bedarf)  # the first save also changes the state
    small = _save_page_queries(client, bedarf)

    more = SurveyPageFactory(survey=bedarf.survey, position=9)
    for number in range(25):
        choice_question(more, f"mehr{number}", ["a", "b", "c"])
    for _ in range(20):
        ResponseFactory(survey=bedarf.survey)
    assert _save_page_queries(client, bedarf) == small
    assert small <= 30, small
