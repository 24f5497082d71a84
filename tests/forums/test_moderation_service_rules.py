"""The forum moderation services on their own (not through the pages): a forum's moderator acts
in their forums only, every service checks it; moving a thread keeps both forums' counters
exact, refuses the same forum and other consultations, and logs where it went and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from forums import moderation, services
from forums.models import Forum, ForumModerationAction, PostFlag, Thread
from tests.consultations.factories import HandlungsfeldFactory

from .factories import ForumFactory, ResidentFactory, coordination_office_user, open_forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def forums():
    """Two forums of one consultation, the first with its own moderator; a thread with a reply
    in each (written through the services, so that the counters are the real ones)."""
    mine = open_forum(handlungsfeld=HandlungsfeldFactory(name="Bildung", slug="bildung"))
    other = ForumFactory(
        consultation=mine.consultation,
        handlungsfeld=HandlungsfeldFactory(name="Arbeit", slug="arbeit"),
    )
    moderator = ResidentFactory()
    mine.moderators.add(moderator)
    threads = {}
    for name, forum in (("mine", mine), ("other", other)):
        thread = services.thread_create(
            forum=forum, author=ResidentFactory(), title=f"Thema {name}", body="Erster Beitrag"
        )
        reply = services.post_create(thread=thread, author=ResidentFactory(), body="Antwort")
        PostFlag.objects.create(post=reply, reporter=ResidentFactory(), reason="offensive")
        threads[name] = thread
    return mine, other, moderator, threads


def actions(thread):
    post = thread.posts.latest("pk")
    return {
        "post_hide": lambda actor: moderation.post_hide(actor=actor, post=post, reason="Grund"),
        "post_unhide": lambda actor: moderation.post_unhide(actor=actor, post=post, reason=""),
        "flags_dismiss": lambda actor: moderation.flags_dismiss(actor=actor, post=post, reason=""),
        "thread_lock": lambda actor: moderation.thread_lock(actor=actor, thread=thread, reason=""),
        "thread_unlock": lambda actor: moderation.thread_unlock(
            actor=actor, thread=thread, reason=""
        ),
        "thread_pin": lambda actor: moderation.thread_pin(actor=actor, thread=thread),
        "thread_unpin": lambda actor: moderation.thread_unpin(actor=actor, thread=thread),
        "thread_hide": lambda actor: moderation.thread_hide(
            actor=actor, thread=thread, reason="Grund"
        ),
        "thread_unhide": lambda actor: moderation.thread_unhide(actor=actor, thread=thread),
    }


ACTIONS = [
    "post_hide",
    "post_unhide",
    "flags_dismiss",
    "thread_lock",
    "thread_unlock",
    "thread_pin",
    "thread_unpin",
    "thread_hide",
    "thread_unhide",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_forum_moderator_is_refused_in_another_forum_by_every_service(forums, action):
    _mine, _other, moderator, threads = forums

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        actions(threads["other"])[action](moderator)

    assert str(refused.value) == "You may not moderate this."
    assert not ForumModerationAction.objects.exists()
    thread = Thread.objects.get(pk=threads["other"].pk)
    assert not (thread.is_hidden or thread.is_locked or thread.is_pinned)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_forum_moderator_acts_in_their_forum_through_every_service(forums, action):
    _mine, _other, moderator, threads = forums

    entry = actions(threads["mine"])[action](moderator)

    assert entry.actor == moderator
    assert ForumModerationAction.objects.filter(actor=moderator).count() == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_a_resident_who_moderates_nothing_is_refused(forums, action):
    _mine, _other, _moderator, threads = forums

    with pytest.raises(PermissionDenied):
        actions(threads["mine"])[action](ResidentFactory())

    assert not ForumModerationAction.objects.exists()


def test_moving_a_thread_moves_its_counts_and_logs_where_it_went(forums):
    mine, other, _moderator, threads = forums
    office = coordination_office_user()
    thread = threads["mine"]
    Thread.objects.filter(pk=thread.pk).update(last_post_at=timezone.now() + timedelta(days=1))
    thread.refresh_from_db()

    with translation.override("en"):
        entry = moderation.thread_move(
            actor=office, thread=thread, forum=other, reason="Passt zum Thema Arbeit."
        )

    mine.refresh_from_db()
    other.refresh_from_db()
    assert Thread.objects.get(pk=thread.pk).forum_id == other.pk
    assert (mine.thread_count, mine.post_count, mine.last_post_at) == (0, 0, None)
    assert (other.thread_count, other.post_count) == (2, 4)
    assert other.last_post_at == thread.last_post_at  # the newer of the two forums' posts
    assert entry.reason == "From “Bildung” to “Arbeit”: Passt zum Thema Arbeit."
    assert entry.action == "move_thread"


def test_moving_a_hidden_thread_leaves_the_counts(forums):
    _mine, other, _moderator, threads = forums
    office = coordination_office_user()
    moderation.thread_hide(actor=office, thread=threads["mine"], reason="Spam")
    before = [(f.thread_count, f.post_count) for f in Forum.objects.order_by("pk")]

    moderation.thread_move(actor=office, thread=threads["mine"], forum=other, reason="Ordnung")

    assert [(f.thread_count, f.post_count) for f in Forum.objects.order_by("pk")] == before


def test_a_move_needs_a_reason_another_forum_of_the_same_consultation(forums):
    mine, other, _moderator, threads = forums
    office = coordination_office_user()
    elsewhere = ForumFactory()
    thread = threads["mine"]

    with translation.override("en"):
        with pytest.raises(ValidationError) as same:
            moderation.thread_move(actor=office, thread=thread, forum=mine, reason="x")
        with pytest.raises(ValidationError) as foreign:
            moderation.thread_move(actor=office, thread=thread, forum=elsewhere, reason="x")
        with pytest.raises(ValidationError) as no_reason:
            moderation.thread_move(actor=office, thread=thread, forum=other, reason="  ")

    assert same.value.message_dict == {"forum": ["The thread is in this forum already."]}
    assert foreign.value.message_dict == {
        "forum": ["A thread moves only between the forums of its consultation."]
    }
    assert list(no_reason.value.message_dict) == ["reason"]
    assert Thread.objects.get(pk=thread.pk).forum_id == mine.pk
    assert not ForumModerationAction.objects.exists()


def test_a_forum_moderator_moves_only_into_a_forum_they_moderate(forums):
    _mine, other, moderator, threads = forums

    with pytest.raises(PermissionDenied):
        moderation.thread_move(actor=moderator, thread=threads["mine"], forum=other, reason="x")

    other.moderators.add(moderator)
    moderator = type(moderator).objects.get(pk=moderator.pk)  # a new request, a new user object
    moderation.thread_move(actor=moderator, thread=threads["mine"], forum=other, reason="x")
    assert Thread.objects.get(pk=threads["mine"].pk).forum_id == other.pk


def test_pinning_and_releasing_are_stored_and_logged_as_such(forums):
    _mine, _other, moderator, threads = forums
    thread = threads["mine"]

    pinned = moderation.thread_pin(actor=moderator, thread=thread, reason="Wichtig")
    assert Thread.objects.get(pk=thread.pk).is_pinned and thread.is_pinned
    released = moderation.thread_unpin(actor=moderator, thread=thread, reason="Erledigt")

    assert not Thread.objects.get(pk=thread.pk).is_pinned and not thread.is_pinned
    assert [(e.action, e.reason) for e in (pinned, released)] == [
        ("pin_thread", "Wichtig"),
        ("unpin_thread", "Erledigt"),
    ]
    assert ForumModerationAction.objects.filter(thread=thread).count() == 2


def test_hiding_a_thread_needs_a_reason_showing_it_again_does_not(forums):
    _mine, _other, moderator, threads = forums
    thread = threads["mine"]

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        moderation.thread_hide(actor=moderator, thread=thread, reason=" ")
    assert list(refused.value.message_dict) == ["reason"]
    assert not Thread.objects.get(pk=thread.pk).is_hidden

    moderation.thread_hide(actor=moderator, thread=thread, reason="Spam")
    forum = Forum.objects.get(pk=thread.forum_id)
    assert (forum.thread_count, forum.post_count) == (0, 0)
    moderation.thread_unhide(actor=moderator, thread=thread)
    forum.refresh_from_db()
    assert (forum.thread_count, forum.post_count) == (1, 2)
    assert not Thread.objects.get(pk=thread.pk).is_hidden
