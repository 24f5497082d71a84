"""Starting threads, replying, editing, deleting and reporting posts — who may, when, and what
happens to the counters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from forums import services
from forums.models import Forum, Post, PostFlag, Thread
from forums.services import TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from foundation.models import Notification

from .factories import (
    ForumFactory,
    PostFactory,
    ResidentFactory,
    ThreadFactory,
    UserFactory,
    coordination_office_user,
    en,
    forum_url,
    open_forum,
    reply_url,
    thread_url,
)

pytestmark = pytest.mark.django_db


def blocked_resident():
    user = ResidentFactory()
    user.blocked_at = timezone.now()
    user.blocked_reason = "Beleidigungen"
    user.save()
    return user


def thread_create_url(forum, lang="en"):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(lang):
        return reverse(
            "forums:thread_create", args=[forum.consultation.slug, forum.handlungsfeld.slug]
        )


# --- Role × action matrix -----------------------------------------------------------------------

ROLES = ["visitor", "unverified", "blocked", "resident", "author", "coordination"]


@pytest.fixture
def setup():
    forum = open_forum()
    author = ResidentFactory()
    thread = ThreadFactory(forum=forum, author=author)
    post = thread.posts.get()
    return forum, thread, post, author


def person(role, author):
    return {
        "visitor": lambda: None,
        "unverified": UserFactory,
        "blocked": blocked_resident,
        "resident": ResidentFactory,
        "author": lambda: author,
        "coordination": coordination_office_user,
    }[role]()


REPLY_ALLOWED = {"resident", "author", "coordination"}


@pytest.mark.parametrize("role", ROLES)
def test_reply_matrix(client, setup, role):
    _forum, thread, _post, author = setup
    user = person(role, author)
    if user:
        client.force_login(user)
    response = client.post(reply_url(thread), {"body": "Ich finde das wichtig."})
    if role in {"visitor", "blocked"}:  # a blocked account's session ends on its next request
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in REPLY_ALLOWED:
        assert response.status_code == 302
        assert thread.posts.filter(body="Ich finde das wichtig.").exists()
    else:
        assert response.status_code == 400
        assert not thread.posts.filter(body="Ich finde das wichtig.").exists()
        text = response.content.decode()
        assert "confirm your e-mail address" in text
        assert "Ich finde das wichtig." in text  # nothing typed is lost


@pytest.mark.parametrize("role", ROLES)
def test_start_thread_matrix(client, setup, role):
    forum, _thread, _post, author = setup
    user = person(role, author)
    if user:
        client.force_login(user)
    response = client.post(
        thread_create_url(forum), {"title": "Abendkurse für Berufstätige", "body": "Wer macht mit?"}
    )
    created = Thread.objects.filter(title="Abendkurse für Berufstätige").exists()
    if role in {"visitor", "blocked"}:
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert created == (role in REPLY_ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_delete_matrix(client, setup, role):
    _forum, _thread, post, author = setup
    user = person(role, author)
    if user:
        client.force_login(user)
    edit = client.post(en("forums:post_edit", post.pk), {"body": "Korrigiert."})
    delete = client.post(en("forums:post_delete", post.pk))
    post.refresh_from_db()
    if role == "author":
        assert edit.status_code == 302 and delete.status_code == 302
        assert post.body == "Korrigiert." and post.deleted_at is not None
    elif role in {"visitor", "blocked"}:
        assert edit.status_code == 302 and "/login/" in edit["Location"]
        assert post.deleted_at is None
    else:  # other people's posts do not exist for them
        assert edit.status_code == 404 and delete.status_code == 404
        assert post.body != "Korrigiert." and post.deleted_at is None


@pytest.mark.parametrize("role", ROLES)
def test_flag_matrix(client, setup, role):
    _forum, _thread, post, author = setup
    user = person(role, author)
    if user:
        client.force_login(user)
    response = client.post(
        en("forums:post_flag", post.pk), {"reason": "offensive", "note": "unfreundlich"}
    )
    flagged = PostFlag.objects.filter(post=post).exists()
    assert flagged == (role in {"resident", "coordination"})
    if role in {"unverified", "author"}:
        assert response.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_everybody_reads_the_thread(client, setup, role):
    _forum, thread, post, author = setup
    user = person(role, author)
    if user:
        client.force_login(user)
    response = client.get(thread_url(thread))
    assert response.status_code == 200
    assert f'id="post-{post.pk}"' in response.content.decode()


# --- Gating by forum and phase ---------------------------------------------------------------------


def test_closed_forum_explains_and_refuses(client):
    forum = open_forum(is_open=False)
    thread = ThreadFactory(forum=forum)
    client.force_login(ResidentFactory())
    page = client.get(thread_url(thread)).content.decode()
    assert "This forum is closed for new posts" in page
    assert "<textarea" not in page
    response = client.post(reply_url(thread), {"body": "Hallo"})
    assert response.status_code == 400
    assert "Hallo" in response.content.decode()
    assert thread.posts.count() == 1


def test_phase_without_comments_says_when_posting_opens(client):
    from tests.consultations.factories import PhaseFactory

    analysis = PhaseFactory(
        kind="analysis",
        title="Bedarfsanalyse",
        allows_comments=False,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=4),
    )
    PhaseFactory(
        consultation=analysis.consultation,
        kind="forums",
        title="Foren",
        allows_comments=True,
        starts_at=timezone.now() + timedelta(days=4),
        ends_at=timezone.now() + timedelta(days=40),
    )
    forum = ForumFactory(consultation=analysis.consultation)
    client.force_login(ResidentFactory())
    page = client.get(forum_url(forum)).content.decode()
    assert "Posting opens on" in page and "Foren" in page
    response = client.post(thread_create_url(forum), {"title": "Zu früh dran", "body": "Text"})
    assert response.status_code == 400
    assert not Thread.objects.filter(title="Zu früh dran").exists()


def test_after_the_last_discussion_phase_the_forum_is_read_only(client):
    from tests.consultations.factories import PhaseFactory

    phase = PhaseFactory(
        starts_at=timezone.now() - timedelta(days=30), ends_at=timezone.now() - timedelta(days=1)
    )
    forum = ForumFactory(consultation=phase.consultation)
    page = client.get(forum_url(forum)).content.decode()
    assert "discussion phase of this consultation is over" in page


def test_locked_thread_refuses_replies_and_edits(client, setup):
    _forum, thread, post, author = setup
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client.force_login(author)
    assert client.post(reply_url(thread), {"body": "Noch was"}).status_code == 400
    response = client.post(en("forums:post_edit", post.pk), {"body": "Geändert"})
    assert response.status_code == 400
    assert "locked this thread" in response.content.decode()
    # deleting one's own words stays possible
    assert client.post(en("forums:post_delete", post.pk)).status_code == 302


# --- Bad input -------------------------------------------------------------------------------------


def test_empty_reply_keeps_the_page_and_says_why(client, setup):
    _forum, thread, _post, _author = setup
    client.force_login(ResidentFactory())
    response = client.post(reply_url(thread), {"body": "   "})
    assert response.status_code == 400
    assert "Please write a text before sending it." in response.content.decode()
    assert thread.posts.count() == 1


def test_too_long_reply_keeps_the_text(client, setup):
    _forum, thread, _post, _author = setup
    client.force_login(ResidentFactory())
    text = "Sehr lang. " * 500 + "ENDE"
    response = client.post(reply_url(thread), {"body": text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "at most 5000 characters" in page
    assert "ENDE" in page
    assert thread.posts.count() == 1


def test_bad_thread_input_keeps_title_and_text(client):
    forum = open_forum()
    client.force_login(ResidentFactory())
    response = client.post(
        thread_create_url(forum), {"title": "Ab", "body": "Mein ausführlicher Text"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The title is too short" in page
    assert 'value="Ab"' in page and "Mein ausführlicher Text" in page
    assert not Thread.objects.exists()


def test_blocked_person_cannot_post_even_with_a_live_session():
    """The middleware ends a blocked account's session; the services refuse on their own too."""
    from django.core.exceptions import ValidationError

    from forums import services

    forum = open_forum()
    thread = ThreadFactory(forum=forum)
    user = blocked_resident()
    with pytest.raises(ValidationError) as refused:
        services.post_create(thread=thread, author=user, body="Hallo")
    assert "gesperrt" in refused.value.messages[0]  # German, the default language
    with pytest.raises(ValidationError):
        services.thread_create(forum=forum, author=user, title="Neues Thema", body="Hallo")
    assert thread.posts.count() == 1


def test_unverified_person_sees_german_reason(client, setup):
    _forum, thread, _post, _author = setup
    client.force_login(UserFactory())
    response = client.post(reply_url(thread, lang="de"), {"body": "Hallo Welt"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "E-Mail-Adresse" in page and "Hallo Welt" in page


def test_markup_is_shown_as_text_and_control_characters_removed(client, setup):
    _forum, thread, _post, _author = setup
    client.force_login(ResidentFactory())
    client.post(reply_url(thread), {"body": "<script>alert(1)</script>\x07\r\nZweite Zeile"})
    post = thread.posts.latest("pk")
    assert post.body == "<script>alert(1)</script>\nZweite Zeile"
    page = client.get(thread_url(thread)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Zweite Zeile" in page


# --- Counters, double submit, soft delete, edit marker ------------------------------------------


def test_thread_and_reply_keep_the_counters(client):
    forum = open_forum()
    client.force_login(ResidentFactory())
    client.post(
        thread_create_url(forum),
        {"title": "Kita-Plätze für Kursteilnehmende", "body": "Erster Beitrag"},
    )
    thread = Thread.objects.get()
    client.force_login(ResidentFactory())
    response = client.post(reply_url(thread), {"body": "Zweiter Beitrag"})
    reply = thread.posts.latest("pk")
    assert response["Location"].endswith(f"#post-{reply.pk}")
    thread.refresh_from_db()
    forum.refresh_from_db()
    assert (thread.post_count, forum.thread_count, forum.post_count) == (2, 1, 2)
    assert thread.last_post_at == reply.created_at == forum.last_post_at


def test_double_submit_creates_one_thread_and_one_reply(client):
    forum = open_forum()
    client.force_login(ResidentFactory())
    data = {"title": "Doppelt geklickt", "body": "Einmal reicht"}
    client.post(thread_create_url(forum), data)
    client.post(thread_create_url(forum), data)
    thread = Thread.objects.get()
    client.post(reply_url(thread), {"body": "Antwort"})
    client.post(reply_url(thread), {"body": "Antwort"})
    thread.refresh_from_db()
    assert thread.posts.count() == 2 and thread.post_count == 2
    assert Forum.objects.get().thread_count == 1


def test_soft_delete_leaves_a_marker_and_lowers_the_counters(client, setup):
    forum, thread, _post, _author = setup
    reply = PostFactory(thread=thread, author=ResidentFactory(), body="Das verschwindet gleich")
    Thread.objects.filter(pk=thread.pk).update(post_count=2)
    Forum.objects.filter(pk=forum.pk).update(post_count=2)
    client.force_login(reply.author)
    client.post(en("forums:post_delete", reply.pk))
    client.post(en("forums:post_delete", reply.pk))  # twice: counted once
    page = client.get(thread_url(thread)).content.decode()
    assert "This post was deleted by its author." in page
    assert "Das verschwindet gleich" not in page
    thread.refresh_from_db()
    forum.refresh_from_db()
    assert thread.post_count == 1 and forum.post_count == 1
    assert Post.objects.filter(pk=reply.pk, deleted_at__isnull=False).exists()


def test_edit_shows_an_edited_marker(client, setup):
    _forum, thread, post, author = setup
    client.force_login(author)
    response = client.get(en("forums:post_edit", post.pk))
    assert post.body in response.content.decode()
    client.post(en("forums:post_edit", post.pk), {"body": "Neue Fassung"})
    page = client.get(thread_url(thread)).content.decode()
    assert "Neue Fassung" in page and "edited on" in page


def test_flag_once_per_person(client, setup):
    _forum, _thread, post, _author = setup
    reporter = ResidentFactory()
    client.force_login(reporter)
    client.post(en("forums:post_flag", post.pk), {"reason": "spam"})
    again = client.get(en("forums:post_flag", post.pk))
    assert again.status_code == 302
    from forums.services import post_flag

    _flag, created = post_flag(post=post, reporter=reporter, reason="offensive")
    assert created is False
    assert PostFlag.objects.filter(post=post).count() == 1


def test_flag_without_reason_keeps_the_note(client, setup):
    _forum, _thread, post, _author = setup
    client.force_login(ResidentFactory())
    response = client.post(en("forums:post_flag", post.pk), {"note": "Bitte prüfen"})
    assert response.status_code == 400
    assert "Please choose a reason." in response.content.decode()
    assert "Bitte prüfen" in response.content.decode()


def test_thread_author_is_told_about_a_reply(client, setup, django_capture_on_commit_callbacks):
    _forum, thread, _post, author = setup
    client.force_login(ResidentFactory(display_name="Aylin"))
    with_mail = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reply_url(thread), {"body": "Gute Idee!"})
    note = Notification.objects.get(recipient=author)
    assert "Aylin" in note.body and "#post-" in note.url
    assert len(mail.outbox) == with_mail + 1
    assert mail.outbox[-1].to == [author.email]


def test_post_page_anchor_points_to_the_right_page(client, setup):
    _forum, thread, _post, author = setup
    for number in range(25):
        PostFactory(thread=thread, author=author, body=f"Beitrag {number}")
    last = thread.posts.latest("pk")
    from forums.services import post_url

    assert post_url(last).endswith(f"?page=2#post-{last.pk}")
    page = client.get(thread_url(thread) + "?page=2").content.decode()
    assert f'id="post-{last.pk}"' in page


def test_too_many_threads_are_held_back_with_a_german_message(client, settings):
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    cache.clear()
    forum = open_forum()
    client.force_login(ResidentFactory())
    for number in range(5):
        body = {"title": f"Sprachcafé Nummer {number}", "body": "Wer macht mit?"}
        assert client.post(thread_create_url(forum, "de"), body).status_code == 302

    response = client.post(
        thread_create_url(forum, "de"), {"title": "Noch ein Thema", "body": "Mein Text"}
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sie haben innerhalb einer Stunde 5 Diskussionen begonnen." in page
    assert "Mein Text" in page
    assert Thread.objects.count() == 5
    cache.clear()


def test_an_empty_closed_forum_does_not_invite_a_first_thread(client):
    closed = open_forum(is_open=False)
    page = client.get(forum_url(closed, lang="de")).content.decode()
    assert "Es gibt in diesem Forum keine Diskussionen." in page
    assert "Beginnen Sie die erste!" not in page
    opened = open_forum()
    assert "Beginnen Sie die erste!" in client.get(forum_url(opened, lang="de")).content.decode()


@pytest.mark.parametrize(
    ("title", "code", "message"),
    [
        ("   ", "required", "Bitte geben Sie einen Titel für Ihre Diskussion ein."),
        ("Ab", "min_length", None),
        ("x" * 300, "max_length", None),
    ],
)
def test_a_bad_thread_title_is_refused_at_its_field_with_its_code(title, code, message):
    forum = open_forum()
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.thread_create(forum=forum, author=ResidentFactory(), title=title, body="Text")

    (error,) = refused.value.error_dict["title"]
    assert error.code == code
    expected = (
        message
        or {
            "min_length": f"Der Titel ist zu kurz: Bitte verwenden Sie mindestens {TITLE_MIN_LENGTH} "
            "Zeichen.",
            "max_length": f"Der Titel darf höchstens {TITLE_MAX_LENGTH} Zeichen haben; Ihrer hat "
            f"{len(title)}.",
        }[code]
    )
    assert refused.value.messages == [expected]
    assert not Thread.objects.exists()
