"""Read queries for proposal pages. Every list has a fixed number of queries, whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest
from django.urls import reverse

from foundation.models import Consultation, Handlungsfeld, Phase, User
from foundation.rules import may_see_consultation
from foundation.selectors import context_from_hooks

from .models import (
    ASSESSED_STATUSES,
    PriorityAllocation,
    PriorityBudget,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Support,
)
from .rules import may_see_hidden_proposals

# Other parts of the platform add context to the proposal detail page without touching its
# view: a Wagtail hook of this name is called as hook(proposal, request) and returns a dict
# that is merged into the template context (e.g. the published assessment).
DETAIL_CONTEXT_HOOK = "proposal_detail_context"

PAGE_SIZE = 20
_TS_QUERY = "websearch_to_tsquery('german'::regconfig, %s)"
_TS_MATCH = '"consultations_proposal"."search_document" @@ ' + _TS_QUERY
_TS_RANK = 'ts_rank("consultations_proposal"."search_document", ' + _TS_QUERY + ")"
SEARCH_MAX_TERMS = 8


def handlungsfelder_of(consultation: Consultation) -> QuerySet[Handlungsfeld]:
    """The consultation's fields; all fields if it names none."""
    fields = Handlungsfeld.objects.filter(consultations=consultation)
    return fields if fields.exists() else Handlungsfeld.objects.all()


def visible_proposals(*, consultation: Consultation, user: User) -> QuerySet[Proposal]:
    """Proposals the user may see in lists: hidden ones only for moderators."""
    queryset = Proposal.objects.filter(consultation=consultation)
    if not may_see_hidden_proposals(user):
        queryset = queryset.filter(is_hidden=False)
    return queryset


def _linked_proposals(proposals: QuerySet[Proposal], slug: str, limit: int) -> list[dict[str, str]]:
    return [
        {"title": title, "url": reverse("consultations:proposal_detail", args=[slug, pk])}
        for pk, title in proposals.filter(merged_into__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", "title")[:limit]
    ]


def proposals_from_thread(*, thread: Any, user: User, limit: int = 20) -> list[dict[str, str]]:
    """The proposals made from a forum thread that `user` may see (title and address), oldest
    first: one query."""
    consultation = thread.forum.consultation
    proposals = visible_proposals(consultation=consultation, user=user).filter(source_thread=thread)
    return _linked_proposals(proposals, consultation.slug, limit)


def proposals_from_event(*, event: Any, user: User, limit: int = 50) -> list[dict[str, str]]:
    """The proposals that came from a forum event (its documentation names them), as above."""
    consultation = event.consultation
    proposals = visible_proposals(consultation=consultation, user=user).filter(source_event=event)
    return _linked_proposals(proposals, consultation.slug, limit)


def search_proposals(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Full-text search: PostgreSQL's German stemming with ranking, or an AND of icontains terms."""
    text = " ".join(text.split())[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # search_document is a generated tsvector column with a GIN index (migration 0004).
        # Constant SQL; the user's text is passed as a parameter.
        return queryset.filter(
            RawSQL(_TS_MATCH, (text,), output_field=BooleanField())  # noqa: S611
        ).annotate(search_rank=RawSQL(_TS_RANK, (text,), output_field=FloatField()))  # noqa: S611
    condition = Q()
    for term in text.split()[:SEARCH_MAX_TERMS]:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    return queryset.filter(condition)


def search_everywhere(*, text: str, user: User) -> QuerySet[Proposal]:
    """The site search's proposals: those of published consultations that `user` may see (not
    merged into another), best match first on PostgreSQL, newest first elsewhere."""
    if not text.split():
        return Proposal.objects.none()
    proposals = Proposal.objects.filter(
        consultation__is_published=True, merged_into__isnull=True
    ).select_related("consultation", "handlungsfeld")
    if not may_see_hidden_proposals(user):
        proposals = proposals.filter(is_hidden=False)
    found = search_proposals(proposals, text)
    if connection.vendor == "postgresql":
        return found.order_by("-search_rank", "-created_at", "-pk")
    return found.order_by("-created_at", "-pk")


def filter_assessed(queryset: QuerySet[Proposal], assessed: bool) -> QuerySet[Proposal]:
    statuses = list(ASSESSED_STATUSES)
    return (
        queryset.filter(status__in=statuses) if assessed else queryset.exclude(status__in=statuses)
    )


SORTS: dict[str, list[str]] = {
    "supports": ["-support_count", "-created_at", "-pk"],
    "newest": ["-created_at", "-pk"],
    "comments": ["-comment_count", "-created_at", "-pk"],
    "points": ["-points_total", "-support_count", "-pk"],
}


def sort_proposals(
    queryset: QuerySet[Proposal], sort: str, *, searching: bool
) -> QuerySet[Proposal]:
    if sort == "relevance" and searching and connection.vendor == "postgresql":
        return queryset.order_by("-search_rank", "-support_count", "-pk")
    return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))


def with_list_relations(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a result row shows: field, author name, municipalities (one extra query per page)."""
    return (
        queryset.select_related("handlungsfeld", "author")
        .prefetch_related("municipalities")
        .defer("body", "hidden_reason")
    )


def supported_ids(*, user: User, proposal_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not proposal_ids:
        return set()
    return set(
        Support.objects.filter(user=user, proposal_id__in=proposal_ids).values_list(
            "proposal_id", flat=True
        )
    )


# --- Detail -----------------------------------------------------------------------------------


def proposal_for_detail(*, consultation: Consultation, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related(
            "author",
            "handlungsfeld",
            "goal",
            "source_event",
            "source_thread",
            "merged_into",
            "consultation",
        )
        .prefetch_related("municipalities")
        .filter(consultation=consultation, pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposal_for_action(*, slug: str, pk: int, user: User) -> Proposal:
    """The proposal a support POST acts on, with its consultation, in one query."""
    proposal = (
        Proposal.objects.select_related("consultation")
        .filter(pk=pk, consultation__slug=slug)
        .first()
    )
    if proposal is None or not may_see_consultation(user, proposal.consultation):
        raise Http404
    return proposal


def measures_of(*, goal: Proposal, user: User, limit: int = 100) -> list[Proposal]:
    if goal.kind != ProposalKind.GOAL:
        return []
    queryset = goal.measures.all()
    if not may_see_hidden_proposals(user):
        queryset = queryset.filter(is_hidden=False)
    return list(
        queryset.only(
            "pk", "title", "status", "support_count", "consultation_id", "goal_id"
        ).order_by("-support_count", "pk")[:limit]
    )


def goal_choices(*, consultation: Consultation) -> QuerySet[Proposal]:
    """Goals a new measure may belong to (in its own Handlungsfeld; the service checks that)."""
    return (
        Proposal.objects.filter(consultation=consultation, kind=ProposalKind.GOAL, is_hidden=False)
        .exclude(status__in=[ProposalStatus.WITHDRAWN, ProposalStatus.MERGED])
        .select_related("handlungsfeld")
        .only("pk", "title", "handlungsfeld__name", "handlungsfeld__number")
        .order_by("handlungsfeld__number", "title")
    )


@dataclass
class PointsState:
    """The user's priority points for one proposal's Handlungsfeld."""

    limit: int
    spent: int = 0
    given: int = 0
    allocations: list[PriorityAllocation] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return max(self.limit - self.spent, 0)

    @property
    def max_for_this(self) -> int:
        return min(self.limit, self.given + self.remaining)


def points_state(*, proposal: Proposal, user: User, phase: Phase | None) -> PointsState | None:
    if phase is None or phase.priority_points <= 0:
        return None
    state = PointsState(limit=phase.priority_points)
    if not getattr(user, "is_authenticated", False):
        return state
    budget = PriorityBudget.objects.filter(
        user=user,
        consultation_id=proposal.consultation_id,
        handlungsfeld_id=proposal.handlungsfeld_id,
    ).first()
    if budget is not None:
        state.spent = budget.spent
    allocation = PriorityAllocation.objects.filter(user=user, proposal=proposal).first()
    state.given = allocation.points if allocation else 0
    return state


def detail_extra_context(proposal: Proposal, request: HttpRequest) -> dict[str, Any]:
    return context_from_hooks(DETAIL_CONTEXT_HOOK, proposal, request)
