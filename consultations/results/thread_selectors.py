"""Reads of the golden thread: from a forum and a proposal to a measure and its progress.

A measure is public once it is part of a published concept version; its number and wording
are those of the latest published version that contains it (ConceptVersionEntry). Every
function here runs a fixed number of queries, whatever the history of the measure or the
proposal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse

from consultations.proposals.models import Proposal, ProposalKind
from foundation.models import Consultation, Handlungsfeld

from .models import (
    ConceptGoal,
    ConceptMeasure,
    ConceptVersion,
    ConceptVersionEntry,
    EntryKind,
    Indicator,
    IndicatorValue,
    VersionState,
)
from .progress import rolled_up


def measure_public_url(measure: ConceptMeasure, consultation: Consultation | None = None) -> str:
    """The address of a measure's public page (it answers 404 until a version with it is
    published). Pass the consultation when it is at hand, to save its query."""
    slug = (consultation or measure.consultation).slug
    return reverse("results:measure_detail", args=[slug, measure.pk])


def _published_entries(**filters: Any) -> Any:
    return ConceptVersionEntry.objects.filter(
        kind=EntryKind.MEASURE,
        version__state=VersionState.PUBLISHED,
        measure__isnull=False,
        **filters,
    ).order_by("measure_id", "-version__number", "-pk")


def latest_published_entry(measure_id: int) -> ConceptVersionEntry | None:
    """The measure's entry in the latest published version that contains it (one query)."""
    return (
        _published_entries(measure_id=measure_id)
        .select_related("version", "handlungsfeld", "parent")
        .first()
    )


# --- Progress roll-up ------------------------------------------------------------------------


@dataclass
class GoalProgress:
    goal: ConceptGoal
    measures: list[Any] = field(default_factory=list)  # MeasureFigures

    @property
    def progress(self) -> float | None:
        return rolled_up(self.measures)


@dataclass
class FieldProgress:
    handlungsfeld: Handlungsfeld
    goals: list[GoalProgress] = field(default_factory=list)
    measures: list[Any] = field(default_factory=list)  # MeasureFigures

    @property
    def progress(self) -> float | None:
        return rolled_up(self.measures)

    @property
    def measure_count(self) -> int:
        return len(self.measures)


@dataclass
class ProgressOverview:
    fields: list[FieldProgress]
    progress: float | None = None  # of all measures
    is_weighted: bool = False  # any measure has a weight

    def __post_init__(self) -> None:
        measures = [measure for item in self.fields for measure in item.measures]
        self.progress = rolled_up(measures)
        self.is_weighted = any(measure.weight is not None for measure in measures)


@dataclass(frozen=True)
class MeasureFigures:
    """What the roll-up needs of a measure (progress.Weighted), read without model instances."""

    pk: int
    progress: int
    weight: int | None


def progress_overview(consultation: Consultation) -> ProgressOverview:
    """Progress per Handlungsfeld and goal, rolled up from the measures (two queries)."""
    by_goal: dict[int, list[MeasureFigures]] = {}
    for pk, goal_id, progress, weight in (
        ConceptMeasure.objects.filter(consultation=consultation)
        .order_by("number")
        .values_list("pk", "goal_id", "progress", "weight")
    ):
        by_goal.setdefault(goal_id, []).append(MeasureFigures(pk, progress, weight))
    goals = (
        ConceptGoal.objects.filter(consultation=consultation)
        .select_related("handlungsfeld")
        .order_by("handlungsfeld__number", "position")
    )
    by_field: dict[int, FieldProgress] = {}
    for goal in goals:
        measures = by_goal.get(goal.pk)
        if not measures:
            continue
        field_progress = by_field.setdefault(
            goal.handlungsfeld_id, FieldProgress(handlungsfeld=goal.handlungsfeld)
        )
        field_progress.goals.append(GoalProgress(goal=goal, measures=measures))
        field_progress.measures.extend(measures)
    return ProgressOverview(fields=list(by_field.values()))


# --- The public page of a measure -----------------------------------------------------------


@dataclass
class Origin:
    """A proposal the measure came from, with the forum event or thread it came from."""

    proposal: Proposal
    url: str
    is_source: bool  # the measure's own source proposal (else merged into it)
    event_url: str = ""
    thread_url: str = ""


@dataclass
class MeasurePage:
    measure: ConceptMeasure
    entry: ConceptVersionEntry
    is_current: bool  # part of the latest published version
    origins: list[Origin]
    history: list[dict[str, Any]]
    indicators: list[Indicator]

    @property
    def goal_text(self) -> str:
        return self.entry.parent.text if self.entry.parent else self.measure.goal.title


def _origin(proposal: Proposal, consultation: Consultation, *, is_source: bool) -> Origin:
    slug = consultation.slug
    event, thread = proposal.source_event, proposal.source_thread
    return Origin(
        proposal=proposal,
        url=reverse("consultations:proposal_detail", args=[slug, proposal.pk]),
        is_source=is_source,
        event_url=reverse("forums:event_detail", args=[slug, event.slug]) if event else "",
        thread_url=(
            reverse("forums:thread_detail", args=[slug, thread.forum.handlungsfeld.slug, thread.pk])
            if thread is not None and not thread.is_hidden
            else ""
        ),
    )


def origins_of(measure: ConceptMeasure, consultation: Consultation) -> list[Origin]:
    """The source proposal and the proposals merged into it (one query); hidden ones left out."""
    if measure.source_proposal_id is None:
        return []
    source_id = measure.source_proposal_id
    rows = (
        Proposal.objects.filter(Q(pk=source_id) | Q(merged_into_id=source_id), is_hidden=False)
        .select_related("source_event", "source_thread__forum__handlungsfeld")
        .order_by("created_at", "pk")
    )
    origins = [
        _origin(proposal, consultation, is_source=proposal.pk == measure.source_proposal_id)
        for proposal in rows
    ]
    origins.sort(key=lambda origin: not origin.is_source)
    return origins


def public_measure(consultation: Consultation, pk: int) -> MeasurePage | None:
    """Everything the public page of a measure shows, or None before it is published."""
    from .selectors import measure_history

    measure = (
        ConceptMeasure.objects.select_related("goal", "handlungsfeld", "department")
        .filter(consultation=consultation, pk=pk)
        .first()
    )
    if measure is None:
        return None
    entry = latest_published_entry(measure.pk)
    if entry is None:
        return None
    latest_version = (
        ConceptVersion.objects.filter(consultation=consultation, state=VersionState.PUBLISHED)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    indicators = list(
        Indicator.objects.filter(measure=measure).prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("date"))
        )
    )
    return MeasurePage(
        measure=measure,
        entry=entry,
        is_current=entry.version_id == latest_version,
        origins=origins_of(measure, consultation),
        history=measure_history(measure),
        indicators=indicators,
    )


# --- What became of a proposal ----------------------------------------------------------------


@dataclass
class ProposalOutcome:
    proposal: Proposal
    primary: Proposal  # the proposal itself, or the one it was merged into
    assessment: Any  # the published assessment of `primary`, or None
    measure: ConceptMeasure | None  # adopted and published as this measure
    measure_entry: ConceptVersionEntry | None
    measure_url: str
    goal: ConceptGoal | None  # adopted and published as this goal
    goal_entry: ConceptVersionEntry | None

    @property
    def is_merged(self) -> bool:
        return self.primary.pk != self.proposal.pk


def proposal_outcome(proposal: Proposal) -> ProposalOutcome:
    """What became of a proposal, at most four queries whatever its history.

    A merged proposal takes the fate of the proposal it was merged into: its assessment and
    the measure adopted from it. Only published assessments and published concept versions
    count.
    """
    from consultations.review.selectors import published_assessment

    primary = proposal.merged_into or proposal
    assessment = published_assessment(primary)
    measure = measure_entry = goal = goal_entry = None
    measure_url = ""
    published = {
        "version__state": VersionState.PUBLISHED,
        "version__consultation_id": primary.consultation_id,
    }
    if primary.kind == ProposalKind.GOAL:
        goal_entry = (
            ConceptVersionEntry.objects.filter(
                kind=EntryKind.GOAL, goal__source_proposal=primary, **published
            )
            .select_related("goal", "handlungsfeld", "version")
            .order_by("-version__number")
            .first()
        )
        goal = goal_entry.goal if goal_entry else None
    else:
        measure_entry = (
            ConceptVersionEntry.objects.filter(
                kind=EntryKind.MEASURE, measure__source_proposal=primary, **published
            )
            .select_related("measure__department", "handlungsfeld", "version")
            .order_by("-version__number")
            .first()
        )
        if measure_entry is not None:
            measure = measure_entry.measure
            measure_url = measure_public_url(measure, proposal.consultation)
    return ProposalOutcome(
        proposal=proposal,
        primary=primary,
        assessment=assessment,
        measure=measure,
        measure_entry=measure_entry,
        measure_url=measure_url,
        goal=goal,
        goal_entry=goal_entry,
    )
