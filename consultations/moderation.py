"""Moderation by the coordination office: hide, lock, block, dismiss flags — each one logged.

Every action checks the actor's role, changes the object, resolves the open flags it answers
and writes a ModerationAction row, all in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from foundation.models import User
from foundation.roles import is_coordination_office

from .models import Comment, Flag, FlagResolution, ModerationAction, ModerationActionKind, Proposal

REASON_MAX_LENGTH = 2000


def _ensure_moderator(actor: User) -> None:
    if not is_coordination_office(actor):
        raise PermissionDenied(_("Only the coordination office may moderate."))


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Please give a reason; it is shown in place of the content or to the person concerned."
                )
            },
            code="required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason can have at most %(max)d characters.")
                % {"max": REASON_MAX_LENGTH}
            },
            code="max_length",
        )
    return reason


def _resolve_flags(
    *,
    actor: User,
    resolution: str,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
) -> int:
    flags = Flag.objects.filter(resolved_at__isnull=True)
    flags = (
        flags.filter(proposal=proposal) if proposal is not None else flags.filter(comment=comment)
    )
    return flags.update(resolved_at=timezone.now(), resolved_by=actor, resolution=resolution)


def _log(
    *, actor: User, action: str, reason: str = "", flags_resolved: int = 0, **targets: object
) -> ModerationAction:
    return ModerationAction.objects.create(
        actor=actor, action=action, reason=reason, flags_resolved=flags_resolved, **targets
    )


@transaction.atomic
def proposal_hide(*, actor: User, proposal: Proposal, reason: str) -> ModerationAction:
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=True)
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason=reason)
    proposal.is_hidden, proposal.hidden_reason = True, reason
    resolved = _resolve_flags(actor=actor, resolution=FlagResolution.HIDDEN, proposal=proposal)
    return _log(
        actor=actor,
        action=ModerationActionKind.HIDE_PROPOSAL,
        reason=reason,
        flags_resolved=resolved,
        proposal=proposal,
        target_user_id=proposal.author_id,
    )


@transaction.atomic
def proposal_unhide(*, actor: User, proposal: Proposal, reason: str = "") -> ModerationAction:
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=False)
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=False, hidden_reason="")
    proposal.is_hidden, proposal.hidden_reason = False, ""
    return _log(
        actor=actor,
        action=ModerationActionKind.UNHIDE_PROPOSAL,
        reason=reason,
        proposal=proposal,
        target_user_id=proposal.author_id,
    )


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> ModerationAction:
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=True)
    became_hidden = Comment.objects.filter(pk=comment.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=reason
    )
    if not became_hidden:  # already hidden: only the reason changes
        Comment.objects.filter(pk=comment.pk).update(hidden_reason=reason)
    elif comment.deleted_at is None:
        Proposal.objects.filter(pk=comment.proposal_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    comment.is_hidden, comment.hidden_reason = True, reason
    resolved = _resolve_flags(actor=actor, resolution=FlagResolution.HIDDEN, comment=comment)
    return _log(
        actor=actor,
        action=ModerationActionKind.HIDE_COMMENT,
        reason=reason,
        flags_resolved=resolved,
        comment=comment,
        proposal_id=comment.proposal_id,
        target_user_id=comment.author_id,
    )


@transaction.atomic
def comment_unhide(*, actor: User, comment: Comment, reason: str = "") -> ModerationAction:
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=False)
    became_visible = Comment.objects.filter(pk=comment.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason=""
    )
    if became_visible and comment.deleted_at is None:
        Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") + 1)
    comment.is_hidden, comment.hidden_reason = False, ""
    return _log(
        actor=actor,
        action=ModerationActionKind.UNHIDE_COMMENT,
        reason=reason,
        comment=comment,
        proposal_id=comment.proposal_id,
        target_user_id=comment.author_id,
    )


@transaction.atomic
def proposal_lock(*, actor: User, proposal: Proposal, reason: str = "") -> ModerationAction:
    """No new comments, supports or points; what is there stays visible."""
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=False)
    Proposal.objects.filter(pk=proposal.pk).update(is_locked=True)
    proposal.is_locked = True
    return _log(
        actor=actor,
        action=ModerationActionKind.LOCK_PROPOSAL,
        reason=reason,
        proposal=proposal,
        target_user_id=proposal.author_id,
    )


@transaction.atomic
def proposal_unlock(*, actor: User, proposal: Proposal, reason: str = "") -> ModerationAction:
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=False)
    Proposal.objects.filter(pk=proposal.pk).update(is_locked=False)
    proposal.is_locked = False
    return _log(
        actor=actor,
        action=ModerationActionKind.UNLOCK_PROPOSAL,
        reason=reason,
        proposal=proposal,
        target_user_id=proposal.author_id,
    )


@transaction.atomic
def user_block(*, actor: User, user: User, reason: str) -> ModerationAction:
    """A blocked user can no longer post, comment, support or flag (see foundation.roles)."""
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=True)
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
    return _log(
        actor=actor, action=ModerationActionKind.BLOCK_USER, reason=reason, target_user=user
    )


@transaction.atomic
def user_unblock(*, actor: User, user: User, reason: str = "") -> ModerationAction:
    _ensure_moderator(actor)
    reason = _clean_reason(reason, required=False)
    User.objects.filter(pk=user.pk).update(blocked_at=None, blocked_reason="")
    user.blocked_at, user.blocked_reason = None, ""
    return _log(
        actor=actor, action=ModerationActionKind.UNBLOCK_USER, reason=reason, target_user=user
    )


@transaction.atomic
def flags_dismiss(
    *,
    actor: User,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
    reason: str = "",
) -> ModerationAction:
    """The reports were unfounded: close them, leave the content as it is."""
    _ensure_moderator(actor)
    if (proposal is None) == (comment is None):
        raise ValueError("pass exactly one of proposal and comment")
    reason = _clean_reason(reason, required=False)
    resolved = _resolve_flags(
        actor=actor, resolution=FlagResolution.DISMISSED, proposal=proposal, comment=comment
    )
    if comment is not None:
        targets = {
            "comment": comment,
            "proposal_id": comment.proposal_id,
            "target_user_id": comment.author_id,
        }
    else:
        targets = {"proposal": proposal, "target_user_id": proposal.author_id}
    return _log(
        actor=actor,
        action=ModerationActionKind.DISMISS_FLAGS,
        reason=reason,
        flags_resolved=resolved,
        **targets,
    )
