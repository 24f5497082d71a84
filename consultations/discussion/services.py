"""Comments and flags: the write services of the discussion under a proposal.

Proposal.comment_count counts the *visible* comments: neither deleted by their author nor
hidden by the moderation (replies included). Every path that changes visibility (post,
delete, hide, unhide) adjusts it with an F() update in the same transaction, so the number
shown in lists always matches what a reader can actually read on the page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.proposals.models import Proposal
from foundation import following
from foundation.models import Activity, FollowOrigin, User
from foundation.moderation import Flagging
from foundation.rules import participation_refusal
from foundation.validation import checked_text

from .models import Comment, Flag
from .notifications import comment_url, notify_new_comment

COMMENT_MAX_LENGTH = 5000


def discussion_closed_reason(proposal: Proposal) -> str | None:
    """Why nobody can comment on `proposal` right now, or None if the discussion is open."""
    refusal = proposal.comment_refusal()
    if refusal:
        return refusal
    if not proposal.consultation.gate(Activity.COMMENTS).is_open:
        return _("Comments are only possible while the consultation's discussion phase is open.")
    return None


def comment_refusal(*, proposal: Proposal, user: Any) -> str | None:
    """The first reason why `user` cannot comment on `proposal` now, or None."""
    return participation_refusal(user) or discussion_closed_reason(proposal)


def _clean_body(body: str) -> str:
    return checked_text(
        (body or "").strip(),
        field="body",
        max_length=COMMENT_MAX_LENGTH,
        empty=_("Please write a comment before sending it."),
        too_long=_("A comment can have at most %(max)d characters; yours has %(length)d."),
    )


def _ensure_can_comment(*, proposal: Proposal, user: User) -> None:
    refusal = comment_refusal(proposal=proposal, user=user)
    if refusal:
        raise ValidationError(refusal, code="closed")


@transaction.atomic
def comment_create(
    *, proposal: Proposal, author: User, body: str, parent: Comment | None = None
) -> Comment:
    """Post a comment or a reply; a reply to a reply joins the top-level comment's thread."""
    _ensure_can_comment(proposal=proposal, user=author)
    body = _clean_body(body)
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError(
                _("You can only reply to comments on the same proposal."), code="invalid_parent"
            )
        if parent.deleted_at is not None:
            raise ValidationError(
                _("This comment was deleted, so you cannot reply to it."), code="parent_deleted"
            )
        if parent.is_hidden:
            raise ValidationError(
                _("This comment was hidden by the moderation, so you cannot reply to it."),
                code="parent_hidden",
            )
        if parent.parent_id:
            parent = parent.parent

    recent = Comment.just_sent(author=author, body=body, proposal=proposal, parent=parent)
    if recent is not None:  # the same text sent twice: a double click, not a second comment
        return recent

    comment = Comment.objects.create(proposal=proposal, parent=parent, author=author, body=body)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    comment.proposal = proposal
    comment.parent = parent
    comment.author = author
    told = notify_new_comment(comment=comment)
    following.follow(user=author, target=proposal, origin=FollowOrigin.PARTICIPATED)
    following.record(
        target=proposal,
        verb="proposals.comment",
        url=comment_url(comment),
        actor=author,
        skip=[user.pk for user in told],
        name=author.public_name,
        excerpt=body if len(body) <= 500 else body[:500] + "…",
    )
    return comment


def _own_live_comment(*, comment: Comment, user: User) -> None:
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author may change this comment."))
    if comment.deleted_at is not None:
        raise ValidationError(
            _("This comment was deleted and can no longer be changed."), code="deleted"
        )
    if comment.is_hidden:
        raise ValidationError(
            _("This comment was hidden by the moderation and can no longer be changed."),
            code="hidden",
        )


@transaction.atomic
def comment_edit(*, comment: Comment, user: User, body: str) -> Comment:
    """The author corrects their comment while the discussion is open; the page marks it as edited."""
    _own_live_comment(comment=comment, user=user)
    _ensure_can_comment(proposal=comment.proposal, user=user)
    comment.replace_body(_clean_body(body))
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: User) -> Comment:
    """Soft delete by the author: the text stays in the database, the page shows a marker.

    Deleting is allowed even after the discussion closed or the author was blocked: people
    must always be able to take back what they wrote.
    """
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author may delete this comment."))
    if comment.soft_delete() and not comment.is_hidden:
        Proposal.objects.filter(pk=comment.proposal_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    return comment


# (comment= or proposal=, reporter=, reason=, note=) -> (Flag, created); a second report is a no-op.
flag_comment = Flagging(
    Flag,
    target="comment",
    own=gettext_lazy("You cannot report your own comment; you can edit or delete it."),
    deleted=gettext_lazy("This comment was deleted already."),
)
flag_proposal = Flagging(
    Flag, target="proposal", own=gettext_lazy("You cannot report your own proposal.")
)
