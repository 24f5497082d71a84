"""Reads for the review pages; lists use joins for one-to-one data and GROUP BY for counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from consultations.proposals.models import REVIEWABLE, Proposal
from consultations.proposals.similar import (  # noqa: F401 - the review's names for them
    TRIGRAM_THRESHOLD,
    DuplicateCandidate,
    similar_proposals,
)
from foundation.models import Department, DepartmentMembership, Handlungsfeld

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
from .permissions import can_view_case, can_view_meeting

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


def person_prefetches(relation: str) -> list[Any]:
    """What the `staff_name` filter reads of the person at `relation`: memberships, groups."""
    memberships = DepartmentMembership.objects.select_related("department")
    return [
        Prefetch(f"{relation}__department_memberships", queryset=memberships),
        f"{relation}__groups",
    ]


def case_timeline(case: ReviewCase) -> QuerySet[ReviewEvent]:
    return (
        case.events.select_related("actor")
        .prefetch_related(*person_prefetches("actor"))
        .order_by("created_at", "pk")
    )


def case_contributions(case: ReviewCase) -> QuerySet[ReviewContribution]:
    return case.contributions.select_related("department", "author").prefetch_related(
        *person_prefetches("author")
    )


def assessment_for(proposal: Proposal) -> Assessment | None:
    return (
        Assessment.objects.select_related("department", "assessed_by", "approved_by")
        .prefetch_related(Prefetch("revisions", queryset=_revisions()))
        .filter(proposal=proposal)
        .first()
    )


def _revisions() -> QuerySet:
    from .models import AssessmentRevision

    return (
        AssessmentRevision.objects.select_related("author")
        .prefetch_related(*person_prefetches("author"))
        .order_by("-created_at", "-pk")
    )


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
    """The review figures, all counted over the same set: the reviewable proposals.

    One definition per number, the same as the triage filter its link opens: "new" is a
    proposal without a case or with a case not yet assigned; every other state is the state of
    the proposal's case; "overdue" is an open case past its due date. Both tables split the
    same proposals (by lead department, with "Not assigned" for the new ones, and by
    Handlungsfeld), so each column of each table adds up to the figure in the summary.
    """

    by_state: dict[str, int] = field(default_factory=dict)
    by_department: list[DashboardRow] = field(default_factory=list)
    by_handlungsfeld: list[DashboardRow] = field(default_factory=list)
    overdue: int = 0
    total: int = 0


def _state_aggregates(today: date) -> dict[str, Any]:
    """COUNT(... FILTER ...) per state over reviewable proposals LEFT JOIN their case."""
    aggregates: dict[str, Any] = {
        value.value: Count("pk", filter=Q(review_case__state=value))
        for value in ReviewState
        if value != ReviewState.NEW
    }
    aggregates[ReviewState.NEW.value] = Count(
        "pk", filter=Q(review_case__isnull=True) | Q(review_case__state=ReviewState.NEW)
    )
    aggregates["overdue"] = Count(
        "pk",
        filter=Q(review_case__state__in=OPEN_STATES, review_case__due_on__lt=today),
    )
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
    """Counts per state, lead department and Handlungsfeld: two GROUP BY queries over the
    reviewable proposals LEFT JOIN their case (one row per proposal: the case is one-to-one).
    The summary figures are the column sums of the department table."""
    today = today or timezone.localdate()
    aggregates = _state_aggregates(today)
    base = reviewable_proposals().order_by()
    by_department = list(base.values("review_case__lead_department_id").annotate(**aggregates))
    by_field = list(base.values("handlungsfeld_id").annotate(**aggregates))
    departments = Department.objects.in_bulk()
    fields = Handlungsfeld.objects.in_bulk()
    by_state = {
        state.value: sum(row[state.value] for row in by_department) for state in ReviewState
    }
    return Dashboard(
        by_state=by_state,
        by_department=_rows(by_department, "review_case__lead_department_id", departments),
        by_handlungsfeld=_rows(by_field, "handlungsfeld_id", fields),
        overdue=sum(row["overdue"] for row in by_department),
        total=sum(by_state.values()),
    )


def meetings_visible_to(user: Any) -> QuerySet[ReviewMeeting]:
    """The meetings `user` may see (the queryset spelling of `permissions.can_view_meeting`)."""
    from foundation.roles import department_ids, is_coordination_office

    queryset = ReviewMeeting.objects.all()
    if is_coordination_office(user):
        return queryset
    took_part = ReviewMeeting.departments.through.objects.filter(
        reviewmeeting_id=OuterRef("pk"), department_id__in=department_ids(user)
    )
    return queryset.filter(Exists(took_part))


def meetings(user: Any = None) -> QuerySet[ReviewMeeting]:
    """The meetings list: every meeting (no user) or those `user` may see, newest first."""
    through = ReviewMeeting.proposals.through
    proposal_count = (
        through.objects.filter(reviewmeeting_id=OuterRef("pk"))
        .order_by()
        .values("reviewmeeting_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = ReviewMeeting.objects.all() if user is None else meetings_visible_to(user)
    return (
        queryset.prefetch_related("departments")
        .annotate(proposal_count=Coalesce(Subquery(proposal_count), 0))
        .order_by("-starts_on", "title")
    )


def meeting_for(user: Any, pk: int) -> ReviewMeeting:
    """One meeting with its departments, or 404 for anyone who may not see it."""
    meeting = ReviewMeeting.objects.prefetch_related("departments").filter(pk=pk).first()
    if meeting is None or not can_view_meeting(user, meeting):
        raise Http404
    return meeting


@dataclass
class MeetingCases:
    """The proposals a meeting discussed that the viewer may see, and how many others."""

    visible: list[Proposal]
    hidden_count: int


def meeting_cases(user: Any, meeting: ReviewMeeting) -> MeetingCases:
    """The discussed proposals whose case page `user` may open (`permissions.can_view_case`)."""
    from foundation.roles import department_ids, is_coordination_office

    discussed = meeting.proposals.all()
    visible = discussed
    if not is_coordination_office(user):
        visible = discussed.filter(
            review_case__in=ReviewCase.objects.for_departments(department_ids(user))
        )
    rows = list(
        visible.select_related("handlungsfeld", "review_case__lead_department").order_by("pk")
    )
    return MeetingCases(visible=rows, hidden_count=discussed.count() - len(rows))


def case_meetings(proposal: Proposal) -> list[ReviewMeeting]:
    """The meetings in which `proposal` was discussed, oldest first, with their departments."""
    return list(
        proposal.review_meetings.prefetch_related("departments").order_by("starts_on", "title")
    )
