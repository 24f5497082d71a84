"""An editor builds a survey in the Wagtail admin: settings, pages, questions, conditions, order."""

from __future__ import annotations

import pytest

from foundation.roles import Role
from surveys.models import (
    Condition,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Survey,
    SurveyPage,
    SurveyStatus,
)
from tests.foundation.admin_pages import assert_denied, shown_messages, text_of
from tests.foundation.factories import HandlungsfeldFactory, ResidentFactory, user_with_role
from tests.surveys.factories import SurveyFactory, SurveyPageFactory, choice_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = user_with_role(Role.EDITOR)
    client.force_login(user)
    return user


def survey_post(**extra):
    data = {
        "title": "Bedarfsanalyse",
        "slug": "bedarfsanalyse",
        "consultation": "",
        "language": "de",
        "intro": "Wir fragen nach Angeboten.",
        "closing_text": "Danke!",
        "mode": "invitation",
        "anonymous": "on",
        "status": "draft",
        "opens_at": "",
        "closes_at": "",
        "reminder_days": "14, 7",
        "reminder_cap": "2",
        "retention_days": "365",
        "retention_action": "anonymise",
        "tr_en_title": "Needs analysis",
        "tr_en_intro": "",
        "tr_en_closing_text": "",
    }
    data.update(extra)
    return data


def page_post(title="Ihre Einrichtung", conditions=(), initial=0, **extra):
    data = {
        "title": title,
        "intro": "Zuerst zu Ihnen.",
        "tr_en_title": "",
        "tr_en_intro": "",
        "conditions-TOTAL_FORMS": str(len(conditions)),
        "conditions-INITIAL_FORMS": str(initial),
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(conditions):
        for key, value in row.items():
            data[f"conditions-{index}-{key}"] = value
    data.update(extra)
    return data


def question_post(
    page, *, kind, text="Frage?", code="", options=(), conditions=(), initial=0, **extra
):
    data = {
        "page": str(page.pk),
        "kind": kind,
        "code": code,
        "text": text,
        "help_text": "",
        "min_value": "",
        "max_value": "",
        "max_length": "",
        "tr_en_text": "",
        "tr_en_help_text": "",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(initial),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "conditions-TOTAL_FORMS": str(len(conditions)),
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(options):
        row = {"role": "choice", "code": "", "tr_en_text": "", **row}
        for key, value in row.items():
            data[f"options-{index}-{key}"] = value
    for index, row in enumerate(conditions):
        for key, value in row.items():
            data[f"conditions-{index}-{key}"] = value
    data.update(extra)
    return data


def test_the_surveys_menu_and_list_are_there_for_editors(client, editor):
    SurveyFactory(title="Bedarfsanalyse 2027")
    home = client.get("/admin/")
    assert "Umfragen" in home.content.decode()
    listing = client.get("/admin/surveys/")
    assert listing.status_code == 200
    assert "Bedarfsanalyse 2027" in text_of(listing)


def test_residents_and_reviewers_cannot_open_the_builder(client):
    survey = SurveyFactory()
    client.force_login(ResidentFactory())
    for url in ("/admin/surveys/", f"/admin/survey-builder/{survey.pk}/"):
        assert_denied(client.get(url), url)
    client.force_login(user_with_role(Role.REVIEWER))
    for url in ("/admin/surveys/", f"/admin/survey-builder/{survey.pk}/"):
        assert_denied(client.get(url), url)


def test_an_editor_creates_a_survey_with_settings_and_a_translation(client, editor):
    response = client.post("/admin/surveys/new/", survey_post())
    survey = Survey.objects.get(slug="bedarfsanalyse")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/survey-builder/{survey.pk}/"
    assert survey.anonymous and survey.retention_days == 365
    assert survey.reminder_days == "7, 14"  # sorted
    assert survey.reminder_schedule() == [7, 14]
    assert survey.translations == {"en": {"title": "Needs analysis"}}
    assert survey.translated("title", "en") == "Needs analysis"


def test_bad_settings_are_refused_with_reasons(client, editor):
    response = client.post(
        "/admin/surveys/new/",
        survey_post(
            reminder_days="sieben", opens_at="2027-03-01 10:00", closes_at="2027-02-01 10:00"
        ),
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "ganze Zahlen" in text  # the reminder days
    assert "Das Ende muss nach dem Beginn liegen." in text
    assert not Survey.objects.exists()


def test_a_survey_without_questions_cannot_be_opened(client, editor):
    survey = SurveyFactory(status=SurveyStatus.DRAFT, slug="leer")
    response = client.post(
        f"/admin/surveys/edit/{survey.pk}/", survey_post(slug="leer", status="open")
    )
    assert response.status_code == 200
    assert "Fügen Sie mindestens eine Frage hinzu" in text_of(response)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_pages_and_questions_of_every_kind_with_sensible_defaults(client, editor):
    survey = SurveyFactory(status=SurveyStatus.DRAFT)
    response = client.post(f"/admin/survey-builder/{survey.pk}/pages/new/", page_post())
    assert response.status_code == 302, text_of(response)
    page = survey.pages.get()
    assert page.position == 1
    field = HandlungsfeldFactory(name="Bildung und Sprache")

    url = f"/admin/survey-builder/pages/{page.pk}/questions/new/"
    form = client.get(url + "?kind=multiple")
    assert form.status_code == 200
    assert 'value="q1"' in form.content.decode()  # the next free code is offered

    response = client.post(
        url,
        question_post(
            page,
            kind="multiple",
            code="art",
            text="Welcher Art ist Ihre Einrichtung?",
            required="on",
            allow_other="on",
            handlungsfelder=[str(field.pk)],
            options=[{"text": "Verein"}, {"text": "Beratungsstelle"}, {"text": "Schule"}],
            tr_en_text="What kind of institution are you?",
        ),
    )
    assert response.status_code == 302, text_of(response)
    art = Question.objects.get(code="art")
    assert art.required and art.allow_other
    assert list(art.handlungsfelder.all()) == [field]
    assert list(art.options.values_list("code", "text")) == [
        ("1", "Verein"),
        ("2", "Beratungsstelle"),
        ("3", "Schule"),
    ]
    assert art.translated("text", "en") == "What kind of institution are you?"

    client.post(url, question_post(page, kind="yes_no", text="Haben Sie Angebote?"))
    yes_no = Question.objects.get(kind=QuestionKind.YES_NO)
    assert yes_no.code == "q2"  # empty code: the next free one
    assert list(yes_no.options.values_list("code", "text")) == [("Y", "Ja"), ("N", "Nein")]

    client.post(
        url,
        question_post(
            page,
            kind="matrix",
            code="bedarf",
            text="Wie groß ist der Bedarf?",
            options=[
                {"role": "row", "text": "Sprachkurse"},
                {"role": "row", "text": "Beratung"},
                {"role": "scale", "text": "gering"},
                {"role": "scale", "text": "mittel"},
                {"role": "scale", "text": "hoch"},
            ],
        ),
    )
    matrix = Question.objects.get(code="bedarf")
    assert list(matrix.options.filter(role=OptionRole.ROW).values_list("code", flat=True)) == [
        "1",
        "2",
    ]
    assert list(matrix.options.filter(role=OptionRole.SCALE).values_list("code", flat=True)) == [
        "1",
        "2",
        "3",
    ]

    response = client.post(
        url,
        question_post(
            page, kind="number", code="personal", min_value="0", max_value="500", integer_only="on"
        ),
    )
    assert response.status_code == 302
    number = Question.objects.get(code="personal")
    assert (number.min_value, number.max_value, number.integer_only) == (0, 500, True)

    for kind in ("single", "dropdown", "ranking"):
        response = client.post(
            url,
            question_post(page, kind=kind, options=[{"text": "A"}, {"text": "B"}]),
        )
        assert response.status_code == 302, (kind, text_of(response))
    for kind in ("short_text", "long_text", "date", "display"):
        response = client.post(url, question_post(page, kind=kind))
        assert response.status_code == 302, (kind, text_of(response))
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)
    positions = list(page.questions.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(QuestionKind.values) + 1))

    overview = client.get(f"/admin/survey-builder/{survey.pk}/")
    text = text_of(overview)
    assert "Welcher Art ist Ihre Einrichtung?" in text
    assert f"/umfragen/{survey.slug}/vorschau/" in overview.content.decode()
    assert "Bildung und Sprache" in text


def test_question_forms_refuse_what_does_not_fit(client, editor):
    page = SurveyPageFactory(survey__status=SurveyStatus.DRAFT)
    url = f"/admin/survey-builder/pages/{page.pk}/questions/new/"

    response = client.post(url, question_post(page, kind="single", options=[{"text": "nur eine"}]))
    assert response.status_code == 400
    assert "Fügen Sie mindestens zwei Antwortoptionen hinzu." in text_of(response)

    response = client.post(
        url, question_post(page, kind="short_text", options=[{"text": "A"}, {"text": "B"}])
    )
    assert "Fragen dieses Typs haben keine Optionen" in text_of(response)

    response = client.post(url, question_post(page, kind="number", min_value="10", max_value="5"))
    assert "Die größte Zahl darf nicht unter der kleinsten liegen." in text_of(response)

    response = client.post(
        url,
        question_post(page, kind="short_text", allow_other="on"),
    )
    assert "„Sonstiges“" in text_of(response)
    assert not Question.objects.exists()


def test_conditions_only_on_earlier_questions(client, editor):
    survey = SurveyFactory(status=SurveyStatus.DRAFT)
    first = SurveyPageFactory(survey=survey, position=1)
    second = SurveyPageFactory(survey=survey, position=2)
    art = choice_question(first, "art", ["Verein", "Schule"])
    later = choice_question(second, "spaeter", ["ja", "nein"])
    verein = art.options.get(code="1")

    # A page shown only for Vereine.
    response = client.post(
        f"/admin/survey-builder/pages/{second.pk}/",
        page_post(
            title=second.title,
            conditions=[{"source": str(art.pk), "operator": "any_of", "options": [str(verein.pk)]}],
        ),
    )
    assert response.status_code == 302, text_of(response)
    condition = Condition.objects.get(page=second)
    assert condition.source == art and list(condition.options.all()) == [verein]

    # The first page cannot depend on a question of a later page.
    response = client.post(
        f"/admin/survey-builder/pages/{first.pk}/",
        page_post(
            title=first.title,
            conditions=[
                {
                    "source": str(later.pk),
                    "operator": "any_of",
                    "options": [str(later.options.first().pk)],
                }
            ],
        ),
    )
    assert response.status_code == 400
    assert "Nur Fragen auf früheren Seiten" in text_of(response)
    assert not Condition.objects.filter(page=first).exists()

    # A question on the second page shown if the first answer was "Schule".
    url = f"/admin/survey-builder/pages/{second.pk}/questions/new/"
    response = client.post(
        url,
        question_post(
            second,
            kind="long_text",
            code="schule",
            conditions=[
                {
                    "source": str(art.pk),
                    "operator": "any_of",
                    "options": [str(art.options.get(code="2").pk)],
                }
            ],
        ),
    )
    assert response.status_code == 302, text_of(response)
    assert Question.objects.get(code="schule").conditions.get().source == art

    # Moving the second page above the first would make its condition point forward.
    response = client.post(f"/admin/survey-builder/pages/{second.pk}/move/up/", follow=True)
    assert any("nicht mehr vor" in message for message in shown_messages(response))
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.position, second.position) == (1, 2)


def test_reordering_questions_and_pages(client, editor):
    survey = SurveyFactory(status=SurveyStatus.DRAFT)
    page = SurveyPageFactory(survey=survey, position=1)
    other = SurveyPageFactory(survey=survey, position=2)
    a = choice_question(page, "a", ["x", "y"], position=1)
    b = choice_question(page, "b", ["x", "y"], position=2)
    response = client.post(f"/admin/survey-builder/questions/{b.pk}/move/up/")
    assert response.status_code == 302
    assert list(page.questions.order_by("position").values_list("code", flat=True)) == ["b", "a"]
    client.post(f"/admin/survey-builder/pages/{other.pk}/move/up/")
    assert list(survey.pages.order_by("position").values_list("pk", flat=True)) == [
        other.pk,
        page.pk,
    ]
    assert client.get(f"/admin/survey-builder/questions/{a.pk}/move/up/").status_code == 405
    assert client.post(f"/admin/survey-builder/questions/{a.pk}/move/sideways/").status_code == 404


def test_the_overview_counts_responses_in_a_fixed_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    from tests.surveys.factories import AnswerFactory, ResponseFactory

    survey = SurveyFactory()
    for number in range(3):
        page = SurveyPageFactory(survey=survey, position=number)
        for code in ("a", "b", "c"):
            question = choice_question(page, f"{code}{number}", ["x", "y"])
    response = ResponseFactory(survey=survey, state="complete")
    AnswerFactory(response=response, question=question, option=question.options.first())
    client.get(f"/admin/survey-builder/{survey.pk}/")  # warm up the session and menus
    with django_assert_max_num_queries(25):
        page = client.get(f"/admin/survey-builder/{survey.pk}/")
    assert "1 insgesamt: 0 geöffnet, 0 teilweise beantwortet, 1 vollständig" in text_of(page)
    assert SurveyPage.objects.filter(survey=survey).count() == 3
    assert Option.objects.filter(question__survey=survey).count() == 18


def test_the_survey_list_costs_the_same_for_one_survey_and_for_many(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.surveys.factories import RecipientFactory, ResponseFactory

    def queries():
        client.get("/admin/surveys/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/surveys/").status_code == 200
        return len(captured)

    first = SurveyFactory()
    RecipientFactory(survey=first)
    one = queries()
    for _n in range(8):
        survey = SurveyFactory()
        RecipientFactory(survey=survey)
        ResponseFactory(survey=survey)
    assert queries() == one
    listing = client.get("/admin/surveys/")
    assert "Aufbau" in text_of(listing) and "Empfänger*innen" in text_of(listing)
