"""Forum moderation pages of the coordination office: reports queue, actions, log.

The flow of the action pages, the reason form and the log filter are shared with the
consultations' moderation: foundation.moderation_views.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

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

from . import moderation, selectors, services
from .models import ForumModerationActionKind, PostFlag, Thread


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page_obj, groups = selectors.moderation_queue(page_number=request.GET.get("page"))
    return render(request, "forums/moderation/queue.html", {"page_obj": page_obj, "groups": groups})


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_log(request: HttpRequest) -> HttpResponse:
    action = selected_action(request, ForumModerationActionKind)
    return render_log(
        request,
        "forums/moderation/log.html",
        entries=selectors.moderation_log(action=action),
        per_page=selectors.LOG_PER_PAGE,
        kinds=ForumModerationActionKind,
        selected=action,
    )


POST_ACTIONS: dict[str, ActionSpec] = {
    "hide": hide_action(gettext_lazy("Hide post"), moderation.post_hide, gettext_lazy("The post is hidden.")),
    "unhide": unhide_action(gettext_lazy("Show post again"), moderation.post_unhide,
                            gettext_lazy("The post is visible again.")),
    "dismiss": dismiss_action(moderation.flags_dismiss,
                              gettext_lazy("The reports are dismissed; the post stays as it is.")),
}
THREAD_ACTIONS: dict[str, ActionSpec] = {
    "hide": hide_action(gettext_lazy("Hide thread"), moderation.thread_hide, gettext_lazy("The thread is hidden.")),
    "unhide": unhide_action(gettext_lazy("Show thread again"), moderation.thread_unhide,
                            gettext_lazy("The thread is visible again.")),
    "lock": lock_action(gettext_lazy("Lock thread"), moderation.thread_lock,
                        gettext_lazy("The thread is locked: no new posts."),
                        gettext_lazy("Locking stops new posts and edits; everything stays readable.")),
    "unlock": unlock_action(gettext_lazy("Unlock thread"), moderation.thread_unlock,
                            gettext_lazy("The thread is unlocked.")),
}


def _run_action(request: HttpRequest, *, spec: ActionSpec, target: dict[str, Any], context: dict[str, Any]) -> HttpResponse:
    return run_action(
        request,
        spec=spec,
        form=spec.reason_form(request.POST if request.method == "POST" else None),  # like every form page of this app
        target=target,
        context=context,
        template="forums/moderation/action.html",
        default_next=reverse("forums:moderation_queue"),
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_spec(POST_ACTIONS, action)
    post = selectors.post_for(pk=pk)
    flags = PostFlag.objects.filter(post=post, resolved_at__isnull=True).order_by("created_at")
    return _run_action(
        request, spec=spec, target={"post": post},
        context={"post": post, "thread": post.thread, "flags": flags, "object_url": services.post_url(post)},
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_spec(THREAD_ACTIONS, action)
    thread = get_object_or_404(
        Thread.objects.select_related("author", "forum__consultation", "forum__handlungsfeld"), pk=pk
    )
    return _run_action(
        request, spec=spec, target={"thread": thread},
        context={"thread": thread, "object_url": services.thread_url(thread)},
    )
