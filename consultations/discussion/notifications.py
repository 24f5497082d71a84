"""Notifications about the discussion: comments on a person's proposal and replies to their comments.

They go through the proposals' `send_notification` (foundation.notifications.notify): the
in-app notification is written in the caller's transaction, the e-mail leaves through the
outbox after commit, in the recipient's language; nobody is told about their own action.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from consultations.proposals.notifications import proposal_url, send_notification
from foundation.models import User
from foundation.notifications import recipient_language

from .models import Comment

COMMENTS_PER_PAGE = 20


def comment_url(comment: Comment) -> str:
    """The proposal page on the page of comments that shows `comment`, scrolled to it."""
    top = comment.parent if comment.parent_id else comment
    earlier = (
        Comment.objects.filter(proposal_id=comment.proposal_id, parent__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
        .count()
    )
    page = earlier // COMMENTS_PER_PAGE + 1
    query = f"?comments_page={page}" if page > 1 else ""
    return f"{proposal_url(comment.proposal)}{query}#comment-{comment.pk}"


def notify_new_comment(*, comment: Comment) -> list[User]:
    """Tell the proposal's author and, for a reply, the author of the comment replied to.

    Each person is told once per comment, even if they are both. Returns who was told.
    """
    proposal = comment.proposal
    recipients: list[tuple[User, str]] = []
    if comment.parent_id and comment.parent.author_id and comment.parent.deleted_at is None:
        recipients.append((comment.parent.author, "reply"))
    if proposal.author_id and all(user.pk != proposal.author_id for user, _kind in recipients):
        recipients.append((proposal.author, "comment"))

    told: list[User] = []
    commenter_name = comment.author.public_name if comment.author_id else ""
    for recipient, kind in recipients:
        if recipient.pk == comment.author_id or not recipient.is_active:
            continue
        with recipient_language(recipient):
            if kind == "reply":
                title = _("New reply to your comment on “%(title)s”") % {"title": proposal.title}
                intro = _("%(name)s replied to your comment:") % {"name": commenter_name}
            else:
                title = _("New comment on your proposal “%(title)s”") % {"title": proposal.title}
                intro = _("%(name)s commented on your proposal:") % {"name": commenter_name}
            excerpt = comment.body if len(comment.body) <= 500 else comment.body[:500] + "…"
            footer = _("You can switch these notifications off in your profile.")
            send_notification(
                recipient=recipient,
                kind=f"proposal_{kind}",
                title=title,
                body=f"{intro}\n\n{excerpt}\n\n{footer}",
                url=comment_url(comment),
                inapp=recipient.notify_comments_inapp,
                email=recipient.notify_comments_email,
                unsubscribe="comments",
                key=f"consultations:comment:{comment.pk}",
            )
        told.append(recipient)
    return told
