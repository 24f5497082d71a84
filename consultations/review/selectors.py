"""Reads for the review pages; lists use joins for one-to-one data and GROUP BY for counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from consultations.proposals.models import REVIEWABLE, Proposal
from consultations.proposals.similar import (  # noqa: F401 - the review's names for them
    TRIGRAM_THRESHOLD,
    DuplicateCandidate,
    similar_proposals,
)
from foundation.models import Department, Handlungsfeld

from .models import (
    OPEN_STATES,
    Assessment,
    AssessmentChange,
    AssessmentChangeKind,
    ReviewCase,
    ReviewContribution,
    ReviewEvent,
    ReviewMeeting,
    ReviewState,
)
from .permissions import can_view_case

# How many titles of the same Handlungsfeld the SQLite fallback compares at most.


def reviewable_proposals() -> QuerySet[Proposal]:
    """Proposals that still stand on their own: not withdrawn, hidden or merged (Proposal.review_refusal)."""
    return Proposal.objects.filter(REVIEWABLE)


@dataclass
class CaseFilters:
    handlungsfeld: Handlungsfeld | None = None
    state: str = ""
    department: Department | None = None
    overdue: bool = False
    text: str = ""


def _apply_case_filters(queryset: QuerySet, filters: CaseFilters, prefix: str) -> QuerySet:
    if filters.handlungsfeld is not None:
        queryset = queryset.filter(**{f"{prefix}handlungsfeld": filters.handlungsfeld})
    if filters.text:
        queryset = queryset.filter(**{f"{prefix}title__icontains": filters.text})
    return queryset


def triage_proposals(filters: CaseFilters, today: date | None = None) -> QuerySet[Proposal]:
    """The coordination office's inbox: reviewable proposals with their case, if any."""
    today = today or timezone.localdate()
    queryset = reviewable_proposals().select_related(
        "handlungsfeld", "consultation", "review_case__lead_department"
    )
    queryset = _apply_case_filters(queryset, filters, "")
    if filters.state == ReviewState.NEW:
        queryset = queryset.filter(
            Q(review_case__isnull=True) | Q(review_case__state=ReviewState.NEW)
        )
    elif filters.state:
        queryset = queryset.filter(review_case__state=filters.state)
    if filters.department is not None:
        queryset = queryset.filter(review_case__lead_department=filters.department)
    if filters.overdue:
        queryset = queryset.filter(
            review_case__state__in=OPEN_STATES, review_case__due_on__lt=today
        )
    return queryset.order_by("-created_at", "-pk")


def department_queue(
    user: Any, filters: CaseFilters, today: date | None = None
) -> QuerySet[ReviewCase]:
    """Cases of the user's departments (as lead or contributor), soonest due first."""
    from foundation.roles import department_ids

    today = today or timezone.localdate()
    queryset = (
        ReviewCase.objects.open()
        .for_departments(department_ids(user))
        .select_related("proposal__handlungsfeld", "lead_department")
    )
    queryset = _apply_case_filters(queryset, filters, "proposal__")
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.department is not None:
        queryset = queryset.filter(lead_department=filters.department)
    if filters.overdue:
        queryset = queryset.overdue(today)
    return queryset.order_by("due_on", "pk")


def case_page_data(user: Any, proposal_id: int) -> tuple[Proposal, ReviewCase | None]:
    """The proposal and its case, or 404 for anyone who may not see them."""
    proposal = (
        Proposal.objects.select_related("handlungsfeld", "consultation", "author", "merged_into")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    case = (
        ReviewCase.objects.select_related("lead_department")
        .prefetch_related("contributing_departments")
        .filter(proposal=proposal)
        .first()
    )
    if not can_view_case(user, case):
        raise Http404
    return proposal, case


def case_for_action(user: Any, proposal_id: int) -> ReviewCase:
    """The case a POST acts on; 404 when it does not exist or the user may not see it."""
    case = (
        ReviewCase.objects.select_related("proposal", "lead_department")
        .filter(proposal_id=proposal_id)
        .first()
    )
    if case is None or not can_view_case(user, case):
        raise Http404
    return case


def case_timeline(case: ReviewCase) -> QuerySet[ReviewEvent]:
    return case.events.select_related("actor").order_by("created_at", "pk")


def case_contributions(case: ReviewCase) -> QuerySet[ReviewContribution]:
    return case.contributions.select_related("department", "author")


def assessment_for(proposal: Proposal) -> Assessment | None:
    return (
        Assessment.objects.select_related("department", "assessed_by", "approved_by")
        .prefetch_related(Prefetch("revisions", queryset=_revisions()))
        .filter(proposal=proposal)
        .first()
    )


def _revisions() -> QuerySet:
    from .models import AssessmentRevision

    return AssessmentRevision.objects.select_related("author").order_by("-created_at", "-pk")


def assessment_changes(assessment: Assessment) -> QuerySet[AssessmentChange]:
    """The coordination office's edits and corrections of an assessment, newest first."""
    return assessment.changes.select_related("changed_by").order_by("-changed_at", "-pk")


def published_assessment(proposal: Proposal) -> Assessment | None:
    """The assessment the public may see: only once published, with its corrections (newest
    first, as `public_corrections`). Never expose `internal_note`."""
    corrections = AssessmentChange.objects.filter(kind=AssessmentChangeKind.CORRECTION).order_by(
        "-changed_at", "-pk"
    )
    return (
        Assessment.objects.select_related("department")
        .prefetch_related(Prefetch("changes", queryset=corrections, to_attr="public_corrections"))
        .filter(proposal=proposal, published_at__isnull=False)
        .first()
    )


def proposals_merged_into(proposal: Proposal) -> list[Proposal]:
    """The proposals merged into this one that the public may see, oldest first."""
    return list(
        proposal.merged_proposals.filter(is_hidden=False)
        .select_related("consultation")
        .only("pk", "title", "merged_into_id", "consultation__slug")
        .order_by("pk")
    )


def suggested_departments(handlungsfeld_ids: set[int]) -> dict[int, list[Department]]:
    """Active departments that usually review each Handlungsfeld (one query)."""
    through = Department.handlungsfelder.through
    rows = (
        through.objects.filter(handlungsfeld_id__in=handlungsfeld_ids, department__is_active=True)
        .select_related("department")
        .order_by("department__name")
    )
    suggestions: dict[int, list[Department]] = {}
    for row in rows:
        suggestions.setdefault(row.handlungsfeld_id, []).append(row.department)
    return suggestions


def duplicate_candidates(proposal: Proposal, limit: int = 5) -> list[DuplicateCandidate]:
    """Proposals of the same consultation whose titles look alike (trigrams on PostgreSQL)."""
    return similar_proposals(
        consultation_id=proposal.consultation_id,
        handlungsfeld_id=proposal.handlungsfeld_id,
        title=proposal.title,
        exclude_pk=proposal.pk,
        limit=limit,
    )


@dataclass
class DashboardRow:
    label: str
    counts: dict[str, int]
    overdue: int
    total: int
    object: Any = None


@dataclass
class Dashboard:
    by_state: dict[str, int] = field(default_factory=dict)
    by_department: list[DashboardRow] = field(default_factory=list)
    by_handlungsfeld: list[DashboardRow] = field(default_factory=list)
    overdue: int = 0
    untriaged: int = 0
    total: int = 0


def _state_aggregates(today: date, prefix: str = "") -> dict[str, Any]:
    state, due_on, pk = f"{prefix}state", f"{prefix}due_on", f"{prefix}pk"
    aggregates: dict[str, Any] = {
        value.value: Count(pk, filter=Q(**{state: value})) for value in ReviewState
    }
    aggregates["overdue"] = Count(
        pk, filter=Q(**{f"{state}__in": OPEN_STATES, f"{due_on}__lt": today})
    )
    aggregates["total"] = Count(pk)
    return aggregates


def _rows(grouped: Any, key: str, objects: dict[int, Any]) -> list[DashboardRow]:
    rows = []
    for values in grouped:
        obj = objects.get(values[key])
        counts = {state.value: values[state.value] for state in ReviewState}
        rows.append(
            DashboardRow(
                label=str(obj) if obj is not None else "",
                counts=counts,
                overdue=values["overdue"],
                total=sum(counts.values()),
                object=obj,
            )
        )
    rows.sort(key=lambda row: (row.label == "", row.label))
    return rows


def dashboard(today: date | None = None) -> Dashboard:
    """Counts per state, lead department and Handlungsfeld with two GROUP BY queries.

    Per department: the open cases alone (no join). Per Handlungsfeld: the reviewable
    proposals LEFT JOIN their case, so proposals without a case count as "not triaged".
    The overall figures are sums of the department rows.
    """
    today = today or timezone.localdate()
    by_department = list(
        ReviewCase.objects.open()
        .order_by()
        .values("lead_department_id")
        .annotate(**_state_aggregates(today))
    )
    field_aggregates = _state_aggregates(today, prefix="review_case__")
    field_aggregates["untriaged"] = Count("pk", filter=Q(review_case__isnull=True))
    by_field = list(
        reviewable_proposals().order_by().values("handlungsfeld_id").annotate(**field_aggregates)
    )
    for row in by_field:
        row["new"] += row["untriaged"]
    departments = Department.objects.in_bulk()
    fields = Handlungsfeld.objects.in_bulk()
    by_state = {
        state.value: sum(row[state.value] for row in by_department) for state in ReviewState
    }
    return Dashboard(
        by_state=by_state,
        by_department=_rows(by_department, "lead_department_id", departments),
        by_handlungsfeld=_rows(by_field, "handlungsfeld_id", fields),
        overdue=sum(row["overdue"] for row in by_department),
        untriaged=sum(row["untriaged"] for row in by_field),
        total=sum(by_state.values()),
    )


def meetings() -> QuerySet[ReviewMeeting]:
    through = ReviewMeeting.proposals.through
    proposal_count = (
        through.objects.filter(reviewmeeting_id=OuterRef("pk"))
        .order_by()
        .values("reviewmeeting_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ReviewMeeting.objects.prefetch_related("departments")
        .annotate(proposal_count=Coalesce(Subquery(proposal_count), 0))
        .order_by("-starts_on", "title")
    )
