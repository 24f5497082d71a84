"""Staff pages of the coordination office: moderation queue, actions, log, blocked users."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation.models import User
from foundation.moderation_views import (
    ActionSpec,
    action_spec,
    coordination_required,
    dismiss_action,
    hide_action,
    lock_action,
    render_log,
    run_action,
    selected_action,
    unhide_action,
    unlock_action,
)

from . import moderation, selectors
from .models import Comment, Flag, ModerationActionKind
from .notifications import comment_url

# --- Queue, log, blocked users ---------------------------------------------------------------------


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page_obj, groups = selectors.moderation_queue(page_number=request.GET.get("page"))
    return render(
        request, "consultations/moderation/queue.html", {"page_obj": page_obj, "groups": groups}
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_log(request: HttpRequest) -> HttpResponse:
    """The whole log, or (?user=) everything concerning one person."""
    user_id = request.GET.get("user")
    user_id = int(user_id) if user_id and user_id.isdigit() else None
    action = selected_action(request, ModerationActionKind)
    return render_log(
        request,
        "consultations/moderation/log.html",
        entries=selectors.moderation_log(target_user_id=user_id, action=action),
        per_page=selectors.MODERATION_LOG_PER_PAGE,
        kinds=ModerationActionKind,
        selected=action,
        extra_context={"target_user": User.objects.filter(pk=user_id).first() if user_id else None},
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_blocked(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.blocked_users(), 50).get_page(request.GET.get("page"))
    return render(request, "consultations/moderation/blocked.html", {"page_obj": page_obj})


# --- Actions ---------------------------------------------------------------------------------------


BLOCK_HELP = gettext_lazy("Recorded in the log and kept with the account. Please be specific.")

PROPOSAL_ACTIONS: dict[str, ActionSpec] = {
    "hide": hide_action(gettext_lazy("Hide proposal"), moderation.proposal_hide, gettext_lazy("The proposal is hidden.")),
    "unhide": unhide_action(gettext_lazy("Show proposal again"), moderation.proposal_unhide,
                            gettext_lazy("The proposal is visible again.")),
    "lock": lock_action(gettext_lazy("Lock proposal"), moderation.proposal_lock,
                        gettext_lazy("The proposal is locked: no new comments, supports or points."),
                        gettext_lazy("Locking stops new comments, supports and points; everything stays visible.")),
    "unlock": unlock_action(gettext_lazy("Unlock proposal"), moderation.proposal_unlock,
                            gettext_lazy("The proposal is unlocked.")),
    "dismiss": dismiss_action(moderation.flags_dismiss,
                              gettext_lazy("The reports are dismissed; the proposal stays as it is.")),
}
COMMENT_ACTIONS: dict[str, ActionSpec] = {
    "hide": hide_action(gettext_lazy("Hide comment"), moderation.comment_hide, gettext_lazy("The comment is hidden.")),
    "unhide": unhide_action(gettext_lazy("Show comment again"), moderation.comment_unhide,
                            gettext_lazy("The comment is visible again.")),
    "dismiss": dismiss_action(moderation.flags_dismiss,
                              gettext_lazy("The reports are dismissed; the comment stays as it is.")),
}
USER_ACTIONS: dict[str, ActionSpec] = {
    "block": ActionSpec(gettext_lazy("Block user"), gettext_lazy("Block"), True, moderation.user_block,
                        gettext_lazy("The user is blocked and can no longer post."), BLOCK_HELP, danger=True),
    "unblock": ActionSpec(gettext_lazy("Unblock user"), gettext_lazy("Unblock"), False, moderation.user_unblock,
                          gettext_lazy("The user is unblocked.")),
}


def _run_action(
    request: HttpRequest, *, spec: ActionSpec, target_kwargs: dict[str, Any], context: dict[str, Any]
) -> HttpResponse:
    return run_action(
        request,
        spec=spec,
        form=spec.reason_form(request.POST or None),  # like every form page of this app
        target=target_kwargs,
        context=context,
        template="consultations/moderation/action.html",
        default_next=reverse("consultations:moderation_queue"),
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_spec(PROPOSAL_ACTIONS, action)
    proposal = get_object_or_404(Proposal.objects.select_related("author", "consultation"), pk=pk)
    flags = Flag.objects.filter(proposal=proposal, resolved_at__isnull=True).select_related("reporter")
    return _run_action(
        request,
        spec=spec,
        target_kwargs={"proposal": proposal},
        context={"proposal": proposal, "flags": flags, "object_url": proposal_url(proposal)},
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_spec(COMMENT_ACTIONS, action)
    comment = get_object_or_404(Comment.objects.select_related("author", "proposal__consultation"), pk=pk)
    flags = Flag.objects.filter(comment=comment, resolved_at__isnull=True).select_related("reporter")
    return _run_action(
        request,
        spec=spec,
        target_kwargs={"comment": comment},
        context={"comment": comment, "proposal": comment.proposal, "flags": flags, "object_url": comment_url(comment)},
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_spec(USER_ACTIONS, action)
    target = get_object_or_404(User, pk=pk)
    recent = selectors.moderation_log(target_user_id=target.pk)[:10]
    return _run_action(
        request,
        spec=spec,
        target_kwargs={"user": target},
        context={"target_user": target, "recent_actions": recent},
    )
