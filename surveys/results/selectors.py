"""Reads of a survey's results, aggregated in the database.

Every function here runs a fixed number of queries, whatever the number of responses and
questions: the counts are GROUP BY queries (per question and option, per group, per
municipality), never a loop over responses. `tests/surveys/results/test_query_counts.py`
pins this with 10 and 200 responses.

Choice questions count *options*, never option combinations: a multiple-choice answer is one
Answer row per chosen option, and the count per option is the number of such rows (Decidim
counted combinations, #16421). Shares of a multiple-choice question are per respondent of the
question, so they add up to more than 100 %.

The filter `complete_only` restricts every figure to submitted responses; by default partly
answered responses count as well (what they answered is kept and is worth reading).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    FloatField,
    Lookup,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext_lazy as _

from foundation.models import Municipality
from surveys.models import (
    Answer,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Recipient,
    RecipientGroup,
    Response,
    ResponseState,
    Survey,
    SurveyPage,
)

#: Kinds answered with options and counted per option.
OPTION_KINDS = frozenset(
    {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.DROPDOWN, QuestionKind.YES_NO}
)
#: Kinds whose counts per option add up to the number of respondents (one option each).
ONE_OPTION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.DROPDOWN, QuestionKind.YES_NO})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
#: Kinds stored as one row without an option per response (at most).
VALUE_KINDS = TEXT_KINDS | {QuestionKind.NUMBER, QuestionKind.DATE}


class PercentileCont(Aggregate):
    """PostgreSQL's median: percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median_in_database() -> bool:
    return connection.vendor == "postgresql"


# --- Participation ---------------------------------------------------------------------------


@dataclass
class StateCounts:
    """Invited / opened / partial / complete of the whole survey, a group or a municipality.

    The states are exclusive: "opened" counts responses with no page saved yet, "partial" those
    with at least one, "complete" the submitted ones. `invited` is None for open surveys."""

    label: str
    invited: int | None = None
    opened: int = 0
    partial: int = 0
    complete: int = 0

    @property
    def responded(self) -> int:
        return self.opened + self.partial + self.complete

    @property
    def answered(self) -> int:
        """Partly or completely answered: the concept's "154 partly, 110 completely" basis."""
        return self.partial + self.complete

    def share(self, count: int) -> float | None:
        """`count` in per cent of the invited, or None where nobody was invited."""
        if not self.invited:
            return None
        return 100 * count / self.invited

    @property
    def opened_share(self) -> float | None:
        return self.share(self.responded)

    @property
    def partial_share(self) -> float | None:
        return self.share(self.partial)

    @property
    def complete_share(self) -> float | None:
        return self.share(self.complete)


@dataclass
class Participation:
    overall: StateCounts
    by_group: list[StateCounts]
    by_municipality: list[StateCounts]
    is_invitation: bool


def _add_state(counts: StateCounts, state: str, number: int) -> None:
    if state == ResponseState.COMPLETE:
        counts.complete += number
    elif state == ResponseState.PARTIAL:
        counts.partial += number
    else:
        counts.opened += number


def participation(*, survey: Survey) -> Participation:
    """The states overall, per recipient group and per municipality: four queries at most."""
    invitation = survey.is_invitation
    no_group, no_place = str(_("No recipient group")), str(_("No municipality"))
    overall = StateCounts(label=str(_("All")), invited=0 if invitation else None)
    groups = {
        group.pk: StateCounts(label=group.name, invited=0 if invitation else None)
        for group in RecipientGroup.objects.filter(survey=survey).order_by("position", "name")
    }
    places: dict[int | None, StateCounts] = {}
    ungrouped = StateCounts(label=no_group, invited=0 if invitation else None)

    def group_counts(group_id: int | None) -> StateCounts:
        return groups.get(group_id, ungrouped) if group_id is not None else ungrouped

    def place_counts(place_id: int | None) -> StateCounts:
        if place_id not in places:
            places[place_id] = StateCounts(label=no_place, invited=0 if invitation else None)
        return places[place_id]

    if invitation:
        invited = (
            Recipient.objects.filter(survey=survey)
            .values("group_id", "municipality_id")
            .annotate(number=Count("id"))
            .order_by()
        )
        for row in invited:
            for counts in (
                overall,
                group_counts(row["group_id"]),
                place_counts(row["municipality_id"]),
            ):
                counts.invited = (counts.invited or 0) + row["number"]
    states = (
        Response.objects.filter(survey=survey)
        .values("group_id", "municipality_id", "state")
        .annotate(number=Count("id"))
        .order_by()
    )
    for row in states:
        for counts in (
            overall,
            group_counts(row["group_id"]),
            place_counts(row["municipality_id"]),
        ):
            _add_state(counts, row["state"], row["number"])
    named = {pk for pk in places if pk is not None}
    if named:
        for municipality in Municipality.objects.filter(pk__in=named).only("pk", "name"):
            places[municipality.pk].label = municipality.name
    by_municipality = sorted(
        (counts for pk, counts in places.items() if pk is not None), key=lambda c: c.label
    )
    if None in places and (places[None].responded or places[None].invited):
        by_municipality.append(places[None])
    by_group = list(groups.values())
    if ungrouped.responded or ungrouped.invited:
        by_group.append(ungrouped)
    return Participation(
        overall=overall,
        by_group=by_group,
        by_municipality=by_municipality,
        is_invitation=invitation,
    )


# --- Results per question --------------------------------------------------------------------


@dataclass
class OptionResult:
    code: str
    label: str
    count: int | None
    share: float | None = None  # of the question's respondents, in per cent
    mean_rank: float | None = None


@dataclass
class MatrixRow:
    code: str
    label: str
    respondents: int | None
    cells: list[int | None]  # one per scale point, in the scale's order
    mean: float | None = None  # mean position on the scale (1 = first point)


@dataclass
class NumberStats:
    count: int
    mean: float | None
    median: float | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass
class DateStats:
    count: int
    earliest: date | None
    latest: date | None


@dataclass
class QuestionResult:
    question: Question
    respondents: int | None
    options: list[OptionResult] = field(default_factory=list)
    other_count: int | None = 0
    scale: list[str] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)
    number: NumberStats | None = None
    dates: DateStats | None = None
    text_count: int = 0
    suppressed: bool = False

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def text(self) -> str:
        """The question in the active language (falling back to the survey's own)."""
        return self.question.translated("text")

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS or self.kind == QuestionKind.RANKING

    @property
    def is_matrix(self) -> bool:
        return self.kind == QuestionKind.MATRIX

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def has_free_texts(self) -> bool:
        return self.is_text or (self.question.allow_other and self.kind in OPTION_KINDS)


def responses_of(*, survey: Survey, complete_only: bool = False) -> QuerySet[Response]:
    responses = Response.objects.filter(survey=survey)
    if complete_only:
        responses = responses.filter(state=ResponseState.COMPLETE)
    return responses


class AnyOf(Lookup):
    """`field = ANY(%s)` with one array parameter, never through an index on the field.

    PostgreSQL hashes the array, so keeping 700,000 answers to the 7,000 submitted responses
    costs a hash probe per row while the answers are scanned once (by the index the query
    needs anyway), instead of a join. Written as `field + 0` so that the planner does not
    probe the field's own index once per element instead (three times slower on the
    benchmark's survey)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # noqa: ANN001, ANN201
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} + 0) = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]

    def get_prep_lookup(self):  # noqa: ANN201
        return self.rhs


def answers_of(*, questions: list[Question], complete_only: bool = False) -> QuerySet[Answer]:
    """The answers to `questions`; with `complete_only` those of submitted responses only."""
    answers = Answer.objects.filter(question__in=[question.pk for question in questions])
    if not complete_only:
        return answers
    if connection.vendor != "postgresql":
        return answers.filter(response__state=ResponseState.COMPLETE)
    submitted = list(
        Response.objects.filter(survey_id=questions[0].survey_id, state=ResponseState.COMPLETE)
        .order_by()
        .values_list("pk", flat=True)
    )
    return answers.filter(response_id__any_of=submitted)


Answer._meta.get_field("response").register_lookup(AnyOf)


def questions_of(*, survey: Survey) -> QuerySet[Question]:
    """The survey's questions that take an answer, in questionnaire order, with their options."""
    return (
        Question.objects.filter(survey=survey)
        .exclude(kind=QuestionKind.DISPLAY)
        .select_related("page")
        .prefetch_related("options")
        .order_by("page__position", "page__pk", "position", "pk")
    )


def _one_row_each(question: Question) -> bool:
    """Whether a response holds at most one answer row for `question` (then the rows are the
    respondents, and no DISTINCT is needed): values are stored once, a single choice is one
    option unless an "other" text may come with it."""
    if question.kind in VALUE_KINDS:
        return True
    return question.kind in ONE_OPTION_KINDS and not question.allow_other


def _has_values(question: Question) -> bool:
    """Whether `question` stores rows without an option (a value, or an "other" text)."""
    return question.kind in VALUE_KINDS or (question.allow_other and question.kind in OPTION_KINDS)


def question_results(
    *, questions: list[Question], complete_only: bool = False
) -> list[QuestionResult]:
    """Results of `questions` (their options prefetched): three GROUP BY queries for any
    number of questions and responses (four with `complete_only` on PostgreSQL, where the
    submitted responses are read first, five on SQLite, which has no median):

    1. the rows per question, option and scale over every answer, with the rank sums and
       the first ranks: the counts of choices, matrix cells and rankings;
    2. the distinct respondents of the questions that store several rows per response
       (multiple choice, matrix, a choice with "other"). For the others the rows are the
       respondents; a ranking has exactly one rank 1 per respondent (ranks start at 1 and
       have no gaps, `surveys.answering.values`), so its first ranks are its respondents;
    3. the texts, numbers (mean, median, range) and dates of the value rows.
    """
    if not questions:
        return []
    answers = answers_of(questions=questions, complete_only=complete_only)
    per_option: dict[int, dict[tuple[int | None, int | None], dict[str, Any]]] = defaultdict(dict)
    respondents: dict[int, int] = defaultdict(int)
    for row in (
        answers.values("question_id", "option_id", "scale_id")
        .annotate(hits=Count("id"), rank_sum=Sum("rank"), firsts=Count("id", filter=Q(rank=1)))
        .order_by()
    ):
        per_option[row["question_id"]][(row["option_id"], row["scale_id"])] = row
        respondents[row["question_id"]] += row["hits"]
    by_pk = {question.pk: question for question in questions}
    for question_id, rows in per_option.items():
        if by_pk[question_id].kind == QuestionKind.RANKING:
            respondents[question_id] = sum(row["firsts"] for row in rows.values())
    several = [q.pk for q in questions if not _one_row_each(q) and q.kind != QuestionKind.RANKING]
    if several:
        respondents.update(
            answers.filter(question__in=several)
            .values("question_id")
            .annotate(respondents=Count("response_id", distinct=True))
            .order_by()
            .values_list("question_id", "respondents")
        )
    value_stats = _value_stats(answers, [q.pk for q in questions if _has_values(q)])
    results = []
    for question in questions:
        counted = per_option.get(question.pk, {})
        values = value_stats.get(question.pk, {})
        result = QuestionResult(question=question, respondents=respondents.get(question.pk, 0))
        options = list(question.options.all())
        if question.kind == QuestionKind.MATRIX:
            _matrix(result, options, counted)
        elif question.kind in OPTION_KINDS or question.kind == QuestionKind.RANKING:
            for option in options:
                if option.role != OptionRole.CHOICE:
                    continue
                hit = counted.get((option.pk, None), {})
                count = hit.get("hits", 0)
                result.options.append(
                    OptionResult(
                        code=option.code,
                        label=option.translated("text"),
                        count=count,
                        share=100 * count / result.respondents if result.respondents else None,
                        mean_rank=(hit["rank_sum"] / count)
                        if count and hit.get("rank_sum") is not None
                        else None,
                    )
                )
            result.other_count = values.get("texts", 0) if question.allow_other else 0
        elif question.kind == QuestionKind.NUMBER:
            result.number = NumberStats(
                count=values.get("numbers", 0),
                mean=float(values["mean"]) if values.get("mean") is not None else None,
                median=values.get("median"),
                minimum=values.get("minimum"),
                maximum=values.get("maximum"),
            )
        elif question.kind == QuestionKind.DATE:
            result.dates = DateStats(
                count=values.get("dates", 0),
                earliest=values.get("earliest"),
                latest=values.get("latest"),
            )
        elif question.kind in TEXT_KINDS:
            result.text_count = values.get("texts", 0)
        results.append(result)
    return results


def _value_stats(answers: QuerySet[Answer], question_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per question: the non-empty texts, and the count, mean, median, range of numbers and
    dates, over the rows without an option."""
    if not question_ids:
        return {}
    rows = answers.filter(question__in=question_ids, option__isnull=True).order_by()
    aggregates: dict[str, Any] = {
        "texts": Count("id", filter=~Q(text="")),
        "numbers": Count("number"),
        "mean": Avg("number"),
        "minimum": Min("number"),
        "maximum": Max("number"),
        "dates": Count("date"),
        "earliest": Min("date"),
        "latest": Max("date"),
    }
    if _median_in_database():
        aggregates["median"] = PercentileCont("number")
    stats = {row["question_id"]: row for row in rows.values("question_id").annotate(**aggregates)}
    if not _median_in_database():
        values: dict[int, list[Decimal]] = defaultdict(list)
        for question_id, value in (
            rows.filter(number__isnull=False)
            .values_list("question_id", "number")
            .iterator(chunk_size=5000)
        ):
            values[question_id].append(value)
        for question_id, found in values.items():
            stats[question_id]["median"] = float(median(found))
    return stats


def _matrix(
    result: QuestionResult,
    options: list[Option],
    counted: dict[tuple[int, int | None], dict[str, Any]],
) -> None:
    scale = [option for option in options if option.role == OptionRole.SCALE]
    result.scale = [option.translated("text") for option in scale]
    for row_option in (option for option in options if option.role == OptionRole.ROW):
        cells = [counted.get((row_option.pk, point.pk), {}).get("hits", 0) for point in scale]
        total = sum(cells)
        mean = (
            sum(position * count for position, count in enumerate(cells, start=1)) / total
            if total
            else None
        )
        result.rows.append(
            MatrixRow(
                code=row_option.code,
                label=row_option.translated("text"),
                respondents=total,
                cells=list(cells),
                mean=mean,
            )
        )


def survey_results(
    *, survey: Survey, complete_only: bool = False, page: SurveyPage | None = None
) -> list[QuestionResult]:
    """Every question's results (or those of one page of the questionnaire): five or six
    queries in all."""
    questions = questions_of(survey=survey)
    if page is not None:
        questions = questions.filter(page=page)
    return question_results(questions=list(questions), complete_only=complete_only)


@dataclass
class Section:
    """A page of the questionnaire on the dashboard: its results are shown one page at a time."""

    number: int
    page: SurveyPage
    questions: int

    @property
    def title(self) -> str:
        return self.page.translated("title")


def result_sections(*, survey: Survey) -> list[Section]:
    """The questionnaire's pages that hold questions taking an answer, numbered from 1."""
    pages = (
        SurveyPage.objects.filter(survey=survey)
        .annotate(asked=Count("questions", filter=~Q(questions__kind=QuestionKind.DISPLAY)))
        .filter(asked__gt=0)
        .order_by("position", "pk")
    )
    return [
        Section(number=number, page=page, questions=page.asked)
        for number, page in enumerate(pages, start=1)
    ]


def question_of(*, survey: Survey, code: str) -> Question | None:
    return questions_of(survey=survey).filter(code=code).first()


# --- Cross-tabulation by recipient group ----------------------------------------------------


@dataclass
class CrossTabColumn:
    label: str
    respondents: int


@dataclass
class CrossTabRow:
    label: str
    cells: list[int]  # one per column
    shares: list[float | None]

    @property
    def pairs(self) -> list[tuple[int, float | None]]:
        return list(zip(self.cells, self.shares, strict=True))


@dataclass
class CrossTab:
    columns: list[CrossTabColumn]
    rows: list[CrossTabRow]
    means: list[float | None] | None = None  # number questions: the mean per group


def crosstab_by_group(
    *, survey: Survey, question: Question, complete_only: bool = False
) -> CrossTab | None:
    """A question's answers per recipient group (columns) and option (rows): three queries.

    For choice questions the cells count options; for number questions the row is the mean.
    None for kinds that do not cross-tabulate (texts, dates, matrices)."""
    options_kind = question.kind in OPTION_KINDS or question.kind == QuestionKind.RANKING
    if not options_kind and question.kind != QuestionKind.NUMBER:
        return None
    answers = answers_of(questions=[question], complete_only=complete_only)
    groups = list(RecipientGroup.objects.filter(survey=survey).order_by("position", "name"))
    per_group = {
        row["response__group_id"]: row
        for row in answers.values("response__group_id")
        .annotate(respondents=Count("response_id", distinct=True), mean=Avg("number"))
        .order_by()
    }
    keys: list[int | None] = [group.pk for group in groups]
    labels = [group.name for group in groups]
    if None in per_group:
        keys.append(None)
        labels.append(str(_("No recipient group")))
    columns = [
        CrossTabColumn(label=label, respondents=per_group.get(key, {}).get("respondents", 0))
        for key, label in zip(keys, labels, strict=True)
    ]
    if question.kind == QuestionKind.NUMBER:
        means = [
            float(per_group[key]["mean"])
            if key in per_group and per_group[key]["mean"] is not None
            else None
            for key in keys
        ]
        return CrossTab(columns=columns, rows=[], means=means)
    counts: dict[tuple[int, int | None], int] = {
        (row["option_id"], row["response__group_id"]): row["number"]
        for row in answers.filter(option__isnull=False)
        .values("option_id", "response__group_id")
        .annotate(number=Count("id"))
        .order_by()
    }
    rows = []
    for option in question.options.all():
        if option.role != OptionRole.CHOICE:
            continue
        cells = [counts.get((option.pk, key), 0) for key in keys]
        shares = [
            100 * cell / column.respondents if column.respondents else None
            for cell, column in zip(cells, columns, strict=True)
        ]
        rows.append(CrossTabRow(label=option.translated("text"), cells=cells, shares=shares))
    return CrossTab(columns=columns, rows=rows)


# --- Free texts -----------------------------------------------------------------------------


def free_texts(
    *, question: Question, search: str = "", complete_only: bool = False
) -> QuerySet[Answer]:
    """The question's text answers ("other" texts of choice questions), newest response first;
    `search` matches anywhere in the text, case-insensitively. Paginate the result."""
    answers = (
        answers_of(questions=[question], complete_only=complete_only)
        .filter(option__isnull=True)
        .exclude(text="")
    )
    if search:
        answers = answers.filter(text__icontains=search.strip())
    return answers.select_related("response__group").order_by("-response_id", "-pk")
