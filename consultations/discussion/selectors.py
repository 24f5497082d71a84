"""Reads for the discussion under a proposal and for the moderation pages.

Each function runs a fixed number of queries whatever the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, QuerySet

from consultations.proposals.models import Proposal
from foundation.models import User
from foundation.roles import is_coordination_office
from foundation.rules import participation_refusal

from .models import Comment, Flag, ModerationAction
from .notifications import COMMENTS_PER_PAGE
from .services import discussion_closed_reason

MODERATION_QUEUE_PER_PAGE = 20
MODERATION_LOG_PER_PAGE = 50


@dataclass
class Discussion:
    proposal: Proposal
    page_obj: Page
    refusal: str | None
    closed_reason: str | None
    flagged_comment_ids: set[int] = field(default_factory=set)
    is_moderator: bool = False


def discussion_for(*, proposal: Proposal, user: Any, page_number: Any = 1) -> Discussion:
    """Top-level comments, oldest first, 20 a page; their replies in one prefetch query."""
    is_moderator = bool(is_coordination_office(user))
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    top_level = (
        Comment.objects.filter(proposal=proposal, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )
    if proposal.is_hidden and not is_moderator:  # a hidden proposal takes its discussion with it
        top_level = top_level.none()
    page_obj = Paginator(top_level, COMMENTS_PER_PAGE).get_page(page_number)
    flagged: set[int] = set()
    if getattr(user, "is_authenticated", False) and page_obj.object_list:
        ids = [comment.pk for comment in page_obj.object_list]
        ids += [reply.pk for comment in page_obj.object_list for reply in comment.replies.all()]
        flagged = set(Flag.objects.filter(reporter=user, comment_id__in=ids).values_list("comment_id", flat=True))
    closed = discussion_closed_reason(proposal)
    refusal = closed or participation_refusal(user)
    return Discussion(
        proposal=proposal,
        page_obj=page_obj,
        refusal=refusal,
        closed_reason=closed,
        flagged_comment_ids=flagged,
        is_moderator=is_moderator,
    )


# --- Moderation -------------------------------------------------------------------------------


@dataclass
class FlagGroup:
    """All open flags of one proposal or one comment."""

    proposal: Proposal | None
    comment: Comment | None
    flag_count: int
    first_flagged: Any
    flags: list[Flag]

    @property
    def author(self) -> User | None:
        target = self.comment or self.proposal
        return target.author if target is not None else None

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for flag in self.flags:
            label = str(flag.get_reason_display())
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda item: -item[1])


def open_flag_groups() -> QuerySet:
    """One row per flagged object with open flags: (proposal_id, comment_id, count, oldest)."""
    return (
        Flag.objects.filter(resolved_at__isnull=True)
        .values("proposal_id", "comment_id")
        .annotate(flag_count=Count("pk"), first_flagged=Min("created_at"))
        .order_by("first_flagged", "proposal_id", "comment_id")
    )


def moderation_queue(*, page_number: Any = 1) -> tuple[Page, list[FlagGroup]]:
    page_obj = Paginator(open_flag_groups(), MODERATION_QUEUE_PER_PAGE).get_page(page_number)
    rows = list(page_obj.object_list)
    proposal_ids = [row["proposal_id"] for row in rows if row["proposal_id"]]
    comment_ids = [row["comment_id"] for row in rows if row["comment_id"]]
    proposals = Proposal.objects.select_related("author", "consultation").in_bulk(proposal_ids)
    comments = Comment.objects.select_related("author", "proposal").in_bulk(comment_ids)
    flags_by_target: dict[tuple[str, int], list[Flag]] = {}
    open_flags = Flag.objects.filter(resolved_at__isnull=True).select_related("reporter").order_by("created_at")
    for flag in open_flags.filter(proposal_id__in=proposal_ids) | open_flags.filter(comment_id__in=comment_ids):
        key = ("p", flag.proposal_id) if flag.proposal_id else ("c", flag.comment_id)
        flags_by_target.setdefault(key, []).append(flag)
    groups = []
    for row in rows:
        if row["proposal_id"]:
            proposal, comment = proposals.get(row["proposal_id"]), None
            key = ("p", row["proposal_id"])
        else:
            proposal, comment = None, comments.get(row["comment_id"])
            key = ("c", row["comment_id"])
        groups.append(
            FlagGroup(
                proposal=proposal,
                comment=comment,
                flag_count=row["flag_count"],
                first_flagged=row["first_flagged"],
                flags=flags_by_target.get(key, []),
            )
        )
    return page_obj, groups


def moderation_log(*, target_user_id: int | None = None, action: str = "") -> QuerySet[ModerationAction]:
    actions = ModerationAction.objects.select_related("actor", "proposal", "comment", "target_user")
    if target_user_id:
        actions = actions.filter(target_user_id=target_user_id)
    if action:
        actions = actions.filter(action=action)
    return actions.order_by("-created_at", "-pk")


def blocked_users() -> QuerySet[User]:
    return User.objects.filter(blocked_at__isnull=False).order_by("-blocked_at")
