"""Forum moderation by the coordination office: hide posts and threads, lock threads, dismiss
reports — every action checks the role, changes the object, closes the reports it answers and
writes a ForumModerationAction row, all in one transaction. The steps shared with the
consultations' moderation (role check, reason rule, closing reports, hiding and locking a row)
are in foundation.moderation.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from foundation.models import User
from foundation.moderation import (
    mark_hidden,
    mark_locked,
    mark_visible,
    resolve_open_flags,
    start_action,
)

from .models import Forum, ForumModerationAction, ForumModerationActionKind, Post, PostFlag, Thread
from .services import adjust_post_counters

RESOLVED_HIDDEN = "hidden"
RESOLVED_DISMISSED = "dismissed"


def _resolve_flags(actor: User, post: Post, resolution: str) -> int:
    return resolve_open_flags(
        PostFlag.objects.filter(post=post), actor=actor, resolution=resolution
    )


def _log_targets(target: Post | Thread) -> dict[str, Any]:
    """What a log row names: the post and its thread, or the thread; and the author."""
    if isinstance(target, Post):
        return {"post": target, "thread_id": target.thread_id, "target_user_id": target.author_id}
    return {"thread": target, "target_user_id": target.author_id}


def _log(
    actor: User, action: str, reason: str, target: Post | Thread, flags_resolved: int = 0
) -> ForumModerationAction:
    return ForumModerationAction.objects.create(
        actor=actor,
        action=action,
        reason=reason,
        flags_resolved=flags_resolved,
        **_log_targets(target),
    )


@transaction.atomic
def post_hide(*, actor: User, post: Post, reason: str) -> ForumModerationAction:
    """Hide a post; the reason is shown in its place."""
    reason = start_action(actor, reason, reason_required=True)
    if mark_hidden(post, reason) and post.deleted_at is None:
        adjust_post_counters(thread=post.thread, delta=-1)
    resolved = _resolve_flags(actor, post, RESOLVED_HIDDEN)
    return _log(actor, ForumModerationActionKind.HIDE_POST, reason, post, flags_resolved=resolved)


@transaction.atomic
def post_unhide(*, actor: User, post: Post, reason: str = "") -> ForumModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    if mark_visible(post) and post.deleted_at is None:
        adjust_post_counters(thread=post.thread, delta=1)
    return _log(actor, ForumModerationActionKind.UNHIDE_POST, reason, post)


@transaction.atomic
def flags_dismiss(*, actor: User, post: Post, reason: str = "") -> ForumModerationAction:
    """The reports were unfounded: close them and leave the post as it is."""
    reason = start_action(actor, reason, reason_required=False)
    resolved = _resolve_flags(actor, post, RESOLVED_DISMISSED)
    return _log(
        actor, ForumModerationActionKind.DISMISS_FLAGS, reason, post, flags_resolved=resolved
    )


@transaction.atomic
def thread_hide(*, actor: User, thread: Thread, reason: str) -> ForumModerationAction:
    """Take a whole thread out of the forum; its address shows the reason instead."""
    reason = start_action(actor, reason, reason_required=True)
    locked = Thread.objects.select_for_update().get(
        pk=thread.pk
    )  # its post_count must not move meanwhile
    if not locked.is_hidden:
        Forum.objects.filter(
            pk=locked.forum_id, thread_count__gte=1, post_count__gte=locked.post_count
        ).update(thread_count=F("thread_count") - 1, post_count=F("post_count") - locked.post_count)
    mark_hidden(thread, reason)
    return _log(actor, ForumModerationActionKind.HIDE_THREAD, reason, thread)


@transaction.atomic
def thread_unhide(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if locked.is_hidden:
        Forum.objects.filter(pk=locked.forum_id).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + locked.post_count
        )
    mark_visible(thread)
    return _log(actor, ForumModerationActionKind.UNHIDE_THREAD, reason, thread)


@transaction.atomic
def thread_lock(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    """No new posts or edits; everything written stays readable."""
    reason = start_action(actor, reason, reason_required=False)
    mark_locked(thread, True)
    return _log(actor, ForumModerationActionKind.LOCK_THREAD, reason, thread)


@transaction.atomic
def thread_unlock(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    reason = start_action(actor, reason, reason_required=False)
    mark_locked(thread, False)
    return _log(actor, ForumModerationActionKind.UNLOCK_THREAD, reason, thread)
