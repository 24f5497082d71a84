"""The demo surveys: the Bedarfsanalyse repeats the concept's figures exactly, read from the
database with queries written here and from the rendered results dashboard, and the resident
survey is open for answers."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from demo.loader import load_demo, read_data
from demo.survey_steps import BEDARFSANALYSE_SLUG, RESIDENT_SURVEY_SLUG
from surveys.models import (
    Answer,
    Option,
    Question,
    QuestionKind,
    Recipient,
    Response,
    ResponseState,
    Survey,
    SurveyMode,
    SurveyPage,
    SurveyStatus,
)

pytestmark = pytest.mark.django_db

DATA = read_data()
STEPS = [
    "municipalities",
    "handlungsfelder",
    "departments",
    "consultations",
    "surveys.bedarfsanalyse",
    "surveys.resident_survey",
]
CONCEPT_KINDS = [
    ("Migrantenselbstorganisationen Vereine/Verbände", 93),
    ("Ansprechpersonen zum Thema Integration in allen 21 Städten und Gemeinden", 38),
    ("Bildungseinrichtungen", 29),
    ("Beratungsstellen", 35),
    ("Mitglieder der Integrationsbeiräte", 24),
    ("Religionsgemeinschaften", 16),
    ("Integrationslotsinnen und -lotsen", 44),
]


def load():
    return load_demo(log=lambda message: None, only=STEPS)


def survey_rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Survey, SurveyPage, Question, Option, Recipient, Response, Answer)
    }


@pytest.fixture
def bedarfsanalyse(db) -> Survey:
    load()
    return Survey.objects.get(slug=BEDARFSANALYSE_SLUG)


def test_713_invited_154_partial_110_complete(bedarfsanalyse):
    figures = Recipient.objects.filter(survey=bedarfsanalyse).aggregate(
        invited=Count("pk"), demo=Count("pk", filter=Q(is_demo=True))
    )
    assert figures == {"invited": 713, "demo": 713}
    states = dict(
        Response.objects.filter(survey=bedarfsanalyse)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert states[ResponseState.PARTIAL] == 154
    assert states[ResponseState.COMPLETE] == 110
    assert Response.objects.filter(survey=bedarfsanalyse, is_demo=False).count() == 0


def test_the_kind_of_institution_counts_93_38_29_35_24_16_44(bedarfsanalyse):
    question = bedarfsanalyse.questions.get(code="art")
    assert question.kind == QuestionKind.MULTIPLE
    counts = list(
        Option.objects.filter(question=question)
        .annotate(ticks=Count("answers"))
        .order_by("position")
        .values_list("text", "ticks")
    )
    assert counts == CONCEPT_KINDS
    # Several could apply: more ticks than respondents.
    respondents = Answer.objects.filter(question=question).values("response").distinct().count()
    assert respondents == 154 + 110 < sum(count for _label, count in CONCEPT_KINDS)


def test_seven_recipient_groups_from_the_concept_and_the_21_municipalities(bedarfsanalyse):
    groups = list(
        bedarfsanalyse.groups.annotate(n=Count("recipients"))
        .order_by("position")
        .values_list("name", "n")
    )
    assert [name for name, _n in groups] == [label for label, _count in CONCEPT_KINDS]
    assert sum(n for _name, n in groups) == 713 and all(n > 0 for _name, n in groups)
    municipalities = Recipient.objects.filter(survey=bedarfsanalyse).values("municipality")
    assert municipalities.distinct().count() == 21
    emails = Recipient.objects.filter(survey=bedarfsanalyse).values_list("email", flat=True)
    assert all(email.endswith(".demo.mitreden.invalid") for email in emails)
    # Per group, responses never outnumber the invited.
    per_group = (
        Response.objects.filter(survey=bedarfsanalyse).values("group").annotate(n=Count("pk"))
    )
    invited = dict(groups)
    names = dict(bedarfsanalyse.groups.values_list("pk", "name"))
    assert all(row["n"] <= invited[names[row["group"]]] for row in per_group)


def test_closed_anonymous_invitation_survey_with_published_results(bedarfsanalyse):
    assert bedarfsanalyse.mode == SurveyMode.INVITATION and bedarfsanalyse.anonymous
    assert bedarfsanalyse.status == SurveyStatus.CLOSED
    assert bedarfsanalyse.results_published_at is not None
    assert bedarfsanalyse.results_published_at <= timezone.now()
    assert bedarfsanalyse.consultation.slug == "integrationskonzept-fortschreibung-2027-demo"
    complete = Response.objects.filter(survey=bedarfsanalyse, state=ResponseState.COMPLETE)
    assert not complete.filter(recipient__isnull=False).exists()  # no link once complete
    assert not complete.filter(group__isnull=True).exists()  # counts per group stay exact
    assert (
        Recipient.objects.filter(survey=bedarfsanalyse, completed_at__isnull=False).count() == 110
    )
    # Partial responses stop before the last page; complete ones reached it.
    last = bedarfsanalyse.pages.order_by("-position").first()
    assert not Response.objects.filter(
        survey=bedarfsanalyse, state=ResponseState.PARTIAL, last_page=last
    ).exists()
    assert complete.filter(last_page=last).count() == 110


def test_questions_are_tagged_with_the_demo_handlungsfelder(bedarfsanalyse):
    tagged = (
        bedarfsanalyse.questions.filter(handlungsfelder__isnull=False)
        .values_list("handlungsfelder__slug", flat=True)
        .distinct()
    )
    assert {
        "partizipation-und-teilhabe",
        "wirtschaft-und-arbeit",
        "bildung-und-sprache",
        "gesundheit-und-pflege",
        "vernetzung",
    } <= set(tagged)
    kinds = set(bedarfsanalyse.questions.values_list("kind", flat=True))
    assert {QuestionKind.MATRIX, QuestionKind.MULTIPLE, QuestionKind.RANKING} <= kinds


def test_the_condition_holds_in_the_demo_answers(bedarfsanalyse):
    """ "In welcher Form?" is only answered by those who said "Ja" to the exchange question."""
    form = bedarfsanalyse.questions.get(code="austausch_form")
    condition = form.conditions.get()
    assert condition.source.code == "austausch"
    answered = Answer.objects.filter(question=form).values("response")
    said_yes = Answer.objects.filter(
        question=condition.source, option__code="Y", response__in=answered
    )
    assert answered.count() > 0 and said_yes.count() == answered.count()


def test_the_resident_survey_is_open_for_anonymous_answers_now(bedarfsanalyse):
    survey = Survey.objects.get(slug=RESIDENT_SURVEY_SLUG)
    assert survey.mode == SurveyMode.OPEN and survey.allow_anonymous
    assert survey.answering_refusal() is None
    assert Survey.objects.listed().filter(slug=RESIDENT_SURVEY_SLUG).exists()
    assert survey.pages.count() >= 2 and survey.questions.count() >= 5


def test_loading_twice_keeps_every_count(bedarfsanalyse):
    before = survey_rows()
    published = bedarfsanalyse.results_published_at
    recipients = list(Recipient.objects.order_by("pk").values_list("pk", "token_hash"))
    load()
    assert survey_rows() == before
    bedarfsanalyse.refresh_from_db()
    assert bedarfsanalyse.results_published_at == published
    assert list(Recipient.objects.order_by("pk").values_list("pk", "token_hash")) == recipients


def test_damaged_demo_rows_are_rebuilt_to_the_same_figures(bedarfsanalyse):
    before = survey_rows()
    complete = Response.objects.filter(survey=bedarfsanalyse, state=ResponseState.COMPLETE)
    Response.objects.filter(pk__in=list(complete.values_list("pk", flat=True)[:5])).delete()
    load()
    assert survey_rows() == before
    assert bedarfsanalyse.responses.filter(state=ResponseState.COMPLETE).count() == 110


def test_the_rendered_dashboard_shows_the_concepts_figures(bedarfsanalyse, client):
    """What the coordination office reads on the dashboard page: 713 invited, 154 partly and
    110 completely answered, and the kinds of institution 93/38/29/35/24/16/44."""
    from bs4 import BeautifulSoup
    from django.urls import reverse

    from foundation.roles import Role
    from tests.foundation.factories import user_with_role

    client.force_login(user_with_role(Role.COORDINATION))
    url = reverse("surveys:results_dashboard", kwargs={"slug": bedarfsanalyse.slug})
    response = client.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")

    overall = page.find("caption", string="Beteiligung insgesamt").find_parent("table")
    headers = [th.get_text(strip=True) for th in overall.select("thead th")]
    cells = [cell.get_text(strip=True) for cell in overall.select("tbody tr")[0].find_all("td")]
    figures = dict(zip(headers[1:], cells, strict=True))
    assert figures["Eingeladen"] == "713"
    assert figures["Teilweise beantwortet"] == "154 (21,6 %)"
    assert figures["Vollständig"] == "110 (15,4 %)"

    question = page.find(id=f"q-{bedarfsanalyse.questions.get(code='art').pk}-heading")
    table = question.find_parent("section").find("table")
    counts = [
        (row.th.get_text(strip=True), int(row.find("td").get_text(strip=True)))
        for row in table.select("tbody tr")
    ]
    assert counts == CONCEPT_KINDS
