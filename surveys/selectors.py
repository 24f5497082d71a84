"""Public reads of surveys: the list at /umfragen/ and one survey's detail page.

Higher floors (cms) may read these. The detail page offers a Wagtail hook through which
the results package adds what it publishes:

    @hooks.register(DETAIL_CONTEXT_HOOK)
    def published_results(survey, request) -> dict: ...

Each hook returns a dict merged into the page's context; a key `detail_sections` (a list of
template names) is collected from all hooks, and each template is included in the results
slot of the detail page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from wagtail import hooks

from foundation.models import Handlungsfeld

from .models import NO_ANSWER_KINDS, Question, Survey, SurveyStatus

#: hook(survey, request) -> dict, see the module docstring.
DETAIL_CONTEXT_HOOK = "survey_detail_context"


def public_surveys() -> QuerySet[Survey]:
    """Open surveys (also those not started yet or past their end date but not closed),
    and closed surveys whose results are published; the newest first."""
    return (
        Survey.objects.filter(
            Q(status=SurveyStatus.OPEN)
            | Q(status=SurveyStatus.CLOSED, results_published_at__isnull=False)
        )
        .select_related("consultation")
        .annotate(
            question_count=Count("questions", filter=~Q(questions__kind__in=list(NO_ANSWER_KINDS)))
        )
        .order_by("-status", "closes_at", "-created_at")
    )


def public_survey(*, slug: str) -> Survey:
    """The survey at /umfragen/<slug>/: any survey that is not a draft (404 otherwise)."""
    survey = (
        Survey.objects.exclude(status=SurveyStatus.DRAFT)
        .select_related("consultation")
        .filter(slug=slug)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def survey_for_staff(*, slug: str) -> Survey:
    """Any survey, drafts included (the preview)."""
    survey = Survey.objects.filter(slug=slug).first()
    if survey is None:
        raise Http404
    return survey


def question_count(survey: Survey) -> int:
    return survey.questions.exclude(kind__in=list(NO_ANSWER_KINDS)).count()


def detail_extra_context(survey: Survey, request: HttpRequest) -> dict[str, Any]:
    """What the hooks add to the detail page (results, once published)."""
    context: dict[str, Any] = {}
    sections: list[str] = []
    for hook in hooks.get_hooks(DETAIL_CONTEXT_HOOK):
        extra = dict(hook(survey, request) or {})
        sections.extend(extra.pop("detail_sections", []))
        context.update(extra)
    context["detail_sections"] = sections
    return context


#: The site search reads at most this many words.
SEARCH_MAX_WORDS = 12


def search_published_surveys(*, text: str) -> QuerySet[Survey]:
    """Surveys with published results whose title, introduction or a question holds every
    word of `text` (German stemming on PostgreSQL, else case-insensitive words); the newest
    publication first. Drafts and surveys whose results are not published are never found."""
    surveys = Survey.objects.filter(results_published_at__isnull=False).select_related(
        "consultation"
    )
    words = text.split()[:SEARCH_MAX_WORDS]
    if not words:
        return surveys.none()
    questions = Question.objects.exclude(kind="display")
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config="german", search_type="plain")
        matching_questions = (
            questions.annotate(document=SearchVector("text", "help_text", config="german"))
            .filter(document=query)
            .values("survey_id")
        )
        found = surveys.annotate(document=SearchVector("title", "intro", config="german")).filter(
            Q(document=query) | Q(pk__in=matching_questions)
        )
    else:
        condition = Q()
        for word in words:
            condition &= (
                Q(title__icontains=word)
                | Q(intro__icontains=word)
                | Q(pk__in=questions.filter(text__icontains=word).values("survey_id"))
            )
        found = surveys.filter(condition)
    return found.order_by("-results_published_at", "-pk")


def surveys_about(surveys: QuerySet[Survey], handlungsfeld: Handlungsfeld) -> QuerySet[Survey]:
    """Those of `surveys` with a question tagged with `handlungsfeld`."""
    tagged = Question.objects.filter(handlungsfelder=handlungsfeld).values("survey_id")
    return surveys.filter(pk__in=tagged)
