"""Factories for surveys: questionnaire, recipients, responses and answers."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from surveys.models import (
    Answer,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Recipient,
    RecipientGroup,
    Response,
    Survey,
    SurveyPage,
    SurveyStatus,
)
from surveys.tokens import new_token, token_hash


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Umfrage {n}")
    slug = factory.Sequence(lambda n: f"umfrage-{n}")
    status = SurveyStatus.OPEN


class SurveyPageFactory(DjangoModelFactory):
    class Meta:
        model = SurveyPage

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Seite {n}")


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    page = factory.SubFactory(SurveyPageFactory)
    survey = factory.LazyAttribute(lambda o: o.page.survey)
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"q{n}")
    kind = QuestionKind.SHORT_TEXT
    text = factory.Sequence(lambda n: f"Frage {n}?")


class OptionFactory(DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.SINGLE)
    role = OptionRole.CHOICE
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"o{n}")
    text = factory.Sequence(lambda n: f"Option {n}")


def choice_question(page: SurveyPage, code: str, labels: list[str], **fields) -> Question:
    """A question with options coded "1", "2", ... in the order of `labels`."""
    fields.setdefault("kind", QuestionKind.SINGLE)
    question = QuestionFactory(page=page, survey=page.survey, code=code, **fields)
    for position, label in enumerate(labels, start=1):
        Option.objects.create(question=question, position=position, code=str(position), text=label)
    return question


class RecipientGroupFactory(DjangoModelFactory):
    class Meta:
        model = RecipientGroup

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"Gruppe {n}")


class RecipientFactory(DjangoModelFactory):
    """A recipient; the clear token is on `recipient.token` (only its hash is stored)."""

    class Meta:
        model = Recipient

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"Verein {n}")
    email = factory.Sequence(lambda n: f"verein{n}@example.org")
    token = factory.LazyFunction(new_token)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = kwargs.pop("token")
        kwargs["token_hash"] = token_hash(token)
        recipient = super()._create(model_class, *args, **kwargs)
        recipient.token = token
        return recipient


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
