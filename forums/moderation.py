"""Forum moderation by the coordination office: hide posts and threads, lock threads, dismiss
reports — every action checks the role, changes the object, closes the reports it answers and
writes a ForumModerationAction row, all in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.moderation import _clean_reason as clean_reason  # one rule for reasons
from foundation.models import User
from foundation.roles import is_coordination_office

from .models import Forum, ForumModerationAction, ForumModerationActionKind, Post, PostFlag, Thread
from .services import adjust_post_counters

RESOLVED_HIDDEN = "hidden"
RESOLVED_DISMISSED = "dismissed"


def _ensure_moderator(actor: User) -> None:
    if not is_coordination_office(actor):
        raise PermissionDenied(_("Only the coordination office may moderate."))


def _resolve_flags(*, actor: User, post: Post, resolution: str) -> int:
    return PostFlag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


def _log(
    *, actor: User, action: str, reason: str = "", flags_resolved: int = 0, **targets: object
) -> ForumModerationAction:
    return ForumModerationAction.objects.create(
        actor=actor, action=action, reason=reason, flags_resolved=flags_resolved, **targets
    )


@transaction.atomic
def post_hide(*, actor: User, post: Post, reason: str) -> ForumModerationAction:
    """Hide a post; the reason is shown in its place."""
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=True)
    became_hidden = Post.objects.filter(pk=post.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=reason
    )
    if not became_hidden:  # already hidden: only the reason changes
        Post.objects.filter(pk=post.pk).update(hidden_reason=reason)
    elif post.deleted_at is None:
        adjust_post_counters(thread=post.thread, delta=-1)
    post.is_hidden, post.hidden_reason = True, reason
    resolved = _resolve_flags(actor=actor, post=post, resolution=RESOLVED_HIDDEN)
    return _log(
        actor=actor,
        action=ForumModerationActionKind.HIDE_POST,
        reason=reason,
        flags_resolved=resolved,
        post=post,
        thread_id=post.thread_id,
        target_user_id=post.author_id,
    )


@transaction.atomic
def post_unhide(*, actor: User, post: Post, reason: str = "") -> ForumModerationAction:
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=False)
    became_visible = Post.objects.filter(pk=post.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason=""
    )
    if became_visible and post.deleted_at is None:
        adjust_post_counters(thread=post.thread, delta=1)
    post.is_hidden, post.hidden_reason = False, ""
    return _log(
        actor=actor,
        action=ForumModerationActionKind.UNHIDE_POST,
        reason=reason,
        post=post,
        thread_id=post.thread_id,
        target_user_id=post.author_id,
    )


@transaction.atomic
def flags_dismiss(*, actor: User, post: Post, reason: str = "") -> ForumModerationAction:
    """The reports were unfounded: close them and leave the post as it is."""
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=False)
    resolved = _resolve_flags(actor=actor, post=post, resolution=RESOLVED_DISMISSED)
    return _log(
        actor=actor,
        action=ForumModerationActionKind.DISMISS_FLAGS,
        reason=reason,
        flags_resolved=resolved,
        post=post,
        thread_id=post.thread_id,
        target_user_id=post.author_id,
    )


@transaction.atomic
def thread_hide(*, actor: User, thread: Thread, reason: str) -> ForumModerationAction:
    """Take a whole thread out of the forum; its address shows the reason instead."""
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=True)
    locked = Thread.objects.select_for_update().get(
        pk=thread.pk
    )  # its post_count must not move meanwhile
    if not locked.is_hidden:
        Forum.objects.filter(
            pk=locked.forum_id, thread_count__gte=1, post_count__gte=locked.post_count
        ).update(thread_count=F("thread_count") - 1, post_count=F("post_count") - locked.post_count)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True, hidden_reason=reason)
    thread.is_hidden, thread.hidden_reason = True, reason
    return _log(
        actor=actor,
        action=ForumModerationActionKind.HIDE_THREAD,
        reason=reason,
        thread=thread,
        target_user_id=thread.author_id,
    )


@transaction.atomic
def thread_unhide(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=False)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if locked.is_hidden:
        Forum.objects.filter(pk=locked.forum_id).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + locked.post_count
        )
    Thread.objects.filter(pk=thread.pk).update(is_hidden=False, hidden_reason="")
    thread.is_hidden, thread.hidden_reason = False, ""
    return _log(
        actor=actor,
        action=ForumModerationActionKind.UNHIDE_THREAD,
        reason=reason,
        thread=thread,
        target_user_id=thread.author_id,
    )


@transaction.atomic
def thread_lock(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    """No new posts or edits; everything written stays readable."""
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=False)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.is_locked = True
    return _log(
        actor=actor,
        action=ForumModerationActionKind.LOCK_THREAD,
        reason=reason,
        thread=thread,
        target_user_id=thread.author_id,
    )


@transaction.atomic
def thread_unlock(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    _ensure_moderator(actor)
    reason = clean_reason(reason, required=False)
    Thread.objects.filter(pk=thread.pk).update(is_locked=False)
    thread.is_locked = False
    return _log(
        actor=actor,
        action=ForumModerationActionKind.UNLOCK_THREAD,
        reason=reason,
        thread=thread,
        target_user_id=thread.author_id,
    )
