"""The coordination office moderates the forums: queue, hide with reason, lock, log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from forums.models import Forum, ForumModerationAction, PostFlag, Thread

from .factories import (
    PostFactory,
    ResidentFactory,
    ThreadFactory,
    coordination_office_user,
    en,
    open_forum,
    reply_url,
    thread_url,
)

pytestmark = pytest.mark.django_db


def moderation_post_url(post, action):
    with translation.override("en"):
        return reverse("forums:moderation_post", args=[post.pk, action])


def moderation_thread_url(thread, action):
    with translation.override("en"):
        return reverse("forums:moderation_thread", args=[thread.pk, action])


@pytest.fixture
def flagged():
    forum = open_forum()
    thread = ThreadFactory(forum=forum)
    post = PostFactory(thread=thread, body="Alle aus Garbsen sind …")
    Thread.objects.filter(pk=thread.pk).update(post_count=2)
    Forum.objects.filter(pk=forum.pk).update(post_count=2)
    for _ in range(2):
        PostFlag.objects.create(
            post=post, reporter=ResidentFactory(), reason="offensive", note="beleidigend"
        )
    return forum, thread, post


@pytest.mark.parametrize("url_name", ["forums:moderation_queue", "forums:moderation_log"])
def test_moderation_pages_are_for_the_coordination_office(client, url_name):
    assert client.get(en(url_name)).status_code == 302  # sign in first
    client.force_login(ResidentFactory())
    assert client.get(en(url_name)).status_code == 403
    client.force_login(coordination_office_user())
    assert client.get(en(url_name)).status_code == 200


def test_residents_cannot_run_moderation_actions(client, flagged):
    _forum, thread, post = flagged
    client.force_login(ResidentFactory())
    assert client.post(moderation_post_url(post, "hide"), {"reason": "x"}).status_code == 403
    assert client.post(moderation_thread_url(thread, "lock")).status_code == 403
    post.refresh_from_db()
    thread.refresh_from_db()
    assert not post.is_hidden and not thread.is_locked


def test_queue_groups_reports_oldest_first(client, flagged):
    _forum, _thread, _post = flagged
    later = PostFactory(body="Später gemeldet")
    PostFlag.objects.create(post=later, reporter=ResidentFactory(), reason="spam")
    client.force_login(coordination_office_user())
    page = client.get(en("forums:moderation_queue")).content.decode()
    assert "2 open reports" in page
    assert page.index("Alle aus Garbsen") < page.index("Später gemeldet")
    assert page.count('class="card moderation-item"') == 2


def test_hide_needs_a_reason_and_shows_it_in_place(client, flagged):
    forum, thread, post = flagged
    moderator = coordination_office_user()
    client.force_login(moderator)
    response = client.post(moderation_post_url(post, "hide"), {"reason": ""})
    assert response.status_code == 400
    assert "Please give a reason" in response.content.decode()
    post.refresh_from_db()
    assert not post.is_hidden

    client.post(moderation_post_url(post, "hide"), {"reason": "Pauschale Abwertung einer Gruppe."})
    post.refresh_from_db()
    thread.refresh_from_db()
    forum.refresh_from_db()
    assert post.is_hidden and thread.post_count == 1 and forum.post_count == 1
    assert not PostFlag.objects.filter(post=post, resolved_at__isnull=True).exists()

    client.force_login(ResidentFactory())
    page = client.get(thread_url(thread)).content.decode()
    assert "Hidden by the moderation: Pauschale Abwertung einer Gruppe." in page
    assert "Alle aus Garbsen" not in page

    entry = ForumModerationAction.objects.get()
    assert (entry.actor, entry.action, entry.flags_resolved) == (moderator, "hide_post", 2)
    assert entry.reason == "Pauschale Abwertung einer Gruppe."

    client.force_login(moderator)
    client.post(moderation_post_url(post, "unhide"), {"reason": ""})
    thread.refresh_from_db()
    assert thread.post_count == 2
    log = client.get(en("forums:moderation_log")).content.decode()
    assert "Post hidden" in log and "Post shown again" in log and "Pauschale Abwertung" in log


def test_lock_stops_replies_and_is_logged(client, flagged):
    _forum, thread, _post = flagged
    moderator = coordination_office_user()
    client.force_login(moderator)
    client.post(
        moderation_thread_url(thread, "lock"), {"reason": "Diskussion dreht sich im Kreis."}
    )
    thread.refresh_from_db()
    assert thread.is_locked
    client.force_login(thread.author)
    response = client.post(reply_url(thread), {"body": "Noch ein Wort"})
    assert response.status_code == 400
    assert "locked this thread" in response.content.decode()
    entry = ForumModerationAction.objects.get()
    assert entry.action == "lock_thread" and entry.reason == "Diskussion dreht sich im Kreis."
    client.force_login(moderator)
    client.post(moderation_thread_url(thread, "unlock"))
    thread.refresh_from_db()
    assert not thread.is_locked


def test_hidden_thread_leaves_the_list_and_shows_its_reason(client, flagged):
    forum, thread, _post = flagged
    client.force_login(coordination_office_user())
    client.post(moderation_thread_url(thread, "hide"), {"reason": "Werbung."})
    forum.refresh_from_db()
    assert forum.thread_count == 0 and forum.post_count == 0
    client.logout()
    forum_page = client.get(
        en("forums:forum_detail", forum.consultation.slug, forum.handlungsfeld.slug)
    ).content.decode()
    assert thread.title not in forum_page
    page = client.get(thread_url(thread)).content.decode()
    assert "This thread was hidden by the moderation: Werbung." in page
    assert "Alle aus Garbsen" not in page


def test_dismiss_closes_reports_and_keeps_the_post(client, flagged):
    _forum, _thread, post = flagged
    client.force_login(coordination_office_user())
    client.post(moderation_post_url(post, "dismiss"), {"reason": "Kritik ist erlaubt."})
    post.refresh_from_db()
    assert not post.is_hidden
    assert not PostFlag.objects.filter(resolved_at__isnull=True).exists()
    assert ForumModerationAction.objects.get().flags_resolved == 2


def test_unknown_action_is_404(client, flagged):
    _forum, _thread, post = flagged
    client.force_login(coordination_office_user())
    assert client.get(moderation_post_url(post, "delete")).status_code == 404


def test_staff_link_is_shown_to_the_coordination_office_only(client):
    client.force_login(ResidentFactory())
    assert en("forums:moderation_queue") not in client.get(en("forums:index")).content.decode()
    client.force_login(coordination_office_user())
    assert en("forums:moderation_queue") in client.get(en("forums:index")).content.decode()
