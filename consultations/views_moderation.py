"""Staff pages of the coordination office: moderation queue, actions, log, blocked users, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

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

from . import discussion_selectors as selectors
from . import exports, moderation
from .forms_discussion import ExportRequestForm
from .models import Comment, ExportStatus, Flag, ModerationActionKind, Proposal
from .notifications import comment_url, proposal_url

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


# --- Exports -----------------------------------------------------------------------------------------


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: HttpRequest) -> HttpResponse:
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = exports.export_request(
            user=request.user, consultation=form.cleaned_data["consultation"], format=form.cleaned_data["format"]
        )
        job.refresh_from_db()
        if job.status == ExportStatus.DONE:
            messages.success(request, _("Your export is ready for download."))
        elif job.status == ExportStatus.FAILED:
            messages.error(request, _("The export could not be built. The error is shown in the list."))
        else:
            messages.success(request, _("Your export is being built. Reload this page in a moment to download it."))
        return redirect("consultations:export_list")
    page_obj = Paginator(selectors.exports_of(user=request.user), 25).get_page(request.GET.get("page"))
    pending = any(job.status in (ExportStatus.PENDING, ExportStatus.RUNNING) for job in page_obj.object_list)
    return render(
        request,
        "consultations/moderation/exports.html",
        {"form": form, "page_obj": page_obj, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(selectors.exports_of(user=request.user), pk=pk)
    if not job.is_ready:
        raise Http404
    content_type = (
        "text/csv; charset=utf-8"
        if job.format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
