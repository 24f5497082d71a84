"""Reads of the forum and event pages; each runs a fixed number of queries whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from foundation.models import Consultation, Handlungsfeld, Municipality, User
from foundation.moderation import FlagGroup, open_flag_groups, open_flags_by_target
from foundation.richtext import sanitize_html
from foundation.roles import is_coordination_office
from foundation.selectors import consultation_for

from .models import (
    EventFile,
    EventFileKind,
    EventRegistration,
    Forum,
    ForumEvent,
    ForumModerationAction,
    Post,
    PostFlag,
    Thread,
    ThreadVisit,
)
from .rules import moderates_forum
from .services import POSTS_PER_PAGE

THREADS_PER_PAGE = 25
#: The site search reads at most this many words.
SEARCH_MAX_WORDS = 12
QUEUE_PER_PAGE = 20
LOG_PER_PAGE = 50

__all__ = ["consultation_for"]

#: hook(thread, request) -> dict merged into the thread page's context. Higher floors add what
#: came of a thread: consultations lists the proposals made from it ("thread_proposals", a
#: list of {"title", "url"}).
THREAD_CONTEXT_HOOK = "forum_thread_context"
#: hook(event, request) -> dict merged into the event page's context; consultations lists the
#: proposals that came from the event ("event_proposals", a list of {"title", "url"}).
EVENT_CONTEXT_HOOK = "forum_event_context"


def consultations_with_forums() -> QuerySet[Consultation]:
    return (
        Consultation.objects.published()
        .filter(forums__isnull=False)
        .distinct()
        .order_by("-created_at")
    )


def forum_overview(*, consultation: Consultation) -> list[Forum]:
    """The consultation's forums with their counters and the latest visible thread (one query)."""
    latest = Thread.objects.filter(forum=OuterRef("pk"), is_hidden=False).order_by(
        "-last_post_at", "-pk"
    )
    return list(
        Forum.objects.filter(consultation=consultation)
        .select_related("handlungsfeld")
        .annotate(
            latest_thread_id=Subquery(latest.values("pk")[:1]),
            latest_thread_title=Subquery(latest.values("title")[:1]),
        )
        .order_by("handlungsfeld__number")
    )


def forum_for(*, consultation: Consultation, field_slug: str) -> Forum:
    forum = (
        Forum.objects.filter(consultation=consultation, handlungsfeld__slug=field_slug)
        .select_related("handlungsfeld", "consultation")
        .first()
    )
    if forum is None:
        raise Http404
    return forum


def threads_page(*, forum: Forum, user: Any, page_number: Any = 1) -> Page:
    """Newest activity first; hidden threads only for the forum's moderation."""
    threads = (
        Thread.objects.filter(forum=forum)
        .select_related("author")
        .order_by("-is_pinned", "-last_post_at", "-pk")
    )
    if not moderates_forum(user, forum):
        threads = threads.filter(is_hidden=False)
    return Paginator(threads, THREADS_PER_PAGE).get_page(page_number)


#: A thread nobody has opened yet counts as new for this long after its last post.
UNREAD_WINDOW = timedelta(days=14)


def unread_thread_ids(*, user: Any, threads: list[Thread]) -> set[int]:
    """The threads among `threads` with posts `user` has not read yet (one query): newer than
    their last visit, or, never opened, with a post in the last two weeks."""
    if not getattr(user, "is_authenticated", False) or not threads:
        return set()
    seen = dict(
        ThreadVisit.objects.filter(user=user, thread__in=[t.pk for t in threads]).values_list(
            "thread_id", "seen_at"
        )
    )
    recent = timezone.now() - UNREAD_WINDOW
    return {
        thread.pk
        for thread in threads
        if (thread.pk in seen and thread.last_post_at > seen[thread.pk])
        or (thread.pk not in seen and thread.last_post_at > recent and thread.author_id != user.pk)
    }


def thread_for(*, forum: Forum, pk: int) -> Thread:
    thread = Thread.objects.filter(forum=forum, pk=pk).select_related("author").first()
    if thread is None:
        raise Http404
    thread.forum = forum
    return thread


@dataclass
class ThreadPage:
    thread: Thread
    page_obj: Page
    flagged_post_ids: set[int] = field(default_factory=set)
    is_moderator: bool = False


def thread_page(*, thread: Thread, user: Any, page_number: Any = 1) -> ThreadPage:
    """Posts oldest first, 20 a page; a hidden thread shows its posts to the forum's
    moderation only."""
    is_moderator = bool(moderates_forum(user, thread.forum))
    posts = Post.objects.filter(thread=thread).select_related("author").order_by("pk")
    if thread.is_hidden and not is_moderator:
        posts = posts.none()
    page_obj = Paginator(posts, POSTS_PER_PAGE).get_page(page_number)
    flagged: set[int] = set()
    if getattr(user, "is_authenticated", False) and page_obj.object_list:
        ids = [post.pk for post in page_obj.object_list]
        flagged = set(
            PostFlag.objects.filter(reporter=user, post_id__in=ids).values_list(
                "post_id", flat=True
            )
        )
    for post in page_obj.object_list:
        post.thread = thread
    return ThreadPage(
        thread=thread, page_obj=page_obj, flagged_post_ids=flagged, is_moderator=is_moderator
    )


def own_post(*, pk: int, user: User) -> Post:
    post = (
        Post.objects.filter(pk=pk, author=user)
        .select_related("thread__forum__consultation", "thread__forum__handlungsfeld", "author")
        .first()
    )
    if post is None:
        raise Http404
    return post


def post_for(*, pk: int) -> Post:
    post = (
        Post.objects.filter(pk=pk)
        .select_related("thread__forum__consultation", "thread__forum__handlungsfeld", "author")
        .first()
    )
    if post is None:
        raise Http404
    return post


# --- Events ----------------------------------------------------------------------------------------


def events_of(*, consultation: Consultation) -> tuple[list[ForumEvent], list[ForumEvent]]:
    """(upcoming soonest first, past latest first) in one query."""
    now = timezone.now()
    events = list(
        ForumEvent.objects.filter(consultation=consultation)
        .select_related("consultation", "municipality", "handlungsfeld")
        .order_by("starts_at", "number")
    )
    upcoming = [event for event in events if (event.ends_at or event.starts_at) > now]
    past = [event for event in events if (event.ends_at or event.starts_at) <= now]
    past.reverse()
    return upcoming, past


def registered_event_ids(*, user: Any, events: list[ForumEvent]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not events:
        return set()
    return set(
        EventRegistration.objects.filter(
            user=user, cancelled_at__isnull=True, event_id__in=[event.pk for event in events]
        ).values_list("event_id", flat=True)
    )


def event_for(*, consultation: Consultation, slug: str) -> ForumEvent:
    event = (
        ForumEvent.objects.filter(consultation=consultation, slug=slug)
        .select_related("municipality", "handlungsfeld", "consultation")
        .first()
    )
    if event is None:
        raise Http404
    return event


#: Past events on a page of the overview.
PAST_EVENTS_PER_PAGE = 10
#: The overview shows at most this many upcoming events (a consultation plans a handful).
UPCOMING_EVENTS_MAX = 50


def published_events() -> QuerySet[ForumEvent]:
    """Events of published consultations, with what their cards show."""
    return ForumEvent.objects.filter(consultation__is_published=True).select_related(
        "consultation", "municipality", "handlungsfeld"
    )


def handlungsfeld_for(*, slug: str) -> Handlungsfeld:
    field = Handlungsfeld.objects.filter(slug=slug).first()
    if field is None:
        raise Http404
    return field


@dataclass
class EventOverview:
    upcoming: list[ForumEvent]
    past_page: Page


def event_overview(
    *,
    handlungsfeld: Handlungsfeld | None = None,
    municipality: Municipality | None = None,
    past_page: Any = 1,
) -> EventOverview:
    """Upcoming events soonest first, and a page of the past ones latest first (three queries:
    the upcoming, the past page and its count)."""
    now = timezone.now()
    events = published_events()
    if handlungsfeld is not None:
        events = events.filter(handlungsfeld=handlungsfeld)
    if municipality is not None:
        events = events.filter(municipality=municipality)
    is_upcoming = Q(ends_at__gt=now) | Q(ends_at__isnull=True, starts_at__gt=now)
    upcoming = list(events.filter(is_upcoming).order_by("starts_at", "pk")[:UPCOMING_EVENTS_MAX])
    past = events.exclude(is_upcoming).order_by("-starts_at", "-pk")
    return EventOverview(
        upcoming=upcoming,
        past_page=Paginator(past, PAST_EVENTS_PER_PAGE).get_page(past_page),
    )


@dataclass
class EventDocumentation:
    """What the event page shows once the event is past: text, documents, photos, headcount."""

    text: str = ""
    participants: int | None = None
    documents: list[EventFile] = field(default_factory=list)
    photos: list[EventFile] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.text or self.participants or self.documents or self.photos)


def event_documentation(*, event: ForumEvent) -> EventDocumentation:
    """Empty before the event ends; afterwards its documentation (one query for the files)."""
    if event.is_upcoming:
        return EventDocumentation()
    files = list(EventFile.objects.filter(event=event).select_related("document", "image"))
    return EventDocumentation(
        # Sanitised again on the way out: whatever wrote the text, only the limited tags show.
        text=sanitize_html(event.documentation),
        participants=event.participants,
        documents=[item for item in files if item.kind != EventFileKind.PHOTO],
        photos=[item for item in files if item.kind == EventFileKind.PHOTO],
    )


# --- Moderation ------------------------------------------------------------------------------------


@dataclass
class FlaggedPost(FlagGroup):
    post: Post | None = None


def moderated_forums(user: Any) -> QuerySet[Forum]:
    """The forums `user` moderates: all of them for the coordination office, else those that
    name `user` among their moderators."""
    if is_coordination_office(user):
        return Forum.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Forum.objects.none()
    return Forum.objects.filter(moderators=user)


def _moderated_scope(user: Any, path: str) -> Q | None:
    """None for the coordination office (everything), else the filter to `user`'s forums."""
    if user is None or is_coordination_office(user):
        return None
    return Q(**{f"{path}__in": moderated_forums(user).values("pk")})


def moderation_queue(*, page_number: Any = 1, user: Any = None) -> tuple[Page, list[FlaggedPost]]:
    """Posts with open reports, one entry each, the oldest report first (four queries); for
    a forum's own moderator only the posts of their forums."""
    page_obj, rows = open_flag_groups(
        PostFlag,
        targets=["post_id"],
        page_number=page_number,
        per_page=QUEUE_PER_PAGE,
        scope=_moderated_scope(user, "post__thread__forum"),
    )
    posts = Post.objects.select_related(
        "author", "thread__forum__consultation", "thread__forum__handlungsfeld"
    ).in_bulk([row["post_id"] for row in rows])
    flags = open_flags_by_target(PostFlag.objects.all(), rows, targets=["post_id"])
    items = [
        FlaggedPost(
            post=posts[row["post_id"]],
            flag_count=row["flag_count"],
            first_flagged=row["first_flagged"],
            flags=flags.get(("post_id", row["post_id"]), []),
        )
        for row in rows
        if row["post_id"] in posts
    ]
    return page_obj, items


def moderation_log(*, action: str = "", user: Any = None) -> QuerySet[ForumModerationAction]:
    """The log, newest first; for a forum's own moderator only what happened in their forums."""
    actions = ForumModerationAction.objects.select_related(
        "actor", "target_user", "thread__forum__consultation", "thread__forum__handlungsfeld"
    )
    scope = _moderated_scope(user, "thread__forum")
    if scope is not None:
        actions = actions.filter(scope)
    if action:
        actions = actions.filter(action=action)
    return actions.order_by("-created_at", "-pk")


def search_threads(*, text: str) -> QuerySet[Thread]:
    """Threads of published consultations whose title or a readable post matches every word
    of `text`: PostgreSQL's German stemming ("Sprachkurse" finds "Sprachkursen"), else
    case-insensitive words. Hidden threads, and hidden or deleted posts, are never searched."""
    threads = Thread.objects.filter(
        is_hidden=False, forum__consultation__is_published=True
    ).select_related("forum__consultation", "forum__handlungsfeld")
    words = text.split()[:SEARCH_MAX_WORDS]
    if not words:
        return threads.none()
    # Posts are matched once, through their own index, not once per thread.
    readable = Post.objects.filter(is_hidden=False, deleted_at__isnull=True)
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config="german", search_type="plain")
        # The same expressions as the GIN indexes of forums migration 0004.
        matching_posts = (
            readable.annotate(document=SearchVector("body", config="german"))
            .filter(document=query)
            .values("thread_id")
        )
        return (
            threads.annotate(document=SearchVector("title", config="german"))
            .filter(Q(document=query) | Q(pk__in=matching_posts))
            .order_by("-last_post_at", "-pk")
        )
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(
            pk__in=readable.filter(body__icontains=word).values("thread_id")
        )
    return threads.filter(condition).order_by("-last_post_at", "-pk")


def search_events(*, text: str) -> QuerySet[ForumEvent]:
    """Events of published consultations whose title, description, place or documentation
    holds every word of `text` (German stemming on PostgreSQL); the newest first."""
    events = ForumEvent.objects.filter(consultation__is_published=True).select_related(
        "consultation", "handlungsfeld", "municipality"
    )
    words = text.split()[:SEARCH_MAX_WORDS]
    if not words:
        return events.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config="german", search_type="plain")
        document = SearchVector(
            "title", "description", "venue", "place", "documentation", config="german"
        )
        return events.annotate(document=document).filter(document=query).order_by("-starts_at")
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(venue__icontains=word)
            | Q(place__icontains=word)
            | Q(documentation__icontains=word)
        )
    return events.filter(condition).order_by("-starts_at")
