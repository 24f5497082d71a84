"""Forum moderation by the coordination office and each forum's own moderators (who act in
their forums only, forums.rules.moderates_forum): hide posts and threads, lock threads, dismiss
reports — every action checks the role, changes the object, closes the reports it answers and
writes a ForumModerationAction row, all in one transaction. How that is done is the same for
the consultations' moderation (foundation.moderation.ContentModeration); this module says what
is moderated here, what the log calls it and which counters follow (see forums.models).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from foundation.models import User
from foundation.moderation import (
    ContentModeration,
    ensure_moderator,
    mark_hidden,
    mark_visible,
    start_action,
    tell_author_hidden,
)

from .models import Forum, ForumModerationAction, ForumModerationActionKind, PostFlag, Thread
from .rules import moderates_forum
from .services import adjust_post_counters, post_url, thread_url

POSTS = ContentModeration(
    target="post",
    log=ForumModerationAction,
    hidden=ForumModerationActionKind.HIDE_POST,
    shown=ForumModerationActionKind.UNHIDE_POST,
    dismissed=ForumModerationActionKind.DISMISS_FLAGS,
    flags=PostFlag,
    visible_count=lambda post, delta: adjust_post_counters(thread=post.thread, delta=delta),
    url_of=post_url,
    may_moderate=moderates_forum,
)
# Hiding a thread moves the forum's counters by all its posts: thread_hide does it itself.
THREADS = ContentModeration(
    target="thread",
    log=ForumModerationAction,
    locked=ForumModerationActionKind.LOCK_THREAD,  # no new posts or edits
    unlocked=ForumModerationActionKind.UNLOCK_THREAD,
    may_moderate=moderates_forum,
)


def _start(actor: User, reason: str, thread: Thread, *, reason_required: bool) -> str:
    return start_action(
        actor, reason, reason_required=reason_required, content=thread, may_moderate=moderates_forum
    )


# (actor=, post= or thread=, reason=) -> ForumModerationAction
post_hide = POSTS.hide
post_unhide = POSTS.unhide
flags_dismiss = POSTS.dismiss_flags
thread_lock = THREADS.lock
thread_unlock = THREADS.unlock


@transaction.atomic
def thread_pin(
    *, actor: User, thread: Thread, reason: str = "", pinned: bool = True
) -> ForumModerationAction:
    """Pin a thread to the top of its forum (rules, a summary of an event), or release it."""
    reason = _start(actor, reason, thread, reason_required=False)
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)
    thread.is_pinned = pinned
    kind = (
        ForumModerationActionKind.PIN_THREAD if pinned else ForumModerationActionKind.UNPIN_THREAD
    )
    return ForumModerationAction.record(actor=actor, action=kind, reason=reason, target=thread)


@transaction.atomic
def thread_move(*, actor: User, thread: Thread, forum: Forum, reason: str) -> ForumModerationAction:
    """Move a thread to another forum of the same consultation (it was posted in the wrong
    Handlungsfeld); the counters of both forums follow, the reason is logged. A forum's own
    moderators move threads only between forums they both moderate."""
    reason = _start(actor, reason, thread, reason_required=True)
    ensure_moderator(actor, forum, moderates_forum)
    locked = Thread.objects.select_for_update().select_related("forum").get(pk=thread.pk)
    source = locked.forum
    if forum.pk == source.pk:
        # The code goes on the field's error: Django ignores `code` beside a dict of messages.
        raise ValidationError(
            {"forum": ValidationError(_("The thread is in this forum already."), code="same_forum")}
        )
    if forum.consultation_id != source.consultation_id:
        raise ValidationError(
            {
                "forum": ValidationError(
                    _("A thread moves only between the forums of its consultation."),
                    code="other_consultation",
                )
            }
        )
    Thread.objects.filter(pk=locked.pk).update(forum=forum)
    if not locked.is_hidden:
        Forum.objects.filter(
            pk=source.pk, thread_count__gte=1, post_count__gte=locked.post_count
        ).update(
            thread_count=F("thread_count") - 1,
            post_count=F("post_count") - locked.post_count,
            last_post_at=Subquery(
                Thread.objects.filter(forum=source, is_hidden=False)
                .order_by("-last_post_at")
                .values("last_post_at")[:1]
            ),
        )
        Forum.objects.filter(pk=forum.pk).update(
            thread_count=F("thread_count") + 1,
            post_count=F("post_count") + locked.post_count,
            last_post_at=Greatest(
                Coalesce("last_post_at", locked.last_post_at), locked.last_post_at
            ),
        )
    thread.forum = forum
    note = _("From “%(source)s” to “%(target)s”: %(reason)s") % {
        "source": source.handlungsfeld.name,
        "target": forum.handlungsfeld.name,
        "reason": reason,
    }
    return ForumModerationAction.record(
        actor=actor, action=ForumModerationActionKind.MOVE_THREAD, reason=note, target=thread
    )


def thread_unpin(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    return thread_pin(actor=actor, thread=thread, reason=reason, pinned=False)


@transaction.atomic
def thread_hide(*, actor: User, thread: Thread, reason: str) -> ForumModerationAction:
    """Take a whole thread out of the forum; its address shows the reason instead."""
    reason = _start(actor, reason, thread, reason_required=True)
    locked = Thread.objects.select_for_update().get(
        pk=thread.pk
    )  # its post_count must not move meanwhile
    if not locked.is_hidden:
        Forum.objects.filter(
            pk=locked.forum_id, thread_count__gte=1, post_count__gte=locked.post_count
        ).update(thread_count=F("thread_count") - 1, post_count=F("post_count") - locked.post_count)
    if mark_hidden(thread, reason):
        tell_author_hidden(thread, reason, thread_url(thread))
    return ForumModerationAction.record(
        actor=actor, action=ForumModerationActionKind.HIDE_THREAD, reason=reason, target=thread
    )


@transaction.atomic
def thread_unhide(*, actor: User, thread: Thread, reason: str = "") -> ForumModerationAction:
    reason = _start(actor, reason, thread, reason_required=False)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if locked.is_hidden:
        Forum.objects.filter(pk=locked.forum_id).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + locked.post_count
        )
    mark_visible(thread)
    return ForumModerationAction.record(
        actor=actor, action=ForumModerationActionKind.UNHIDE_THREAD, reason=reason, target=thread
    )
