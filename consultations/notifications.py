"""Notifications to authors: comments on their proposals, replies, status changes.

Everything goes through foundation.notifications.notify: the in-app notification is written in
the caller's transaction and the e-mail leaves through the outbox after commit. Texts are
rendered in the recipient's language; nobody is notified about their own action; each
recipient's switches (User.notify_comments_* / notify_status_*) decide which channels are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from foundation.models import User
from foundation.notifications import Message, notify, recipient_language

from .models import ProposalStatus

if TYPE_CHECKING:
    from .models import Comment, Proposal

COMMENTS_PER_PAGE = 20


def proposal_url(proposal: Proposal) -> str:
    """The public address of a proposal, in the active language."""
    return reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])


def comment_url(comment: Comment) -> str:
    """The proposal page on the page of comments that shows `comment`, scrolled to it."""
    from django.db.models import Q

    from .models import Comment

    top = comment.parent if comment.parent_id else comment
    earlier = (
        Comment.objects.filter(proposal_id=comment.proposal_id, parent__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
        .count()
    )
    page = earlier // COMMENTS_PER_PAGE + 1
    query = f"?comments_page={page}" if page > 1 else ""
    return f"{proposal_url(comment.proposal)}{query}#comment-{comment.pk}"


def _send(*, recipient: User, kind: str, title: str, body: str, url: str, inapp: bool, email: bool, key: str) -> None:
    if not (inapp or email):
        return
    notify(
        recipient=recipient,
        message=Message(kind=kind, title=title, body=body, url=url),
        inapp=inapp,
        email=email,
        dedupe_key=key,
    )


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
            _send(
                recipient=recipient,
                kind=f"proposal_{kind}",
                title=title,
                body=f"{intro}\n\n{excerpt}\n\n{footer}",
                url=comment_url(comment),
                inapp=recipient.notify_comments_inapp,
                email=recipient.notify_comments_email,
                key=f"consultations:comment:{comment.pk}",
            )
        told.append(recipient)
    return told


def notify_status_change(*, proposal: Proposal, old_status: str, new_status: str) -> bool:
    """Tell the author that the public status of their proposal changed.

    Called by the review workflow inside its transaction; the e-mail leaves after commit.
    Returns whether anybody was told (no author, same status or both switches off: no).
    """
    author = proposal.author
    if author is None or old_status == new_status or not author.is_active:
        return False
    if not (author.notify_status_inapp or author.notify_status_email):
        return False
    with recipient_language(author):
        old_label = str(ProposalStatus(old_status).label) if old_status in ProposalStatus.values else old_status
        new_label = str(ProposalStatus(new_status).label) if new_status in ProposalStatus.values else new_status
        title = _("The status of your proposal “%(title)s” changed") % {"title": proposal.title}
        body = _("The status changed from “%(old)s” to “%(new)s”.") % {"old": old_label, "new": new_label}
        footer = _("You can switch these notifications off in your profile.")
        _send(
            recipient=author,
            kind="proposal_status",
            title=title,
            body=f"{body}\n\n{footer}",
            url=proposal_url(proposal),
            inapp=author.notify_status_inapp,
            email=author.notify_status_email,
            key=f"consultations:status:{proposal.pk}:{old_status}:{new_status}:{proposal.updated_at:%Y%m%d%H%M%S%f}",
        )
    return True
