"""Publishing results: the coordination office publishes, the public page shows the charts,
and nothing based on fewer than 5 answers appears — neither cells nor small groups' totals."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail import hooks

from surveys.models import ResponseState
from surveys.results.publication import public_results, suppress
from surveys.selectors import DETAIL_CONTEXT_HOOK as SURVEY_DETAIL_CONTEXT_HOOK

from .helpers import questionnaire, respond

pytestmark = pytest.mark.django_db

WITHHELD = "weniger als 5 Antworten"


@pytest.fixture
def data():
    data = questionnaire()
    # Beratungsstellen: 7 answered; Religionsgemeinschaften: 2 (a small group).
    for index in range(7):
        respond(
            data,
            kinds=("1",) if index < 6 else ("1", "2"),
            size="1" if index < 5 else "2",
            staff=index + 1,
            remark=f"Frau Beispiel aus Laatzen {index}",
        )
    for _ in range(2):
        respond(data, group=1, municipality=1, kinds=("3",), size="3", staff=50)
    return data


def publish(client, survey):
    response = client.post(
        reverse("surveys:results_publication", kwargs={"slug": survey.slug}),
        {"action": "publish"},
        follow=True,
    )
    survey.refresh_from_db()
    return response


def test_unpublished_results_are_not_public(client, data):
    url = reverse("surveys:results_public", kwargs={"slug": data.survey.slug})
    assert client.get(url).status_code == 404
    assert public_results(survey=data.survey) is None
    context = {}
    for hook in hooks.get_hooks(SURVEY_DETAIL_CONTEXT_HOOK):
        context.update(hook(data.survey, None))
    assert "published_results" not in context


def test_the_coordination_office_publishes_and_the_public_sees_the_charts(
    client, coordination, data
):
    page = publish(client, data.survey).content.decode()
    assert "Die Ergebnisse sind veröffentlicht" in page
    data.survey.refresh_from_db()
    assert data.survey.results_published_at is not None
    client.logout()
    response = client.get(reverse("surveys:results_public", kwargs={"slug": data.survey.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="bar-chart" role="img"' in html
    assert "<title" in html and "<table>" in html
    assert "Vereine" in html


def test_cells_and_small_groups_under_five_are_withheld(client, coordination, data):
    publish(client, data.survey)
    results = public_results(survey=data.survey)
    groups = {row.label: row.answered for row in results.participation.groups}
    # The small group is withheld; with only two groups and the total shown, the other's 7
    # would give away its 2, so that is withheld as well (secondary suppression).
    assert groups == {"Beratungsstellen": None, "Religionsgemeinschaften": None}
    assert results.participation.complete == 9
    by_code = {item.result.code: item.result for item in results.items}
    kinds = {o.label: o.count for o in by_code["art"].options}
    assert kinds == {"Vereine": 7, "Bildungseinrichtungen": None, "Beratungsstellen": None}
    # Single choice: "mittel" (2) is withheld, and "klein" (5) is too, else 9 - 5 - 0... would tell.
    sizes = {o.label: o.count for o in by_code["groesse"].options}
    assert sizes["mittel"] is None and sizes["groß"] is None
    # Free texts are never published; numbers without their extremes.
    assert by_code["personal"].number.minimum is None and by_code["personal"].number.maximum is None
    html = client.get(
        reverse("surveys:results_public", kwargs={"slug": data.survey.slug})
    ).content.decode()
    assert WITHHELD in html
    assert "Frau Beispiel" not in html
    assert ">50<" not in html  # the small group's outlier


def test_a_question_with_fewer_than_five_respondents_is_withheld_entirely(
    client, coordination, data
):
    for _ in range(3):
        respond(data, group=1, ranking=("1", "2"))
    publish(client, data.survey)
    by_code = {item.result.code: item for item in public_results(survey=data.survey).items}
    assert by_code["prioritaet"].result.suppressed and by_code["prioritaet"].chart is None
    assert by_code["prioritaet"].result.respondents is None


def test_small_totals_overall_are_withheld(client, coordination):
    data = questionnaire()
    respond(data, state=ResponseState.COMPLETE, kinds=("1",))
    respond(data, state=ResponseState.PARTIAL, kinds=("1",))
    publish(client, data.survey)
    participation = public_results(survey=data.survey).participation
    assert participation.complete is None and participation.partial is None
    assert participation.invited == 2


def test_secondary_suppression_when_one_cell_could_be_worked_out():
    assert suppress([10, 7, 2], additive=True) == [10, None, None]
    assert suppress([10, 7, 2], additive=False) == [10, 7, None]
    assert suppress([10, 7, 6], additive=True) == [10, 7, 6]
    assert suppress([3, 2], additive=True) == [None, None]


def test_the_detail_page_hook_returns_the_results_once_published(client, coordination, data):
    publish(client, data.survey)
    data.survey.refresh_from_db()
    context = {}
    for hook in hooks.get_hooks(SURVEY_DETAIL_CONTEXT_HOOK):
        context.update(hook(data.survey, None))
    html = context["published_results_html"]
    assert "Vereine" in html and WITHHELD in html
    assert context["detail_sections"] == ["surveys/results/public_results_rendered.html"]


def test_withdrawing_the_results(client, coordination, data):
    publish(client, data.survey)
    client.post(
        reverse("surveys:results_publication", kwargs={"slug": data.survey.slug}),
        {"action": "withdraw"},
    )
    data.survey.refresh_from_db()
    assert data.survey.results_published_at is None
    assert (
        client.get(reverse("surveys:results_public", kwargs={"slug": data.survey.slug})).status_code
        == 404
    )


def test_the_public_page_is_counted_again_after_a_few_minutes(client, coordination, data):
    """Visitors get the figures from the cache: a new response shows once the cache time
    (SURVEY_PUBLIC_RESULTS_SECONDS) has passed, and the page says when it was counted."""
    publish(client, data.survey)
    url = reverse("surveys:results_public", kwargs={"slug": data.survey.slug})
    first = client.get(url).content.decode()
    assert "Gezählt am" in first and "<strong>9</strong> vollständig" in first
    respond(data, kinds=("1",), size="1", staff=3)
    assert "<strong>9</strong> vollständig" in client.get(url).content.decode()
    cache.clear()  # the cache time has passed
    assert "<strong>10</strong> vollständig" in client.get(url).content.decode()


def test_withdrawn_results_never_come_from_the_cache(client, coordination, data):
    publish(client, data.survey)
    url = reverse("surveys:results_public", kwargs={"slug": data.survey.slug})
    assert client.get(url).status_code == 200  # now in the cache
    client.post(
        reverse("surveys:results_publication", kwargs={"slug": data.survey.slug}),
        {"action": "withdraw"},
    )
    assert client.get(url).status_code == 404
    publish(client, data.survey)  # published anew: counted anew
    respond(data, kinds=("1",), size="1", staff=3)
    assert "<strong>10</strong> vollständig" in client.get(url).content.decode()
