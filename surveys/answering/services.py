"""Answering a survey: start or resume, exchange a token, save a page, submit, anonymise.

Every write runs in one transaction and checks its rules again (the pages ask the same
functions what to show). States: a Response is created "opened", becomes "partial" with
its first saved page and "complete" on submission; `last_page` is the furthest page saved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foundation.rules import ensure_may_take_part

from ..conditions import Given, Questionnaire, Visibility, given_from_answers
from ..models import (
    Answer,
    Option,
    OptionRole,
    Participation,
    Question,
    QuestionKind,
    Recipient,
    Response,
    ResponseState,
    Survey,
    SurveyMode,
    SurveyPage,
)
from ..tokens import is_well_formed, token_hash
from .values import AnswerValue, answer_problems, values_from_answers

# --- yes/no options ---------------------------------------------------------------------------

YES_NO_LABELS = {"Y": {"de": "Ja", "en": "Yes"}, "N": {"de": "Nein", "en": "No"}}


def ensure_yes_no_options(*, question: Question) -> tuple[Option, Option]:
    """The options coded "Y" and "N" of a yes/no question, created if missing (labels in the
    survey's language, English or German beside it). Safe to call any number of times; the
    builder and the LimeSurvey import call it too."""
    language = question.survey.language.split("-")[0]
    options = []
    for position, code in enumerate(("Y", "N"), start=1):
        labels = YES_NO_LABELS[code]
        text = labels.get(language, labels["en"])
        translations = {lang: {"text": label} for lang, label in labels.items() if lang != language}
        option, _created = Option.objects.get_or_create(
            question=question,
            role=OptionRole.CHOICE,
            code=code,
            defaults={"position": position, "text": text, "translations": translations},
        )
        options.append(option)
    return options[0], options[1]


def questionnaire_ready(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with the Y/N options of every yes/no question (created once for
    questions that came without them, e.g. from an older builder), reloaded if needed."""
    missing = [
        question
        for question in questionnaire.questions.values()
        if question.kind == QuestionKind.YES_NO
        and {o.code for o in question.options.all() if o.role == OptionRole.CHOICE} != {"Y", "N"}
    ]
    if not missing:
        return questionnaire
    with transaction.atomic():
        for question in missing:
            ensure_yes_no_options(question=question)
    return Questionnaire.load(questionnaire.survey)


# --- refusals ---------------------------------------------------------------------------------


def invitation_refusal(recipient: Recipient, moment: datetime.datetime | None = None) -> str | None:
    """Why this recipient's link does not open the survey now (used, not yet or no longer
    valid, survey not open), or None. The token page shows none of these reasons."""
    moment = moment or timezone.now()
    if recipient.completed_at is not None:
        return _("You have already submitted your answers.")
    if recipient.valid_from and moment < recipient.valid_from:
        return _("Your invitation link is not valid yet.")
    if recipient.valid_until and moment >= recipient.valid_until:
        return _("Your invitation link is no longer valid.")
    return recipient.survey.answering_refusal(moment)


def answering_refusal(response: Response, moment: datetime.datetime | None = None) -> str | None:
    """Why `response` cannot take answers now, or None."""
    if response.is_complete:
        return _("You have already submitted your answers.")
    refusal = response.survey.answering_refusal(moment)
    if refusal:
        return refusal
    if response.recipient_id is not None:
        recipient = response.recipient
        moment = moment or timezone.now()
        if recipient.valid_until and moment >= recipient.valid_until:
            return _("Your invitation link is no longer valid.")
    return None


def ensure_answering_allowed(response: Response) -> None:
    refusal = answering_refusal(response)
    if refusal:
        raise ValidationError(refusal, code="closed")


def open_mode_refusal(*, survey: Survey, user: Any) -> str | None:
    """Why this visitor cannot start the open survey, or None (signed-in residents once,
    visitors without an account where the survey allows it)."""
    refusal = survey.answering_refusal()
    if refusal:
        return refusal
    if survey.mode != SurveyMode.OPEN:
        return _("This survey is by invitation only. Please use the link in your invitation.")
    if getattr(user, "is_authenticated", False):
        if Participation.objects.filter(survey=survey, user=user).exists():
            return _("You have already answered this survey. Thank you!")
        return None
    if not survey.allow_anonymous:
        return _("Please sign in to take part.")
    return None


# --- tokens -----------------------------------------------------------------------------------


def recipient_for_token(token: str) -> Recipient | None:
    """The recipient whose link `token` is, if it may answer now; None for any other token.

    Always the same work, whatever the token: one hash and one lookup by the unique
    (indexed) hash, also for malformed tokens, so the answer time does not tell whether a
    token exists; the cheap shape check comes after the lookup, not before it.
    """
    digest = token_hash(token)
    recipient = Recipient.objects.select_related("survey").filter(token_hash=digest).first()
    if recipient is None or not is_well_formed(token):
        return None
    if invitation_refusal(recipient):
        return None
    return recipient


@transaction.atomic
def response_for_recipient(*, recipient: Recipient) -> Response:
    """The recipient's response, created ("opened") on first use of the link."""
    existing = Response.objects.filter(recipient=recipient).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=recipient.survey,
                recipient=recipient,
                group_id=recipient.group_id,
                municipality_id=recipient.municipality_id,
                language=recipient.language,
                is_demo=recipient.is_demo,
            )
    except IntegrityError:  # the same link opened twice at once
        return Response.objects.get(recipient=recipient)


@transaction.atomic
def response_for_user(*, survey: Survey, user: Any, language: str = "") -> Response:
    """A signed-in resident's response to an open survey: one per account."""
    ensure_may_take_part(user)
    refusal = open_mode_refusal(survey=survey, user=user)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    existing = Response.objects.filter(survey=survey, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Response.objects.create(survey=survey, user=user, language=language)
    except IntegrityError:  # two starts at once: the constraint keeps it to one
        return Response.objects.get(survey=survey, user=user)


@transaction.atomic
def response_for_visitor(*, survey: Survey, language: str = "") -> Response:
    """A new response without an account (open surveys that allow it); the page keeps its
    id in the visitor's session."""
    refusal = open_mode_refusal(survey=survey, user=None)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    return Response.objects.create(survey=survey, language=language)


# --- reading a response -----------------------------------------------------------------------


@dataclass
class ResponseView:
    """A response with its survey structure, stored values and what is shown."""

    response: Response
    questionnaire: Questionnaire
    values: dict[int, AnswerValue]
    given: dict[int, Given]
    visibility: Visibility
    pages: list[SurveyPage] = field(default_factory=list)  # the pages walked, in order

    def questions_to_ask(self, page: SurveyPage) -> list[Question]:
        """The questions the page shows before it is sent (see Questionnaire)."""
        return self.questionnaire.questions_to_ask(page, self.given)

    def shown_on_page(self, page: SurveyPage, values: dict[int, AnswerValue]) -> list[Question]:
        """The page's questions that count when it is sent with `values`: the answers so
        far with this page's replaced by the new ones decide (also about questions whose
        conditions look at this very page)."""
        own = {q.pk for q in self.questionnaire.questions_of(page)}
        given = {pk: item for pk, item in self.given.items() if pk not in own}
        given.update({pk: value.given() for pk, value in values.items() if pk in own})
        visibility = self.questionnaire.visibility(given)
        return self.questionnaire.visible_questions(page, visibility)

    def next_page(self, after: SurveyPage | None) -> SurveyPage | None:
        if after is None:
            return self.pages[0] if self.pages else None
        position = self.questionnaire.page_number(after)
        return next((p for p in self.pages if self.questionnaire.page_number(p) > position), None)

    def previous_page(self, before: SurveyPage) -> SurveyPage | None:
        position = self.questionnaire.page_number(before)
        earlier = [p for p in self.pages if self.questionnaire.page_number(p) < position]
        return earlier[-1] if earlier else None

    def resume_page(self) -> SurveyPage | None:
        """Where a returning respondent continues: after the furthest page saved (None: the
        review)."""
        last = self.response.last_page
        if last is None:
            return self.next_page(None)
        return self.next_page(last)

    def step(self, page: SurveyPage) -> int:
        return next((i for i, p in enumerate(self.pages, start=1) if p.pk == page.pk), 0)

    def missing_required(self) -> list[Question]:
        """Shown, required questions without an acceptable answer, in order."""
        missing = []
        for page in self.pages:
            for question in self.questionnaire.visible_questions(page, self.visibility):
                if question.required and question.takes_answer:
                    value = self.values.get(question.pk, AnswerValue())
                    if answer_problems(question, value):
                        missing.append(question)
        return missing


def load_response(response: Response, questionnaire: Questionnaire | None = None) -> ResponseView:
    questionnaire = questionnaire or Questionnaire.load(response.survey)
    answers = list(Answer.objects.filter(response=response))
    given = given_from_answers(answers)
    visibility = questionnaire.visibility(given)
    return ResponseView(
        response=response,
        questionnaire=questionnaire,
        values=values_from_answers(answers, questionnaire.questions),
        given=given,
        visibility=visibility,
        pages=questionnaire.visible_pages(visibility),
    )


# --- writing ----------------------------------------------------------------------------------


@dataclass
class SaveResult:
    view: ResponseView
    ignored: list[Question] = field(default_factory=list)


@transaction.atomic
def save_page(
    *,
    response: Response,
    page: SurveyPage,
    values: dict[int, AnswerValue],
    questionnaire: Questionnaire | None = None,
) -> SaveResult:
    """Store the answers of one page, replacing what the page held before (posting the same
    page twice stores it once). Answers to questions not shown on the page are ignored and
    reported; a value the question does not accept refuses the whole page."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("survey", "recipient", "last_page")
        .get(pk=response.pk)
    )
    ensure_answering_allowed(response)
    view = load_response(response, questionnaire)
    questionnaire = view.questionnaire
    if page.survey_id != response.survey_id or not any(p.pk == page.pk for p in view.pages):
        raise ValidationError(
            _("This page does not apply to you, given your earlier answers."), code="page_hidden"
        )
    shown = view.shown_on_page(page, values)
    shown_ids = {q.pk for q in shown}
    ignored = [
        questionnaire.questions[pk]
        for pk, value in values.items()
        if pk not in shown_ids and pk in questionnaire.questions and not value.is_empty
    ]
    problems = {
        question.code: answer_problems(question, values.get(question.pk, AnswerValue()))
        for question in shown
    }
    problems = {code: found for code, found in problems.items() if found}
    if problems:
        raise ValidationError(
            {
                code: [ValidationError(text, code="invalid") for text in found]
                for code, found in problems.items()
            }
        )
    page_question_ids = [q.pk for q in questionnaire.questions_of(page)]
    Answer.objects.filter(response=response, question_id__in=page_question_ids).delete()
    rows = []
    for question in shown:
        value = values.get(question.pk)
        if value is not None and question.takes_answer and not value.is_empty:
            rows.extend(value.rows(response_id=response.pk, question=question))
    Answer.objects.bulk_create(rows)
    furthest = response.last_page
    if furthest is None or questionnaire.page_number(page) >= questionnaire.page_number(furthest):
        response.last_page = page
    response.state = ResponseState.PARTIAL
    response.save(update_fields=["last_page", "state", "updated_at"])
    return SaveResult(view=load_response(response, questionnaire), ignored=ignored)


class MissingAnswers(ValidationError):
    """Submission refused: required questions that are shown have no answer."""

    def __init__(self, questions: list[Question]) -> None:
        super().__init__(
            _("Please answer the required questions that are still open."), code="incomplete"
        )
        self.questions = questions


@transaction.atomic
def submit_response(*, response: Response) -> Response:
    """Complete the response: every shown, required question answered. Answers to questions
    that the final answers hide are removed (nobody saw them). An anonymous survey then
    keeps no link to the recipient or account, and only the day of each time."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("survey", "recipient")
        .get(pk=response.pk)
    )
    ensure_answering_allowed(response)
    view = load_response(response)
    missing = view.missing_required()
    if missing:
        raise MissingAnswers(missing)
    shown = {
        q.pk
        for page in view.pages
        for q in view.questionnaire.visible_questions(page, view.visibility)
    }
    Answer.objects.filter(response=response).exclude(question_id__in=shown).delete()
    now = timezone.now()
    response.state = ResponseState.COMPLETE
    response.submitted_at = now
    response.save(update_fields=["state", "submitted_at", "updated_at"])
    if response.recipient_id is not None:
        # An anonymous survey keeps only the day here too: an exact time beside the
        # response's blurred one could pair them again.
        done = _day(now) if response.survey.anonymous else now
        Recipient.objects.filter(pk=response.recipient_id).update(completed_at=done)
    if response.user_id is not None:
        Participation.objects.get_or_create(
            survey_id=response.survey_id,
            user_id=response.user_id,
            defaults={"completed_on": timezone.localdate(now)},
        )
    if response.survey.anonymous:
        anonymise_response(response=response)
        response.refresh_from_db()
    return response


def _day(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def anonymise_response(*, response: Response) -> None:
    """Cut the link to the recipient and the account and blur the times to the day; the
    recipient group, municipality and language stay, so the counts per group stay exact.
    (A queryset update, so that `updated_at` is not set to the exact moment again.)"""
    Response.objects.filter(pk=response.pk).update(
        recipient=None,
        user=None,
        started_at=_day(response.started_at),
        submitted_at=_day(response.submitted_at),
        updated_at=_day(timezone.now()),
    )
