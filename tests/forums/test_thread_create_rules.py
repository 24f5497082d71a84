"""Starting a thread: the title's limits at their edges, several refusals at once, what counts
as the same thread sent twice, the opening post, the forum's and thread's last activity, and
the news of it (followers hear, the author does not, the author follows the thread)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from forums import services
from forums.models import Forum, Post, Thread
from forums.services import TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from foundation import following
from foundation.models import Follow, FollowOrigin, NewsFrequency

from .factories import ResidentFactory, en, open_forum
from .test_posting import thread_create_url

pytestmark = pytest.mark.django_db


def start(client, forum, title, body="Wer kennt gute Abendkurse?"):
    return client.post(thread_create_url(forum), {"title": title, "body": body})


@pytest.mark.parametrize("length", [TITLE_MIN_LENGTH, TITLE_MAX_LENGTH])
def test_a_title_of_exactly_the_shortest_or_longest_length_is_taken(client, length):
    forum = open_forum()
    client.force_login(ResidentFactory())
    title = ("Kurse " * 50)[: length - 1] + "x"

    response = start(client, forum, title)

    assert response.status_code == 302
    assert Thread.objects.get().title == title


@pytest.mark.parametrize(
    ("length", "message"),
    [
        (TITLE_MIN_LENGTH - 1, "Der Titel ist zu kurz: Bitte verwenden Sie mindestens 5 Zeichen."),
        (TITLE_MAX_LENGTH + 1, "Der Titel darf höchstens 200 Zeichen haben; Ihrer hat 201."),
    ],
)
def test_one_character_past_a_limit_is_refused_with_its_code(length, message):
    forum = open_forum()
    title = "x" * length

    with pytest.raises(ValidationError) as refused:
        services.thread_create(
            forum=forum, author=ResidentFactory(), title=title, body="Ein Beitrag"
        )

    (error,) = refused.value.error_dict["title"]
    assert error.code == ("min_length" if length < TITLE_MIN_LENGTH else "max_length")
    assert error.messages == [message]
    assert not Thread.objects.exists()


def test_an_empty_title_and_an_empty_text_are_both_named_and_both_kept(client):
    forum = open_forum()
    client.force_login(ResidentFactory())

    response = client.post(thread_create_url(forum), {"title": "  ", "body": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please enter a title for your thread." in page
    assert set(response.context["form"].errors) == {"title", "body"}
    assert not Thread.objects.exists()


def test_the_same_title_counts_as_a_repeat_only_from_the_same_person_in_the_same_forum_now(
    client,
):
    forum, other_forum = open_forum(), open_forum()
    anna, ben = ResidentFactory(), ResidentFactory()
    title = "Sprachcafé am Samstag"

    first = services.thread_create(forum=forum, author=anna, title=title, body="Eins")
    again = services.thread_create(forum=forum, author=anna, title=title, body="Eins")
    by_ben = services.thread_create(forum=forum, author=ben, title=title, body="Zwei")
    elsewhere = services.thread_create(forum=other_forum, author=anna, title=title, body="Drei")
    Thread.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    later = services.thread_create(forum=forum, author=anna, title=title, body="Vier")

    assert again.pk == first.pk
    assert len({first.pk, by_ben.pk, elsewhere.pk, later.pk}) == 4
    assert Forum.objects.get(pk=forum.pk).thread_count == 3
    assert Forum.objects.get(pk=other_forum.pk).thread_count == 1


def test_the_opening_post_is_the_authors_text_and_sets_the_last_activity(client):
    forum = open_forum()
    author = ResidentFactory(display_name="Lena")
    client.force_login(author)

    start(client, forum, "Kinderbetreuung während der Kurse", "Gibt es **Angebote**?")

    thread = Thread.objects.get()
    post = Post.objects.get(thread=thread)
    assert post.author == author
    assert post.body == "Gibt es **Angebote**?"
    thread.refresh_from_db()
    forum.refresh_from_db()
    assert thread.last_post_at == post.created_at == forum.last_post_at
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Lena" in page and "<strong>Angebote</strong>" in page


def test_the_returned_thread_carries_its_last_activity():
    forum = open_forum()

    thread = services.thread_create(
        forum=forum, author=ResidentFactory(), title="Elterncafé", body="Wann?"
    )

    assert thread.last_post_at == Post.objects.get(thread=thread).created_at


def test_the_author_follows_as_took_part_and_hears_nothing_of_the_own_thread(
    client, django_capture_on_commit_callbacks
):
    forum = open_forum()
    author, follower = ResidentFactory(), ResidentFactory()
    for person in (author, follower):
        following.follow(user=person, target=forum)
        following.set_frequencies(user=person, chosen={"forums": NewsFrequency.IMMEDIATE})
    mail.outbox.clear()
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        start(client, forum, "Begegnungsfest im Juni")

    thread = Thread.objects.get()
    follow = Follow.objects.get(user=author, target_id=thread.pk, target_type__model="thread")
    assert follow.origin == FollowOrigin.PARTICIPATED
    assert "took part" in client.get(en("foundation:following")).content.decode()
    assert [m for m in mail.outbox if m.to == [follower.email]]
    assert not [m for m in mail.outbox if m.to == [author.email]]


def test_the_service_names_a_bad_title_and_a_bad_text_together_with_their_codes():
    forum = open_forum()

    with pytest.raises(ValidationError) as refused:
        services.thread_create(forum=forum, author=ResidentFactory(), title="", body="  ")

    errors = refused.value.error_dict
    assert set(errors) == {"title", "body"}
    assert [error.code for error in errors["title"]] == ["required"]
    assert not Thread.objects.exists()
