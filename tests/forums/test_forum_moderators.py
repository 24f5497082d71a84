"""Moderators per forum: named in the Wagtail admin by their e-mail addresses, they moderate
their forums and only those; the coordination office still moderates every forum."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from forums.models import Forum, ForumModerationAction, PostFlag
from foundation.roles import Role
from tests.foundation.factories import user_with_role

from .factories import (
    ForumFactory,
    PostFactory,
    ResidentFactory,
    ThreadFactory,
    coordination_office_user,
    en,
    open_forum,
    thread_url,
)

pytestmark = pytest.mark.django_db

FORUMS = "/admin/forums/forums/"


def action_url(name, obj, action=None):
    with translation.override("en"):
        return reverse(name, args=[obj.pk, action] if action else [obj.pk])


@pytest.fixture
def two_forums():
    """A forum with a moderator and a reported post, and a second forum of the same
    consultation with a reported post of its own."""
    mine = open_forum()
    other = ForumFactory(consultation=mine.consultation)
    moderator = ResidentFactory(email="lotsin@example.org")
    mine.moderators.add(moderator)
    posts = {}
    for name, forum in (("mine", mine), ("other", other)):
        thread = ThreadFactory(forum=forum, title=f"Thema {name}")
        post = PostFactory(thread=thread, body=f"Gemeldeter Beitrag {name}")
        PostFlag.objects.create(post=post, reporter=ResidentFactory(), reason="offensive")
        posts[name] = post
    return mine, other, moderator, posts


def test_a_forum_moderator_hides_a_post_in_their_forum(client, two_forums):
    _mine, _other, moderator, posts = two_forums
    client.force_login(moderator)
    post = posts["mine"]
    assert client.get(action_url("forums:moderation_post", post, "hide")).status_code == 200
    response = client.post(
        action_url("forums:moderation_post", post, "hide"), {"reason": "Beleidigend."}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Beleidigend."
    entry = ForumModerationAction.objects.get(post=post)
    assert (entry.actor, entry.action, entry.flags_resolved) == (moderator, "hide_post", 1)


def test_a_forum_moderator_cannot_act_in_another_forum(client, two_forums):
    mine, other, moderator, posts = two_forums
    client.force_login(moderator)
    post = posts["other"]
    assert client.get(action_url("forums:moderation_post", post, "hide")).status_code == 403
    response = client.post(action_url("forums:moderation_post", post, "hide"), {"reason": "x"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert not post.is_hidden
    thread = post.thread
    for action in ("hide", "lock", "pin"):
        url = action_url("forums:moderation_thread", thread, action)
        assert client.post(url, {"reason": "x"}).status_code == 403
    thread.refresh_from_db()
    assert not (thread.is_hidden or thread.is_locked or thread.is_pinned)
    # Moving a thread into a forum they do not moderate is not offered, and refused.
    own_thread = posts["mine"].thread
    move = action_url("forums:moderation_thread_move", own_thread)
    page = client.get(move).content.decode()
    assert f'value="{other.pk}"' not in page
    response = client.post(move, {"forum": other.pk, "reason": "Falsches Forum."})
    assert response.status_code == 400
    own_thread.refresh_from_db()
    assert own_thread.forum_id == mine.pk


def test_the_queue_and_the_log_show_a_moderator_their_forums_only(client, two_forums):
    _mine, _other, moderator, posts = two_forums
    client.force_login(moderator)
    queue = client.get(en("forums:moderation_queue")).content.decode()
    assert "Thema mine" in queue and "Thema other" not in queue
    office = coordination_office_user()
    for post in posts.values():
        ForumModerationAction.record(actor=office, action="hide_post", reason="r", target=post)
    log = client.get(en("forums:moderation_log")).content.decode()
    assert "Thema mine" in log and "Thema other" not in log
    client.force_login(office)
    queue = client.get(en("forums:moderation_queue")).content.decode()
    assert "Thema mine" in queue and "Thema other" in queue


def test_the_thread_page_offers_the_tools_to_its_forums_moderator_only(client, two_forums):
    _mine, _other, moderator, posts = two_forums
    client.force_login(moderator)
    own = client.get(thread_url(posts["mine"].thread)).content.decode()
    assert action_url("forums:moderation_thread", posts["mine"].thread, "lock") in own
    assert "/moderation/" in client.get(en("forums:moderation_queue")).request["PATH_INFO"]
    other = client.get(thread_url(posts["other"].thread)).content.decode()
    assert action_url("forums:moderation_thread", posts["other"].thread, "lock") not in other
    # The menu links the moderation for them, not for other residents.
    assert en("forums:moderation_queue") in own
    client.force_login(ResidentFactory())
    page = client.get(thread_url(posts["mine"].thread)).content.decode()
    assert en("forums:moderation_queue") not in page
    assert client.get(en("forums:moderation_queue")).status_code == 403


def test_a_blocked_moderator_moderates_nothing(client, two_forums):
    from django.utils import timezone

    _mine, _other, moderator, posts = two_forums
    moderator.blocked_at = timezone.now()
    moderator.save()
    client.force_login(moderator)
    # A blocked account is signed out or refused, whichever comes first.
    assert client.get(en("forums:moderation_queue")).status_code in (302, 403)
    url = action_url("forums:moderation_post", posts["mine"], "hide")
    assert client.post(url, {"reason": "x"}).status_code in (302, 403)
    posts["mine"].refresh_from_db()
    assert not posts["mine"].is_hidden
    from forums import moderation
    from foundation.models import User

    with pytest.raises(PermissionDenied):
        moderation.post_hide(
            actor=User.objects.get(pk=moderator.pk), post=posts["mine"], reason="x"
        )


def forum_data(forum, moderators):
    return {
        "consultation": forum.consultation.pk,
        "handlungsfeld": forum.handlungsfeld.pk,
        "description": forum.description,
        "is_open": "on",
        "moderators": moderators,
    }


def test_the_coordination_office_names_moderators_by_e_mail(client):
    forum = open_forum()
    first = ResidentFactory(email="Anna.Lotsin@example.org")
    second = ResidentFactory(email="ben@example.org")
    client.force_login(user_with_role(Role.COORDINATION))
    data = forum_data(forum, "anna.lotsin@example.org\nben@example.org, ben@example.org")
    assert client.post(f"{FORUMS}edit/{forum.pk}/", data).status_code == 302
    assert set(forum.moderators.all()) == {first, second}
    page = client.get(f"{FORUMS}edit/{forum.pk}/").content.decode()
    assert "Anna.Lotsin@example.org\nben@example.org" in page
    assert client.post(f"{FORUMS}edit/{forum.pk}/", forum_data(forum, "")).status_code == 302
    assert not forum.moderators.exists()


def test_an_unknown_address_is_refused_and_what_was_typed_stays(client):
    forum = open_forum()
    known = ResidentFactory(email="anna@example.org")
    forum.moderators.add(known)
    client.force_login(user_with_role(Role.EDITOR))
    typed = "anna@example.org\nniemand@example.org"
    response = client.post(f"{FORUMS}edit/{forum.pk}/", forum_data(forum, typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kein Konto hat die Adresse niemand@example.org." in page
    assert typed in page
    assert list(Forum.objects.get(pk=forum.pk).moderators.all()) == [known]
