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

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from wagtail import hooks

from .models import NO_ANSWER_KINDS, Survey, SurveyStatus

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
