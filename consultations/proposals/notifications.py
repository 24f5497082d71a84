"""Notifications to authors about their proposals: status changes.

Everything goes through foundation.notifications.notify: the in-app notification is written in
the caller's transaction and the e-mail leaves through the outbox after commit. Texts are
rendered in the recipient's language; nobody is notified about their own action; each
recipient's switches (User.notify_comments_* / notify_status_*) decide which channels are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from foundation import following
from foundation.models import User
from foundation.notifications import Message, notify, recipient_language

from .models import ProposalStatus

if TYPE_CHECKING:
    from .models import Proposal


def proposal_url(proposal: Proposal) -> str:
    """The public address of a proposal, in the active language."""
    return reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])


def send_notification(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str,
    url: str,
    inapp: bool,
    email: bool,
    key: str,
    unsubscribe: str,
) -> None:
    if not (inapp or email):
        return
    notify(
        recipient=recipient,
        message=Message(kind=kind, title=title, body=body, url=url),
        inapp=inapp,
        email=email,
        dedupe_key=key,
        unsubscribe=unsubscribe,
    )


def notify_status_change(*, proposal: Proposal, old_status: str, new_status: str) -> bool:
    """Tell the author that the public status of their proposal changed, and its followers
    (as news of the proposal, after their frequency).

    Called by the review workflow inside its transaction; the e-mail leaves after commit.
    Returns whether anybody was told (no author, same status or both switches off: no).
    """
    author = proposal.author
    if old_status == new_status:
        return False
    following.record(
        target=proposal,
        verb="proposals.status",
        url=proposal_url(proposal),
        skip=[author.pk] if author is not None else [],
        status=new_status,
    )
    if author is None or not author.is_active:
        return False
    if not (author.notify_status_inapp or author.notify_status_email):
        return False
    with recipient_language(author):
        old_label = (
            str(ProposalStatus(old_status).label)
            if old_status in ProposalStatus.values
            else old_status
        )
        new_label = (
            str(ProposalStatus(new_status).label)
            if new_status in ProposalStatus.values
            else new_status
        )
        title = _("The status of your proposal “%(title)s” changed") % {"title": proposal.title}
        body = _("The status changed from “%(old)s” to “%(new)s”.") % {
            "old": old_label,
            "new": new_label,
        }
        footer = _("You can switch these notifications off in your profile.")
        send_notification(
            recipient=author,
            kind="proposal_status",
            title=title,
            body=f"{body}\n\n{footer}",
            url=proposal_url(proposal),
            inapp=author.notify_status_inapp,
            email=author.notify_status_email,
            unsubscribe="status",
            key=f"consultations:status:{proposal.pk}:{old_status}:{new_status}:{proposal.updated_at:%Y%m%d%H%M%S%f}",
        )
    return True
