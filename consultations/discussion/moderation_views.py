"""Staff pages of the coordination office: moderation queue, actions, log, blocked users."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation import moderation_views as kit
from foundation.models import User

from . import moderation, selectors
from .models import Comment, Flag, ModerationActionKind
from .notifications import comment_url

# --- Queue, log, blocked users ---------------------------------------------------------------------


moderation_queue = kit.QueueView.as_view(
    template_name="consultations/moderation/queue.html", queue=selectors.moderation_queue
)


class _UserLogView(kit.LogView):
    """The whole log, or (?user=) everything concerning one person."""

    def _user_id(self) -> int | None:
        user_id = self.request.GET.get("user")
        return int(user_id) if user_id and user_id.isdigit() else None

    def log_filters(self) -> dict[str, Any]:
        return {"target_user_id": self._user_id()}

    def extra_context(self) -> dict[str, Any]:
        user_id = self._user_id()
        return {"target_user": User.objects.filter(pk=user_id).first() if user_id else None}


moderation_log = _UserLogView.as_view(
    template_name="consultations/moderation/log.html",
    kinds=ModerationActionKind,
    per_page=selectors.MODERATION_LOG_PER_PAGE,
    log=selectors.moderation_log,
)


@kit.coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_blocked(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.blocked_users(), 50).get_page(request.GET.get("page"))
    return render(request, "consultations/moderation/blocked.html", {"page_obj": page_obj})


# --- Actions ---------------------------------------------------------------------------------------


BLOCK_HELP = gettext_lazy("Recorded in the log and kept with the account. Please be specific.")

PROPOSAL_ACTIONS: dict[str, kit.ActionSpec] = {
    "hide": kit.hide_action(
        gettext_lazy("Hide proposal"),
        moderation.proposal_hide,
        gettext_lazy("The proposal is hidden."),
    ),
    "unhide": kit.unhide_action(
        gettext_lazy("Show proposal again"),
        moderation.proposal_unhide,
        gettext_lazy("The proposal is visible again."),
    ),
    "lock": kit.lock_action(
        gettext_lazy("Lock proposal"),
        moderation.proposal_lock,
        gettext_lazy("The proposal is locked: no new comments, supports or points."),
        gettext_lazy("Locking stops new comments, supports and points; everything stays visible."),
    ),
    "unlock": kit.unlock_action(
        gettext_lazy("Unlock proposal"),
        moderation.proposal_unlock,
        gettext_lazy("The proposal is unlocked."),
    ),
    "dismiss": kit.dismiss_action(
        moderation.flags_dismiss,
        gettext_lazy("The reports are dismissed; the proposal stays as it is."),
    ),
}
COMMENT_ACTIONS: dict[str, kit.ActionSpec] = {
    "hide": kit.hide_action(
        gettext_lazy("Hide comment"),
        moderation.comment_hide,
        gettext_lazy("The comment is hidden."),
    ),
    "unhide": kit.unhide_action(
        gettext_lazy("Show comment again"),
        moderation.comment_unhide,
        gettext_lazy("The comment is visible again."),
    ),
    "dismiss": kit.dismiss_action(
        moderation.flags_dismiss,
        gettext_lazy("The reports are dismissed; the comment stays as it is."),
    ),
}
USER_ACTIONS: dict[str, kit.ActionSpec] = {
    "block": kit.ActionSpec(
        gettext_lazy("Block user"),
        gettext_lazy("Block"),
        True,
        moderation.user_block,
        gettext_lazy("The user is blocked and can no longer post."),
        BLOCK_HELP,
        danger=True,
    ),
    "unblock": kit.ActionSpec(
        gettext_lazy("Unblock user"),
        gettext_lazy("Unblock"),
        False,
        moderation.user_unblock,
        gettext_lazy("The user is unblocked."),
    ),
}


class _ActionView(kit.ActionView):
    template_name = "consultations/moderation/action.html"
    queue_url = "consultations:moderation_queue"

    def form_data(self, request: HttpRequest) -> QueryDict | None:
        return request.POST or None  # like every form page of this app


class ProposalAction(_ActionView):
    actions = PROPOSAL_ACTIONS

    def get_target(self, pk: int) -> dict[str, Any]:
        return {
            "proposal": get_object_or_404(
                Proposal.objects.select_related("author", "consultation"), pk=pk
            )
        }

    def get_context(self, *, proposal: Proposal) -> dict[str, Any]:
        flags = Flag.objects.filter(proposal=proposal, resolved_at__isnull=True).select_related(
            "reporter"
        )
        return {"proposal": proposal, "flags": flags, "object_url": proposal_url(proposal)}


class CommentAction(_ActionView):
    actions = COMMENT_ACTIONS

    def get_target(self, pk: int) -> dict[str, Any]:
        return {
            "comment": get_object_or_404(
                Comment.objects.select_related("author", "proposal__consultation"), pk=pk
            )
        }

    def get_context(self, *, comment: Comment) -> dict[str, Any]:
        flags = Flag.objects.filter(comment=comment, resolved_at__isnull=True).select_related(
            "reporter"
        )
        return {
            "comment": comment,
            "proposal": comment.proposal,
            "flags": flags,
            "object_url": comment_url(comment),
        }


class UserAction(_ActionView):
    actions = USER_ACTIONS

    def get_target(self, pk: int) -> dict[str, Any]:
        return {"user": get_object_or_404(User, pk=pk)}

    def get_context(self, *, user: User) -> dict[str, Any]:
        return {
            "target_user": user,
            "recent_actions": selectors.moderation_log(target_user_id=user.pk)[:10],
        }


proposal_action = ProposalAction.as_view()
comment_action = CommentAction.as_view()
user_action = UserAction.as_view()
