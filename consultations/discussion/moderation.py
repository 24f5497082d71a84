"""Moderation by the coordination office: hide, lock, block, dismiss flags — each one logged.

Every action checks the actor's role, changes the object, resolves the open flags it answers
and writes a ModerationAction row, all in one transaction. How that is done is the same for
the forums' moderation (foundation.moderation.ContentModeration); this module says what is
moderated here, what the log calls it and which counter follows: Proposal.comment_count.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation.models import User
from foundation.moderation import ContentModeration, ensure_moderator, start_action
from foundation.services import account_block, account_unblock

from .models import Comment, Flag, ModerationAction, ModerationActionKind
from .notifications import comment_url


def _count_visible_comments(comment: Comment, delta: int) -> None:
    comments = Proposal.objects.filter(pk=comment.proposal_id)
    if delta < 0:
        comments = comments.filter(comment_count__gt=0)
    comments.update(comment_count=F("comment_count") + delta)


PROPOSALS = ContentModeration(
    target="proposal",
    log=ModerationAction,
    hidden=ModerationActionKind.HIDE_PROPOSAL,
    shown=ModerationActionKind.UNHIDE_PROPOSAL,
    locked=ModerationActionKind.LOCK_PROPOSAL,  # no new comments, supports or points
    unlocked=ModerationActionKind.UNLOCK_PROPOSAL,
    dismissed=ModerationActionKind.DISMISS_FLAGS,
    flags=Flag,
    url_of=proposal_url,
)
COMMENTS = ContentModeration(
    target="comment",
    log=ModerationAction,
    hidden=ModerationActionKind.HIDE_COMMENT,
    shown=ModerationActionKind.UNHIDE_COMMENT,
    dismissed=ModerationActionKind.DISMISS_FLAGS,
    flags=Flag,
    visible_count=_count_visible_comments,
    url_of=comment_url,
)

# (actor=, proposal= or comment=, reason=) -> ModerationAction
proposal_hide = PROPOSALS.hide
proposal_unhide = PROPOSALS.unhide
proposal_lock = PROPOSALS.lock
proposal_unlock = PROPOSALS.unlock
comment_hide = COMMENTS.hide
comment_unhide = COMMENTS.unhide


@transaction.atomic
def user_block(*, actor: User, user: User, reason: str) -> ModerationAction:
    """Block from the moderation pages: the foundation's rule (account_block), with a log entry."""
    reason = start_action(actor, reason, reason_required=True)
    account_block(actor=actor, user=user, reason=reason)
    return ModerationAction.record(
        actor=actor, action=ModerationActionKind.BLOCK_USER, reason=reason, target=user
    )


@transaction.atomic
def user_unblock(*, actor: User, user: User, reason: str = "") -> ModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    account_unblock(actor=actor, user=user)
    return ModerationAction.record(
        actor=actor, action=ModerationActionKind.UNBLOCK_USER, reason=reason, target=user
    )


def flags_dismiss(
    *,
    actor: User,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
    reason: str = "",
) -> ModerationAction:
    """The reports were unfounded: close them, leave the content as it is (one transaction)."""
    ensure_moderator(actor)
    if (proposal is None) == (comment is None):
        raise ValueError("pass exactly one of proposal and comment")
    if comment is not None:
        return COMMENTS.dismiss_flags(actor=actor, comment=comment, reason=reason)
    return PROPOSALS.dismiss_flags(actor=actor, proposal=proposal, reason=reason)
