"""Hiding and showing a whole thread again (forums.moderation): the forum's counters follow
exactly once, the reason is required to hide, and every action is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import Forum, ForumModerationAction, ForumModerationActionKind, Thread
from forums.moderation import thread_hide, thread_unhide

from .factories import (
    PostFactory,
    ResidentFactory,
    ThreadFactory,
    coordination_office_user,
    open_forum,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum_with_threads():
    """A forum with two threads: one with three posts, one with its opening post only."""
    forum = open_forum()
    busy = ThreadFactory(forum=forum)
    for _ in range(2):
        PostFactory(thread=busy)
    Thread.objects.filter(pk=busy.pk).update(post_count=3)
    ThreadFactory(forum=forum)
    Forum.objects.filter(pk=forum.pk).update(post_count=4)
    busy.refresh_from_db()
    return forum, busy


def counters(forum):
    forum.refresh_from_db()
    return forum.thread_count, forum.post_count


def test_hiding_a_thread_takes_it_and_its_posts_out_of_the_counters_once(forum_with_threads):
    forum, busy = forum_with_threads
    other_forum = ThreadFactory().forum
    office = coordination_office_user()
    assert counters(forum) == (2, 4)

    thread_hide(actor=office, thread=busy, reason="  Werbung  ")
    assert counters(forum) == (1, 1)
    busy.refresh_from_db()
    assert busy.is_hidden

    thread_hide(actor=office, thread=busy, reason="Nochmals")  # already hidden
    assert counters(forum) == (1, 1)
    assert counters(other_forum) == (1, 1)  # another forum's counters never move

    logged = ForumModerationAction.objects.filter(thread=busy).order_by("pk")
    assert [(a.action, a.reason, a.actor_id) for a in logged] == [
        (ForumModerationActionKind.HIDE_THREAD, "Werbung", office.pk),
        (ForumModerationActionKind.HIDE_THREAD, "Nochmals", office.pk),
    ]


def test_showing_it_again_restores_the_counters_once(forum_with_threads):
    forum, busy = forum_with_threads
    office = coordination_office_user()
    thread_hide(actor=office, thread=busy, reason="Werbung")

    other_forum = ThreadFactory().forum

    thread_unhide(actor=office, thread=busy)
    assert counters(forum) == (2, 4)
    assert counters(other_forum) == (1, 1)
    busy.refresh_from_db()
    assert not busy.is_hidden

    thread_unhide(actor=office, thread=busy, reason="versehentlich")  # already visible
    assert counters(forum) == (2, 4)

    logged = ForumModerationAction.objects.filter(
        thread=busy, action=ForumModerationActionKind.UNHIDE_THREAD
    ).order_by("pk")
    assert [(a.reason, a.actor_id) for a in logged] == [
        ("", office.pk),
        ("versehentlich", office.pk),
    ]


def test_hiding_needs_a_reason_and_the_coordination_office(forum_with_threads):
    forum, busy = forum_with_threads

    with pytest.raises(ValidationError):
        thread_hide(actor=coordination_office_user(), thread=busy, reason="   ")
    with pytest.raises((PermissionDenied, ValidationError)):
        thread_hide(actor=ResidentFactory(), thread=busy, reason="Werbung")
    with pytest.raises((PermissionDenied, ValidationError)):
        thread_unhide(actor=ResidentFactory(), thread=busy)

    assert counters(forum) == (2, 4)
    assert not ForumModerationAction.objects.exists()


def test_a_pinned_thread_stands_first_until_it_is_released(client):
    from forums import moderation
    from tests.consultations.factories import coordination_office_user

    from .factories import ThreadFactory, forum_url, open_forum

    forum = open_forum()
    rules = ThreadFactory(forum=forum, title="Regeln für dieses Forum")
    ThreadFactory(forum=forum, title="Neueste Diskussion")  # the newer activity
    office = coordination_office_user()

    def forum_page():
        return client.get(forum_url(forum, lang="de")).content.decode()

    page = forum_page()
    assert page.index("Neueste Diskussion") < page.index("Regeln für dieses Forum")
    moderation.thread_pin(actor=office, thread=rules, reason="")
    page = forum_page()
    assert page.index("Regeln für dieses Forum") < page.index("Neueste Diskussion")
    assert '<span class="badge">angeheftet</span>' in page
    moderation.thread_unpin(actor=office, thread=rules)
    page = forum_page()
    assert page.index("Neueste Diskussion") < page.index("Regeln für dieses Forum")


def test_only_the_coordination_office_pins_through_the_moderation_page(client):
    from forums.models import ForumModerationAction, Thread
    from tests.consultations.factories import ResidentFactory, coordination_office_user

    from .factories import ThreadFactory, open_forum

    thread = ThreadFactory(forum=open_forum())
    url = f"/foren/moderation/themen/{thread.pk}/pin/"
    client.force_login(ResidentFactory())
    client.post(url, {"reason": ""})
    assert not Thread.objects.get(pk=thread.pk).is_pinned
    client.force_login(coordination_office_user())
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).is_pinned
    assert ForumModerationAction.objects.filter(action="pin_thread").count() == 1


def test_a_thread_moves_to_another_forum_with_its_counters(client):
    from forums.models import Forum, ForumModerationAction, Thread
    from tests.consultations.factories import HandlungsfeldFactory, coordination_office_user

    from .factories import ForumFactory, PostFactory, ThreadFactory, open_forum, thread_url

    source = open_forum()
    target = ForumFactory(
        consultation=source.consultation, handlungsfeld=HandlungsfeldFactory(name="Gesundheit")
    )
    stays = ThreadFactory(forum=source, title="Bleibt hier")
    moving = ThreadFactory(forum=source, title="Falsch eingeordnet")
    PostFactory(thread=moving)
    Thread.objects.filter(pk=moving.pk).update(post_count=2)
    Forum.objects.filter(pk=source.pk).update(post_count=3)
    client.force_login(coordination_office_user())
    url = f"/foren/moderation/themen/{moving.pk}/verschieben/"
    form = client.get(url).content.decode()
    assert "Gesundheit" in form
    refused = client.post(url, {"forum": target.pk, "reason": ""})
    assert refused.status_code == 400
    assert Thread.objects.get(pk=moving.pk).forum_id == source.pk
    response = client.post(url, {"forum": target.pk, "reason": "Gehört zur Gesundheit"})
    moving.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == thread_url(moving, lang="de")
    assert moving.forum_id == target.pk
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.thread_count, source.post_count) == (1, 1)
    assert (target.thread_count, target.post_count) == (1, 2)
    assert source.last_post_at == Thread.objects.get(pk=stays.pk).last_post_at
    entry = ForumModerationAction.objects.get(action="move_thread")
    assert "Gehört zur Gesundheit" in entry.reason


def test_a_thread_never_moves_to_another_consultation_nor_for_residents(client):
    from django.core.exceptions import ValidationError

    from forums import moderation
    from forums.models import Thread
    from tests.consultations.factories import ResidentFactory, coordination_office_user

    from .factories import ThreadFactory, open_forum

    thread = ThreadFactory(forum=open_forum())
    elsewhere = open_forum()
    with pytest.raises(ValidationError) as refused:
        moderation.thread_move(
            actor=coordination_office_user(), thread=thread, forum=elsewhere, reason="Test"
        )
    assert refused.value.message_dict["forum"] == [
        "Eine Diskussion kann nur zwischen den Foren ihres Beteiligungsverfahrens verschoben werden."
    ]
    client.force_login(ResidentFactory())
    response = client.post(
        f"/foren/moderation/themen/{thread.pk}/verschieben/",
        {"forum": elsewhere.pk, "reason": "x"},
    )
    assert response.status_code in (302, 403)
    assert Thread.objects.get(pk=thread.pk).forum_id == thread.forum_id


def test_hiding_a_thread_never_moves_the_counters_of_a_busier_forum(forum_with_threads):
    """Another forum with enough threads and posts that its counters could go down too."""
    forum, busy = forum_with_threads
    other_forum = open_forum()
    for _ in range(2):
        ThreadFactory(forum=other_forum)
    Forum.objects.filter(pk=other_forum.pk).update(thread_count=2, post_count=10)

    thread_hide(actor=coordination_office_user(), thread=busy, reason="Werbung")

    assert counters(forum) == (1, 1)
    assert counters(other_forum) == (2, 10)


@pytest.mark.parametrize(
    ("stored", "after"),
    [
        ((0, 4), (0, 4)),  # no thread counted: nothing to take away
        ((2, 2), (2, 2)),  # fewer posts counted than the thread has
    ],
)
def test_hiding_a_thread_never_makes_a_forum_counter_negative(forum_with_threads, stored, after):
    """Counters that are behind (a repair, a race) stay as they are rather than go below zero:
    the forum list never shows a negative number of threads or posts."""
    forum, busy = forum_with_threads
    Forum.objects.filter(pk=forum.pk).update(thread_count=stored[0], post_count=stored[1])

    thread_hide(actor=coordination_office_user(), thread=busy, reason="Werbung")

    assert counters(forum) == after
    busy.refresh_from_db()
    assert busy.is_hidden
