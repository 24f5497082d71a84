"""Reads for the discussion under a proposal and for the moderation pages.

Each function runs a fixed number of queries whatever the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from consultations.proposals.models import Proposal
from foundation.models import User
from foundation.moderation import FlagGroup, open_flag_groups, open_flags_by_target
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
        flagged = set(
            Flag.objects.filter(reporter=user, comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        )
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
class ProposalOrCommentFlags(FlagGroup):
    """All open flags of one proposal or one comment."""

    proposal: Proposal | None = None
    comment: Comment | None = None

    @property
    def author(self) -> User | None:
        target = self.comment or self.proposal
        return target.author if target is not None else None


FLAG_TARGETS = ("proposal_id", "comment_id")


def moderation_queue(*, page_number: Any = 1) -> tuple[Page, list[ProposalOrCommentFlags]]:
    page_obj, rows = open_flag_groups(
        Flag, targets=FLAG_TARGETS, page_number=page_number, per_page=MODERATION_QUEUE_PER_PAGE
    )
    proposal_ids = [row["proposal_id"] for row in rows if row["proposal_id"]]
    comment_ids = [row["comment_id"] for row in rows if row["comment_id"]]
    proposals = Proposal.objects.select_related("author", "consultation").in_bulk(proposal_ids)
    comments = Comment.objects.select_related("author", "proposal").in_bulk(comment_ids)
    flags = open_flags_by_target(
        Flag.objects.select_related("reporter"), rows, targets=FLAG_TARGETS
    )
    groups = []
    for row in rows:
        column = "proposal_id" if row["proposal_id"] else "comment_id"
        groups.append(
            ProposalOrCommentFlags(
                proposal=proposals.get(row["proposal_id"]),
                comment=comments.get(row["comment_id"]),
                flag_count=row["flag_count"],
                first_flagged=row["first_flagged"],
                flags=flags.get((column, row[column]), []),
            )
        )
    return page_obj, groups


def moderation_log(
    *, target_user_id: int | None = None, action: str = ""
) -> QuerySet[ModerationAction]:
    actions = ModerationAction.objects.select_related("actor", "proposal", "comment", "target_user")
    if target_user_id:
        actions = actions.filter(target_user_id=target_user_id)
    if action:
        actions = actions.filter(action=action)
    return actions.order_by("-created_at", "-pk")


def blocked_users() -> QuerySet[User]:
    return User.objects.filter(blocked_at__isnull=False).order_by("-blocked_at")
