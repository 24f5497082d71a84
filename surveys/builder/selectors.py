"""Reads of the builder: the structure overview of one survey, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch
from django.urls import NoReverseMatch, reverse

from ..models import Condition, Option, Question, ResponseState, Survey, SurveyPage


@dataclass(frozen=True)
class StructureOverview:
    survey: Survey
    pages: list[SurveyPage]
    responses: dict[str, int]
    question_count: int


def structure_overview(survey: Survey) -> StructureOverview:
    conditions = Condition.objects.select_related("source").prefetch_related("options")
    questions = (
        Question.objects.annotate(answered=Count("answers__response", distinct=True))
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("role", "position", "pk")),
            Prefetch("conditions", queryset=conditions),
            "handlungsfelder",
        )
        .order_by("position", "pk")
    )
    pages = list(
        survey.pages.order_by("position", "pk").prefetch_related(
            Prefetch("questions", queryset=questions),
            Prefetch("conditions", queryset=conditions),
        )
    )
    counts = {
        row["state"]: row["n"]
        for row in survey.responses.order_by().values("state").annotate(n=Count("pk"))
    }
    responses = {state: counts.get(state, 0) for state in ResponseState.values}
    responses["all"] = sum(counts.values())
    return StructureOverview(
        survey=survey,
        pages=pages,
        responses=responses,
        question_count=sum(len(page.questions.all()) for page in pages),
    )


def preview_url(survey: Survey) -> str:
    """The respondent's view without storing anything (built by the answering package)."""
    try:
        return reverse("surveys:preview", kwargs={"slug": survey.slug})
    except NoReverseMatch:
        return f"/umfragen/{survey.slug}/vorschau/"


def condition_text(condition: Any) -> str:
    """ "q3 is one of 1, 2" — read from the prefetched rows."""
    parts = [condition.source.code, str(condition.get_operator_display())]
    codes = [option.code for option in condition.options.all()]
    if codes:
        parts.append(", ".join(codes))
    if condition.value:
        parts.append(condition.value)
    return " ".join(parts)
