"""The structure lock: once a survey has answers (or is open), what would break them is refused
with a reason and nothing changes; relabelling, translating and adding stay possible."""

from __future__ import annotations

import pytest

from foundation.roles import Role
from surveys import structure
from surveys.models import Option, OptionRole, Question, QuestionKind, SurveyStatus
from tests.foundation.admin_pages import text_of
from tests.foundation.factories import user_with_role
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    SurveyPageFactory,
    choice_question,
)

from .test_builder_admin import page_post, question_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = user_with_role(Role.EDITOR)
    client.force_login(user)
    return user


@pytest.fixture
def answered():
    """A closed survey with one response that chose option 1 of "art"."""
    survey = SurveyFactory(status=SurveyStatus.CLOSED)
    page = SurveyPageFactory(survey=survey, position=1)
    question = choice_question(page, "art", ["Verein", "Schule"], required=True)
    response = ResponseFactory(survey=survey, state="partial")
    AnswerFactory(response=response, question=question, option=question.options.get(code="1"))
    return question


def options_rows(question):
    return [
        {"id": str(option.pk), "role": option.role, "code": option.code, "text": option.text}
        for option in question.options.order_by("role", "position", "pk")
    ]


def edit(client, question, **changes):
    rows = changes.pop("rows", None) or options_rows(question)
    data = question_post(
        question.page,
        kind=changes.pop("kind", question.kind),
        code=changes.pop("code", question.code),
        text=changes.pop("text", question.text),
        options=rows,
        initial=question.options.count(),
        **({"required": "on"} if question.required else {}),
        **changes,
    )
    return client.post(f"/admin/survey-builder/questions/{question.pk}/", data)


def test_a_draft_without_responses_is_not_locked():
    survey = SurveyFactory(status=SurveyStatus.DRAFT)
    assert structure.lock_reason(survey) is None
    survey.status = SurveyStatus.OPEN
    assert structure.lock_reason(survey) == "Die Umfrage ist geöffnet."


def test_changing_the_kind_or_code_of_an_answered_question_is_refused(client, editor, answered):
    response = edit(client, answered, kind="multiple")
    assert response.status_code == 400
    text = text_of(response)
    assert "Der Typ einer Frage kann jetzt nicht mehr geändert werden." in text
    assert "Die Umfrage hat bereits Antworten." in text

    response = edit(client, answered, code="institution")
    assert "Der Code einer Frage kann jetzt nicht mehr geändert werden." in text_of(response)

    answered.refresh_from_db()
    assert (answered.kind, answered.code) == (QuestionKind.SINGLE, "art")


def test_option_codes_roles_and_answered_options_are_kept(client, editor, answered):
    rows = options_rows(answered)
    rows[0]["code"] = "A"
    response = edit(client, answered, rows=rows)
    assert "Der Code von „Verein“ kann jetzt nicht mehr geändert werden." in text_of(response)

    rows = options_rows(answered)
    rows[1]["role"] = OptionRole.ROW
    response = edit(client, answered, rows=rows)
    assert "zwischen Antwortoptionen, Zeilen und Skalenpunkten" in text_of(response)

    rows = options_rows(answered)
    rows[0]["DELETE"] = "on"
    response = edit(client, answered, rows=rows)
    assert response.status_code == 400
    assert (
        "„Verein“ (Code 1) kann nicht gelöscht werden: Es sind Antworten gespeichert, "
        "die es gewählt haben." in text_of(response)
    )
    assert list(answered.options.values_list("code", "role", "text")) == [
        ("1", "choice", "Verein"),
        ("2", "choice", "Schule"),
    ]


def test_relabelling_translating_and_new_options_are_allowed(client, editor, answered):
    rows = options_rows(answered)
    rows[0]["text"] = "Verein oder Verband"
    rows[0]["tr_en_text"] = "Association"
    rows.append({"text": "Religionsgemeinschaft"})
    response = edit(
        client,
        answered,
        rows=rows,
        text="Welcher Art ist Ihre Organisation?",
        help_text="Mehrere Antworten sind möglich.",
        tr_en_text="What kind of organisation?",
    )
    assert response.status_code == 302, text_of(response)
    answered.refresh_from_db()
    assert answered.text == "Welcher Art ist Ihre Organisation?"
    assert answered.translated("text", "en") == "What kind of organisation?"
    verein = answered.options.get(code="1")
    assert verein.text == "Verein oder Verband" and verein.translated("text", "en") == "Association"
    assert answered.options.get(code="3").text == "Religionsgemeinschaft"
    # The stored answer still points at the same option.
    assert verein.answers.count() == 1


def test_deleting_an_answered_question_or_its_page_is_refused(client, editor, answered):
    response = client.post(f"/admin/survey-builder/questions/{answered.pk}/delete/")
    assert response.status_code == 400
    assert "Die Frage „art“ kann nicht gelöscht werden: Es sind Antworten" in text_of(response)
    response = client.post(f"/admin/survey-builder/pages/{answered.page_id}/delete/")
    assert response.status_code == 400
    assert "Die Seite" in text_of(response) and "kann nicht gelöscht werden" in text_of(response)
    assert Question.objects.filter(pk=answered.pk).exists()


def test_an_unanswered_question_can_be_deleted_even_when_locked(client, editor, answered):
    spare = QuestionFactory(page=answered.page, code="frei")
    confirm = client.get(f"/admin/survey-builder/questions/{spare.pk}/delete/")
    assert confirm.status_code == 200
    response = client.post(f"/admin/survey-builder/questions/{spare.pk}/delete/")
    assert response.status_code == 302
    assert not Question.objects.filter(pk=spare.pk).exists()


def test_adding_questions_to_a_locked_survey(client, editor, answered):
    url = f"/admin/survey-builder/pages/{answered.page_id}/questions/new/"
    response = client.post(url, question_post(answered.page, kind="long_text", required="on"))
    assert response.status_code == 400
    assert "Eine Pflichtfrage kann jetzt nicht mehr hinzugefügt werden." in text_of(response)
    response = client.post(url, question_post(answered.page, kind="long_text", code="anmerkung"))
    assert response.status_code == 302
    assert answered.survey.questions.filter(code="anmerkung", required=False).exists()


def test_an_open_survey_without_answers_is_locked_for_codes_too(client, editor):
    survey = SurveyFactory(status=SurveyStatus.OPEN)
    page = SurveyPageFactory(survey=survey)
    question = choice_question(page, "art", ["Verein", "Schule"])
    response = edit(client, question, code="neu")
    assert "Die Umfrage ist geöffnet." in text_of(response)
    question.refresh_from_db()
    assert question.code == "art"


def test_the_same_rule_serves_services_and_forms(answered):
    """The function the forms ask, called directly (as a LimeSurvey import or a task would)."""
    changed = Question.objects.get(pk=answered.pk)
    changed.kind = QuestionKind.DROPDOWN
    reason = structure.question_change_refusal(changed, original=answered)
    assert reason.startswith("Der Typ einer Frage kann jetzt nicht mehr geändert werden.")
    option = answered.options.get(code="1")
    assert structure.option_delete_refusal(option)
    assert structure.option_delete_refusal(answered.options.get(code="2")) is None
    fresh = Option(question=answered, role=OptionRole.CHOICE, code="9", text="Neu")
    assert structure.option_change_refusal(fresh, original=None) is None


def test_ensure_yes_no_options_is_idempotent():
    question = QuestionFactory(kind=QuestionKind.YES_NO)
    structure.ensure_yes_no_options(question)
    structure.ensure_yes_no_options(question)
    assert list(question.options.values_list("code", "text")) == [("Y", "Ja"), ("N", "Nein")]
    english = QuestionFactory(kind=QuestionKind.YES_NO, page__survey__language="en")
    structure.ensure_yes_no_options(english)
    assert list(english.options.values_list("text", flat=True)) == ["Yes", "No"]


def test_page_conditions_on_a_locked_survey_can_still_be_added(client, editor, answered):
    later = SurveyPageFactory(survey=answered.survey, position=2)
    response = client.post(
        f"/admin/survey-builder/pages/{later.pk}/",
        page_post(
            title="Für Vereine",
            conditions=[
                {
                    "source": str(answered.pk),
                    "operator": "any_of",
                    "options": [str(answered.options.get(code="1").pk)],
                }
            ],
        ),
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.title == "Für Vereine" and later.conditions.count() == 1
