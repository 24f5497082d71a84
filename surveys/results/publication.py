"""Published results: what the public survey page and the Handlungsfeld pages show.

Nobody may be singled out by a published figure, so every count below PUBLICATION_THRESHOLD
(5) answers is withheld and shown as "fewer than 5 answers" — option counts, matrix cells,
the totals of small recipient groups, and a whole question answered by fewer than five.
Where the shown figures add up to a total (one option per respondent, groups of the whole),
a single withheld cell could be worked out by subtraction: then the next smallest cell is
withheld too (secondary suppression). Free texts are never published (they can identify
their writers); number questions show count, mean and median, never the extremes.

Visitors read these pages, and a survey of 10,000 responses takes a few hundred milliseconds
to aggregate, so what they show is kept in the cache for SURVEY_PUBLIC_RESULTS_SECONDS
(default five minutes) and the page says when it was counted. Publishing or withdrawing
changes the key at once: withdrawn results are never shown from the cache.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from foundation.charts import BarChart
from foundation.models import Handlungsfeld
from surveys.models import Question, Survey

from .charts import question_chart
from .selectors import (
    ONE_OPTION_KINDS,
    NumberStats,
    QuestionResult,
    StateCounts,
    participation,
    question_results,
    questions_of,
)

PUBLICATION_THRESHOLD = 5


def suppress(values: list[int | None], *, additive: bool) -> list[int | None]:
    """`values` with every figure under the threshold replaced by None.

    `additive`: the figures add up to a published total, so one withheld figure alone could be
    recovered by subtraction; then the smallest remaining one is withheld as well."""
    result: list[int | None] = [
        value if value is not None and value >= PUBLICATION_THRESHOLD else None for value in values
    ]
    hidden = [index for index, value in enumerate(result) if value is None]
    if additive and len(hidden) == 1 and len(result) > 1:
        shown = [(value, index) for index, value in enumerate(result) if value is not None]
        _value, index = min(shown)
        result[index] = None
    return result


def _public_question(result: QuestionResult) -> QuestionResult:
    """A copy of `result` fit for publication (see the module's rules)."""
    respondents = result.respondents or 0
    public = QuestionResult(question=result.question, respondents=respondents)
    if respondents < PUBLICATION_THRESHOLD:
        public.respondents = None
        public.suppressed = True
        return public
    additive = result.kind in ONE_OPTION_KINDS and not result.question.allow_other
    counts = suppress([option.count for option in result.options], additive=additive)
    for option, count in zip(result.options, counts, strict=True):
        public.options.append(
            type(option)(
                code=option.code,
                label=option.label,
                count=count,
                share=option.share if count is not None else None,
                mean_rank=option.mean_rank if count is not None else None,
            )
        )
    public.other_count = (
        result.other_count if (result.other_count or 0) >= PUBLICATION_THRESHOLD else None
    )
    public.scale = list(result.scale)
    for row in result.rows:
        cells = suppress(list(row.cells), additive=True)
        shown = (row.respondents or 0) >= PUBLICATION_THRESHOLD
        public.rows.append(
            type(row)(
                code=row.code,
                label=row.label,
                respondents=row.respondents if shown else None,
                cells=cells if shown else [None] * len(cells),
                mean=row.mean if shown else None,
            )
        )
    if result.number is not None:
        enough = result.number.count >= PUBLICATION_THRESHOLD
        public.number = NumberStats(
            count=result.number.count if enough else 0,
            mean=result.number.mean if enough else None,
            median=result.number.median if enough else None,
            minimum=None,
            maximum=None,
        )
    return public


@dataclass
class PublicGroupRow:
    label: str
    answered: int | None  # partly or completely answered


@dataclass
class PublicParticipation:
    invited: int | None
    partial: int | None
    complete: int | None
    partial_share: float | None
    complete_share: float | None
    groups: list[PublicGroupRow] = field(default_factory=list)


def _public_participation(survey: Survey) -> PublicParticipation:
    counts = participation(survey=survey)
    overall: StateCounts = counts.overall
    partial, complete = suppress([overall.partial, overall.complete], additive=False)
    answered = suppress([group.answered for group in counts.by_group], additive=True)
    return PublicParticipation(
        invited=overall.invited,
        partial=partial,
        complete=complete,
        partial_share=overall.partial_share if partial is not None else None,
        complete_share=overall.complete_share if complete is not None else None,
        groups=[
            PublicGroupRow(label=group.label, answered=value)
            for group, value in zip(counts.by_group, answered, strict=True)
        ],
    )


@dataclass
class ChartedResult:
    result: QuestionResult
    chart: BarChart | None


def charted(results: list[QuestionResult]) -> list[ChartedResult]:
    return [ChartedResult(result=result, chart=question_chart(result)) for result in results]


Built = TypeVar("Built")


def _cached(key: str, build: Callable[[], Built]) -> Built:
    """`build()` kept for SURVEY_PUBLIC_RESULTS_SECONDS under `key` (in the active language).
    Without a cache (Redis gone) it is built on every request: slower, never wrong."""
    key = f"surveys:published:{key}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, settings.SURVEY_PUBLIC_RESULTS_SECONDS)
    return found


@dataclass
class PublishedResults:
    survey: Survey
    participation: PublicParticipation
    items: list[ChartedResult]
    counted_at: datetime = field(default_factory=timezone.now)


def public_results(*, survey: Survey) -> PublishedResults | None:
    """The published results of `survey` (all responses, partly answered included), counted
    now, or None while they are not published. The pages read rendered_public_results."""
    if not survey.results_published:
        return None
    results = question_results(questions=list(questions_of(survey=survey)))
    return PublishedResults(
        survey=survey,
        participation=_public_participation(survey),
        items=charted([_public_question(result) for result in results]),
    )


def rendered_public_results(*, survey: Survey) -> str | None:
    """The published results as the public pages show them: the HTML, kept in the cache (the
    figures are counted and fifty charts rendered once per cache time), or None while
    unpublished."""
    if not survey.results_published:
        return None

    def build() -> str:
        return render_to_string(
            "surveys/results/public_results.html",
            {"published_results": public_results(survey=survey)},
        )

    # Our own template's output, escaped when it was rendered.
    return mark_safe(
        _cached(f"survey-html:{survey.pk}:{survey.results_published_at.timestamp()}", build)
    )


@dataclass
class SurveyFindings:
    """What one published survey found for a Handlungsfeld: its tagged questions' results."""

    survey: Survey
    items: list[ChartedResult]
    counted_at: datetime = field(default_factory=timezone.now)


def published_findings(*, handlungsfeld: Handlungsfeld) -> list[SurveyFindings]:
    """Published results of the questions tagged with `handlungsfeld`, per survey (newest
    publication first). From the cache: one query (which surveys are published, and since
    when); otherwise five or six more, however many surveys and questions."""
    published = Survey.objects.filter(
        results_published_at__isnull=False, questions__handlungsfelder=handlungsfeld
    ).aggregate(surveys=Count("pk", distinct=True), latest=Max("results_published_at"))
    if not published["surveys"]:
        return []
    version = f"{published['surveys']}:{published['latest'].timestamp()}"
    return _cached(f"handlungsfeld:{handlungsfeld.pk}:{version}", lambda: _findings(handlungsfeld))


def _findings(handlungsfeld: Handlungsfeld) -> list[SurveyFindings]:
    questions = list(
        Question.objects.filter(
            handlungsfelder=handlungsfeld, survey__results_published_at__isnull=False
        )
        .exclude(kind="display")
        .select_related("survey", "page")
        .prefetch_related("options")
        .order_by("-survey__results_published_at", "survey_id", "page__position", "position", "pk")
    )
    by_survey: dict[int, list[QuestionResult]] = defaultdict(list)
    surveys: dict[int, Survey] = {}
    for result in question_results(questions=questions):
        surveys[result.question.survey_id] = result.question.survey
        by_survey[result.question.survey_id].append(_public_question(result))
    return [
        SurveyFindings(survey=surveys[survey_id], items=charted(items))
        for survey_id, items in by_survey.items()
    ]
