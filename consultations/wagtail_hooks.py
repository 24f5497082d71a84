"""How the discussion and the exports plug into the proposal pages and the staff navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from forums.selectors import EVENT_CONTEXT_HOOK, THREAD_CONTEXT_HOOK
from foundation.following import NEWS_VERBS_HOOK
from foundation.roles import is_coordination_office
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from .discussion.selectors import discussion_for
from .proposals.models import Proposal, ProposalStatus
from .proposals.selectors import DETAIL_CONTEXT_HOOK, proposals_from_event, proposals_from_thread


@hooks.register(DETAIL_CONTEXT_HOOK)
def discussion_context(proposal: Proposal, request: HttpRequest) -> dict[str, Any]:
    """Context for consultations/includes/discussion.html on the proposal page."""
    return {
        "discussion": discussion_for(
            proposal=proposal, user=request.user, page_number=request.GET.get("comments_page") or 1
        )
    }


@hooks.register(THREAD_CONTEXT_HOOK)
def thread_proposals_context(thread: Any, request: HttpRequest) -> dict[str, Any]:
    """The proposals made from a forum thread, linked on the thread's page."""
    return {"thread_proposals": proposals_from_thread(thread=thread, user=request.user)}


@hooks.register(EVENT_CONTEXT_HOOK)
def event_proposals_context(event: Any, request: HttpRequest) -> dict[str, Any]:
    """The proposals that came from a forum event, linked on the event's page."""
    return {"event_proposals": proposals_from_event(event=event, user=request.user)}


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Moderation"),
            url_name="consultations:moderation_queue",
            allowed=is_coordination_office,
            order=40,
        ),
        StaffLink(
            title=_("Exports"),
            url_name="consultations:export_list",
            allowed=is_coordination_office,
            order=45,
        ),
    ]


def _status_news(params: dict[str, str]) -> str:
    status = params.get("status", "")
    label = ProposalStatus(status).label if status in ProposalStatus.values else status
    return str(_("“%(target)s” is now “%(status)s”")) % {**params, "status": label}


@hooks.register(NEWS_VERBS_HOOK)
def proposal_news() -> dict[str, Any]:
    """The texts of news about followed consultations and proposals (foundation.following)."""
    return {
        "consultations.proposal": _("New proposal “%(title)s” by %(name)s in “%(target)s”"),
        "proposals.comment": _("New comment by %(name)s on “%(target)s”"),
        "proposals.status": _status_news,
        "proposals.merged": _("“%(target)s” was merged into “%(primary)s”"),
        "proposals.result": _("The result for “%(target)s” has been published"),
    }
