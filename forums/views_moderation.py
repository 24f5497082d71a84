"""Forum moderation pages: reports queue, actions, log. The coordination office sees every
forum; a forum's own moderators see and act on their forums only (forums.rules).

The flow of the action pages, the reason form and the log filter are shared with the
consultations' moderation: foundation.moderation_views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from foundation import moderation_views as kit
from foundation.roles import role_required
from foundation.service_forms import add_service_errors

from . import moderation, selectors, services
from .models import Forum, ForumModerationActionKind, Post, PostFlag, Thread
from .rules import is_forum_moderator, moderates_forum

forum_moderator_required = role_required(is_forum_moderator)


class QueueView(kit.QueueView):
    allowed = staticmethod(is_forum_moderator)

    def queue_filters(self) -> dict[str, Any]:
        return {"user": self.request.user}


class LogView(kit.LogView):
    allowed = staticmethod(is_forum_moderator)

    def log_filters(self) -> dict[str, Any]:
        return {"user": self.request.user}


moderation_queue = QueueView.as_view(
    template_name="forums/moderation/queue.html", queue=selectors.moderation_queue
)
moderation_log = LogView.as_view(
    template_name="forums/moderation/log.html",
    kinds=ForumModerationActionKind,
    per_page=selectors.LOG_PER_PAGE,
    log=selectors.moderation_log,
)


def ensure_moderates(user: Any, content: Any) -> None:
    """403 for an action page of a forum this person does not moderate."""
    if not moderates_forum(user, content):
        raise PermissionDenied


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
    allowed = staticmethod(is_forum_moderator)


class PostAction(_ActionView):
    actions = POST_ACTIONS

    def get_target(self, pk: int) -> dict[str, Any]:
        post = selectors.post_for(pk=pk)
        ensure_moderates(self.request.user, post)
        return {"post": post}

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
        thread = get_object_or_404(threads, pk=pk)
        ensure_moderates(self.request.user, thread)
        return {"thread": thread}

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

    def __init__(self, *args: Any, thread: Thread, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = (
            selectors.moderated_forums(user)
            .filter(consultation_id=thread.forum.consultation_id)
            .exclude(pk=thread.forum_id)
            .select_related("handlungsfeld")
            .order_by("handlungsfeld__number")
        )
        self.fields["forum"].label_from_instance = lambda forum: forum.handlungsfeld.name


@forum_moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a thread that was posted in the wrong Handlungsfeld (to a forum the moderator
    moderates too)."""
    thread = get_object_or_404(
        Thread.objects.select_related("author", "forum__consultation", "forum__handlungsfeld"),
        pk=pk,
    )
    ensure_moderates(request.user, thread)
    form = ThreadMoveForm(request.POST or None, thread=thread, user=request.user)
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
