"""Forum moderation pages of the coordination office: reports queue, actions, log.

The flow of the action pages, the reason form and the log filter are shared with the
consultations' moderation: foundation.moderation_views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from foundation import moderation_views as kit
from foundation.moderation_views import coordination_required
from foundation.service_forms import add_service_errors

from . import moderation, selectors, services
from .models import Forum, ForumModerationActionKind, Post, PostFlag, Thread

moderation_queue = kit.QueueView.as_view(
    template_name="forums/moderation/queue.html", queue=selectors.moderation_queue
)
moderation_log = kit.LogView.as_view(
    template_name="forums/moderation/log.html",
    kinds=ForumModerationActionKind,
    per_page=selectors.LOG_PER_PAGE,
    log=selectors.moderation_log,
)


POST_ACTIONS: dict[str, kit.ActionSpec] = {
    "hide": kit.hide_action(
        gettext_lazy("Hide post"), moderation.post_hide, gettext_lazy("The post is hidden.")
    ),
    "unhide": kit.unhide_action(
        gettext_lazy("Show post again"),
        moderation.post_unhide,
        gettext_lazy("The post is visible again."),
    ),
    "dismiss": kit.dismiss_action(
        moderation.flags_dismiss,
        gettext_lazy("The reports are dismissed; the post stays as it is."),
    ),
}
THREAD_ACTIONS: dict[str, kit.ActionSpec] = {
    "hide": kit.hide_action(
        gettext_lazy("Hide thread"), moderation.thread_hide, gettext_lazy("The thread is hidden.")
    ),
    "unhide": kit.unhide_action(
        gettext_lazy("Show thread again"),
        moderation.thread_unhide,
        gettext_lazy("The thread is visible again."),
    ),
    "lock": kit.lock_action(
        gettext_lazy("Lock thread"),
        moderation.thread_lock,
        gettext_lazy("The thread is locked: no new posts."),
        gettext_lazy("Locking stops new posts and edits; everything stays readable."),
    ),
    "unlock": kit.unlock_action(
        gettext_lazy("Unlock thread"),
        moderation.thread_unlock,
        gettext_lazy("The thread is unlocked."),
    ),
    "pin": kit.ActionSpec(
        gettext_lazy("Pin thread"),
        gettext_lazy("Pin"),
        False,
        moderation.thread_pin,
        gettext_lazy("The thread stands at the top of the forum."),
        gettext_lazy("Pinned threads stand at the top of the forum, above the newest."),
    ),
    "unpin": kit.ActionSpec(
        gettext_lazy("Unpin thread"),
        gettext_lazy("Unpin"),
        False,
        moderation.thread_unpin,
        gettext_lazy("The thread is no longer pinned."),
    ),
}


class _ActionView(kit.ActionView):
    template_name = "forums/moderation/action.html"
    queue_url = "forums:moderation_queue"


class PostAction(_ActionView):
    actions = POST_ACTIONS

    def get_target(self, pk: int) -> dict[str, Any]:
        return {"post": selectors.post_for(pk=pk)}

    def get_context(self, *, post: Post) -> dict[str, Any]:
        flags = PostFlag.objects.filter(post=post, resolved_at__isnull=True).order_by("created_at")
        return {
            "post": post,
            "thread": post.thread,
            "flags": flags,
            "object_url": services.post_url(post),
        }


class ThreadAction(_ActionView):
    actions = THREAD_ACTIONS

    def get_target(self, pk: int) -> dict[str, Any]:
        threads = Thread.objects.select_related(
            "author", "forum__consultation", "forum__handlungsfeld"
        )
        return {"thread": get_object_or_404(threads, pk=pk)}

    def get_context(self, *, thread: Thread) -> dict[str, Any]:
        return {"thread": thread, "object_url": services.thread_url(thread)}


post_action = PostAction.as_view()
thread_action = ThreadAction.as_view()


class ThreadMoveForm(forms.Form):
    forum = forms.ModelChoiceField(
        label=gettext_lazy("Move to the forum"), queryset=Forum.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Logged and visible to the coordination office."),
    )

    def __init__(self, *args: Any, thread: Thread, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = (
            Forum.objects.filter(consultation_id=thread.forum.consultation_id)
            .exclude(pk=thread.forum_id)
            .select_related("handlungsfeld")
            .order_by("handlungsfeld__number")
        )
        self.fields["forum"].label_from_instance = lambda forum: forum.handlungsfeld.name


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a thread that was posted in the wrong Handlungsfeld."""
    thread = get_object_or_404(
        Thread.objects.select_related("author", "forum__consultation", "forum__handlungsfeld"),
        pk=pk,
    )
    form = ThreadMoveForm(request.POST or None, thread=thread)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.thread_move(
                actor=request.user,
                thread=thread,
                forum=form.cleaned_data["forum"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            thread.refresh_from_db()
            messages.success(
                request,
                _("The thread is now in the forum %(name)s.")
                % {"name": thread.forum.handlungsfeld.name},
            )
            return redirect(services.thread_url(thread))
    return render(
        request,
        "forums/moderation/move.html",
        {"thread": thread, "form": form, "object_url": services.thread_url(thread)},
        status=400 if request.method == "POST" else 200,
    )
