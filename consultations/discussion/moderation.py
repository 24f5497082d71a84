"""Moderation by the coordination office: hide, lock, block, dismiss flags — each one logged.

Every action checks the actor's role, changes the object, resolves the open flags it answers
and writes a ModerationAction row, all in one transaction. The steps shared with the forums'
moderation (role check, reason rule, closing flags, hiding and locking a row) are in
foundation.moderation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.proposals.models import Proposal
from foundation.models import User
from foundation.moderation import (
    clean_reason,
    ensure_moderator,
    mark_hidden,
    mark_locked,
    mark_visible,
    resolve_open_flags,
    start_action,
)
from foundation.roles import is_coordination_office

from .models import Comment, Flag, FlagResolution, ModerationAction, ModerationActionKind


def _resolve_flags(actor: User, target: Proposal | Comment, resolution: str) -> int:
    flags = (
        Flag.objects.filter(comment=target)
        if isinstance(target, Comment)
        else Flag.objects.filter(proposal=target)
    )
    return resolve_open_flags(flags, actor=actor, resolution=resolution)


def _log_targets(target: Proposal | Comment | User) -> dict[str, Any]:
    """What a log row names: the object, the proposal a comment belongs to, the person."""
    if isinstance(target, Comment):
        return {
            "comment": target,
            "proposal_id": target.proposal_id,
            "target_user_id": target.author_id,
        }
    if isinstance(target, Proposal):
        return {"proposal": target, "target_user_id": target.author_id}
    return {"target_user": target}


def _log(
    actor: User,
    action: str,
    reason: str,
    target: Proposal | Comment | User,
    flags_resolved: int = 0,
) -> ModerationAction:
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        reason=reason,
        flags_resolved=flags_resolved,
        **_log_targets(target),
    )


@transaction.atomic
def proposal_hide(*, actor: User, proposal: Proposal, reason: str) -> ModerationAction:
    reason = start_action(actor, reason, reason_required=True)
    mark_hidden(proposal, reason)
    resolved = _resolve_flags(actor, proposal, FlagResolution.HIDDEN)
    return _log(
        actor, ModerationActionKind.HIDE_PROPOSAL, reason, proposal, flags_resolved=resolved
    )


@transaction.atomic
def proposal_unhide(*, actor: User, proposal: Proposal, reason: str = "") -> ModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    mark_visible(proposal)
    return _log(actor, ModerationActionKind.UNHIDE_PROPOSAL, reason, proposal)


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> ModerationAction:
    reason = start_action(actor, reason, reason_required=True)
    if mark_hidden(comment, reason) and comment.deleted_at is None:
        Proposal.objects.filter(pk=comment.proposal_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    resolved = _resolve_flags(actor, comment, FlagResolution.HIDDEN)
    return _log(actor, ModerationActionKind.HIDE_COMMENT, reason, comment, flags_resolved=resolved)


@transaction.atomic
def comment_unhide(*, actor: User, comment: Comment, reason: str = "") -> ModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    if mark_visible(comment) and comment.deleted_at is None:
        Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") + 1)
    return _log(actor, ModerationActionKind.UNHIDE_COMMENT, reason, comment)


@transaction.atomic
def proposal_lock(*, actor: User, proposal: Proposal, reason: str = "") -> ModerationAction:
    """No new comments, supports or points; what is there stays visible."""
    reason = start_action(actor, reason, reason_required=False)
    mark_locked(proposal, True)
    return _log(actor, ModerationActionKind.LOCK_PROPOSAL, reason, proposal)


@transaction.atomic
def proposal_unlock(*, actor: User, proposal: Proposal, reason: str = "") -> ModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    mark_locked(proposal, False)
    return _log(actor, ModerationActionKind.UNLOCK_PROPOSAL, reason, proposal)


@transaction.atomic
def user_block(*, actor: User, user: User, reason: str) -> ModerationAction:
    """A blocked user can no longer post, comment, support or flag (see foundation.roles)."""
    reason = start_action(actor, reason, reason_required=True)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    if is_coordination_office(user):
        raise ValidationError(
            _(
                "Members of the coordination office cannot be blocked here; remove their role in the admin first."
            ),
            code="staff",
        )
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(blocked_at=now, blocked_reason=reason)
    user.blocked_at, user.blocked_reason = now, reason
    return _log(actor, ModerationActionKind.BLOCK_USER, reason, user)


@transaction.atomic
def user_unblock(*, actor: User, user: User, reason: str = "") -> ModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    User.objects.filter(pk=user.pk).update(blocked_at=None, blocked_reason="")
    user.blocked_at, user.blocked_reason = None, ""
    return _log(actor, ModerationActionKind.UNBLOCK_USER, reason, user)


@transaction.atomic
def flags_dismiss(
    *,
    actor: User,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
    reason: str = "",
) -> ModerationAction:
    """The reports were unfounded: close them, leave the content as it is."""
    ensure_moderator(actor)
    if (proposal is None) == (comment is None):
        raise ValueError("pass exactly one of proposal and comment")
    reason = clean_reason(reason, required=False)
    target = comment if comment is not None else proposal
    resolved = _resolve_flags(actor, target, FlagResolution.DISMISSED)
    return _log(actor, ModerationActionKind.DISMISS_FLAGS, reason, target, flags_resolved=resolved)
