"""Write services of the online forums: threads, posts, edits, soft deletes, reports.

Who may post is decided in one place (`post_refusal`): a verified, unblocked resident
(foundation.roles.is_active_participant), in an open forum, while the consultation's current
phase allows comments, in a thread that is neither locked nor hidden. Every write adjusts the
counter columns (see forums.models) with F() updates in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foundation import following
from foundation.models import Activity, FollowOrigin, User
from foundation.models.moderation import DOUBLE_SUBMIT_WINDOW
from foundation.moderation import Flagging
from foundation.notifications import Message, notify, recipient_language
from foundation.rules import participation_refusal
from foundation.validation import checked_text, clean_text

from .models import Forum, Post, PostFlag, Thread, ThreadVisit

POST_MAX_LENGTH = 5000
TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 200
POSTS_PER_PAGE = 20

# Control characters other than tab and line feed have no place in plain text.


# --- Who may post ---------------------------------------------------------------------------------


def _local_date(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def forum_closed_reason(forum: Forum, *, now: datetime | None = None) -> str | None:
    """Why nobody can post in `forum` right now (and when that changes), or None if it is open."""
    now = now or timezone.now()
    if not forum.is_open:
        return _(
            "This forum is closed for new posts. You can still read everything that was written."
        )
    gate = forum.consultation.gate(Activity.COMMENTS, now)
    if gate.is_open:
        return None
    upcoming = gate.opens_with
    if upcoming is not None:
        return _(
            "Posting opens on %(date)s, when the phase “%(phase)s” begins. Until then you can read the forum."
        ) % {
            "date": _local_date(upcoming.starts_at),
            "phase": upcoming.title,
        }
    return _(
        "The discussion phase of this consultation is over, so no new posts can be written. You can still read the forum."
    )


def thread_closed_reason(thread: Thread) -> str | None:
    if thread.is_hidden:
        return _("This thread was hidden by the moderation; no new posts can be written.")
    if thread.is_locked:
        return _("The moderation has locked this thread; no new posts can be written.")
    return forum_closed_reason(thread.forum)


def post_refusal(*, forum: Forum, user: Any, thread: Thread | None = None) -> str | None:
    """The first reason why `user` cannot post in `forum` (or `thread`) now, or None."""
    closed = thread_closed_reason(thread) if thread is not None else forum_closed_reason(forum)
    return closed or participation_refusal(user)


def _ensure_can_post(*, forum: Forum, user: User, thread: Thread | None = None) -> None:
    refusal = post_refusal(forum=forum, user=user, thread=thread)
    if refusal:
        raise ValidationError(refusal, code="closed")


# --- Input ------------------------------------------------------------------------------------------


def clean_body(body: str) -> str:
    return checked_text(
        clean_text(body),
        field="body",
        max_length=POST_MAX_LENGTH,
        empty=_("Please write a text before sending it."),
        too_long=_("A post can have at most %(max)d characters; yours has %(length)d."),
    )


def clean_title(title: str) -> str:
    """The title with its spaces tidied; the refusals carry their codes at the field."""
    title = " ".join(clean_text(title).split())
    if not title:
        message, code = _("Please enter a title for your thread."), "required"
    elif len(title) < TITLE_MIN_LENGTH:
        message = _("The title is too short: please use at least %(min)d characters.") % {
            "min": TITLE_MIN_LENGTH
        }
        code = "min_length"
    elif len(title) > TITLE_MAX_LENGTH:
        message = _("The title can have at most %(max)d characters; yours has %(length)d.") % {
            "max": TITLE_MAX_LENGTH,
            "length": len(title),
        }
        code = "max_length"
    else:
        return title
    raise ValidationError({"title": ValidationError(message, code=code)})


def thread_read(*, user: Any, thread: Thread) -> None:
    """Remember that `user` has read `thread` up to now (one upsert)."""
    if getattr(user, "is_authenticated", False):
        ThreadVisit.objects.bulk_create(
            [ThreadVisit(user=user, thread=thread, seen_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["user", "thread"],
            update_fields=["seen_at"],
        )


# --- Addresses ---------------------------------------------------------------------------------------


def thread_url(thread: Thread) -> str:
    forum = thread.forum
    return reverse(
        "forums:thread_detail", args=[forum.consultation.slug, forum.handlungsfeld.slug, thread.pk]
    )


def post_url(post: Post) -> str:
    """The thread page that shows `post`, scrolled to it."""
    earlier = Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).count()
    page = earlier // POSTS_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{thread_url(post.thread)}{query}#post-{post.pk}"


# --- Counters ----------------------------------------------------------------------------------------


def adjust_post_counters(*, thread: Thread, delta: int, moment: datetime | None = None) -> None:
    """Add `delta` visible posts to the thread and (if the thread is visible) to its forum."""
    thread_changes: dict[str, Any] = {"post_count": F("post_count") + delta}
    forum_changes: dict[str, Any] = {"post_count": F("post_count") + delta}
    if moment is not None:
        thread_changes["last_post_at"] = moment
        forum_changes["last_post_at"] = moment
    threads = Thread.objects.filter(pk=thread.pk)
    forums = Forum.objects.filter(pk=thread.forum_id)
    if delta < 0:  # never below zero, whatever happened before
        threads = threads.filter(post_count__gte=-delta)
        forums = forums.filter(post_count__gte=-delta)
    threads.update(**thread_changes)
    if not Thread.objects.filter(pk=thread.pk, is_hidden=True).exists():
        forums.update(**forum_changes)


# --- Threads and posts -----------------------------------------------------------------------------


@transaction.atomic
def thread_create(*, forum: Forum, author: User, title: str, body: str) -> Thread:
    """Start a thread with its opening post; the same thread sent twice is created once."""
    _ensure_can_post(forum=forum, user=author)
    errors: dict[str, list[ValidationError]] = {}  # with their codes
    try:
        title = clean_title(title)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        body = clean_body(body)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)

    recent = (
        Thread.objects.filter(
            forum=forum,
            author=author,
            title=title,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if recent is not None:
        return recent

    thread = Thread.objects.create(forum=forum, author=author, title=title, post_count=1)
    post = Post.objects.create(thread=thread, author=author, body=body)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    Forum.objects.filter(pk=forum.pk).update(
        thread_count=F("thread_count") + 1,
        post_count=F("post_count") + 1,
        last_post_at=post.created_at,
    )
    thread.last_post_at = post.created_at
    thread.forum = forum
    following.follow(user=author, target=thread, origin=FollowOrigin.PARTICIPATED)
    following.record(
        target=forum,
        verb="forums.thread",
        url=thread_url(thread),
        actor=author,
        title=thread.title,
        name=author.public_name,
        excerpt=_excerpt(body),
    )
    return thread


@transaction.atomic
def post_create(*, thread: Thread, author: User, body: str) -> Post:
    """Reply in a thread; the same text sent twice within seconds is stored once."""
    _ensure_can_post(forum=thread.forum, user=author, thread=thread)
    body = clean_body(body)
    recent = Post.just_sent(author=author, body=body, thread=thread)
    if recent is not None:
        return recent
    post = Post.objects.create(thread=thread, author=author, body=body)
    adjust_post_counters(thread=thread, delta=1, moment=post.created_at)
    post.thread = thread
    post.author = author
    notify_reply(post=post)
    following.follow(user=author, target=thread, origin=FollowOrigin.PARTICIPATED)
    following.record(
        target=thread,
        verb="forums.reply",
        url=post_url(post),
        actor=author,
        skip=[thread.author_id] if thread.author_id else [],  # told by notify_reply
        name=author.public_name,
        excerpt=_excerpt(body),
    )
    return post


def _excerpt(text: str, length: int = 500) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _own_post(*, post: Post, user: User) -> None:
    if not getattr(user, "is_authenticated", False) or post.author_id != user.pk:
        raise PermissionDenied(_("Only its author may change or delete this post."))


@transaction.atomic
def post_edit(*, post: Post, user: User, body: str) -> Post:
    """The author corrects their post while they could still write it; readers see "edited"."""
    _own_post(post=post, user=user)
    if post.deleted_at is not None:
        raise ValidationError(
            _("This post was deleted and can no longer be changed."), code="deleted"
        )
    if post.is_hidden:
        raise ValidationError(
            _("This post was hidden by the moderation and can no longer be changed."), code="hidden"
        )
    _ensure_can_post(forum=post.thread.forum, user=user, thread=post.thread)
    post.replace_body(clean_body(body))
    return post


@transaction.atomic
def post_delete(*, post: Post, user: User) -> Post:
    """Soft delete by the author: a marker keeps the thread readable.

    Always allowed, also in closed forums and for blocked people: everybody can take back
    what they wrote.
    """
    _own_post(post=post, user=user)
    if post.soft_delete() and not post.is_hidden:
        adjust_post_counters(thread=post.thread, delta=-1)
    return post


# (post=, reporter=, reason=, note=) -> (PostFlag, created); a second report changes nothing.
post_flag = Flagging(
    PostFlag,
    target="post",
    own=gettext_lazy("You cannot report your own post; you can edit or delete it."),
    deleted=gettext_lazy("This post was deleted already."),
)


# --- Notifications -------------------------------------------------------------------------------------


def notify_reply(*, post: Post) -> bool:
    """Tell the thread's author about a reply (their comment switches decide the channels)."""
    thread = post.thread
    recipient = thread.author
    if recipient is None or recipient.pk == post.author_id or not recipient.is_active:
        return False
    if not (recipient.notify_comments_inapp or recipient.notify_comments_email):
        return False
    with recipient_language(recipient):
        name = post.author.public_name if post.author_id else ""
        excerpt = _excerpt(post.body)
        body = "\n\n".join(
            [
                _("%(name)s replied in your thread:") % {"name": name},
                excerpt,
                _("You can switch these notifications off in your profile."),
            ]
        )
        notify(
            recipient=recipient,
            message=Message(
                kind="forum_reply",
                title=_("New reply in your forum thread “%(title)s”") % {"title": thread.title},
                body=body,
                url=post_url(post),
            ),
            inapp=recipient.notify_comments_inapp,
            email=recipient.notify_comments_email,
            dedupe_key=f"forums:post:{post.pk}",
            unsubscribe="comments",
        )
    return True
