"""Whoever wrote something the moderation hides is told so, with the reason and a link, in
their language and once; a blocked person gets an e-mail saying why."""

from __future__ import annotations

import pytest
from django.core import mail

from consultations.discussion import moderation as discussion_moderation
from forums import moderation as forum_moderation
from forums.services import post_url, thread_url
from foundation.models import Notification
from foundation.services import account_block
from tests.consultations.discussion.factories import CommentFactory, open_proposal
from tests.consultations.factories import ResidentFactory, coordination_office_user
from tests.forums.factories import PostFactory, ThreadFactory, open_forum

pytestmark = pytest.mark.django_db

REASON = "Persönliche Angriffe auf andere Teilnehmende"


def test_a_hidden_post_tells_its_author_why_and_where(client, django_capture_on_commit_callbacks):
    author = ResidentFactory(language="de", email="autorin@example.org")
    post = PostFactory(thread=ThreadFactory(forum=open_forum()), author=author, body="Ein Beitrag")
    with django_capture_on_commit_callbacks(execute=True):
        forum_moderation.post_hide(actor=coordination_office_user(), post=post, reason=REASON)
    notice = Notification.objects.get(recipient=author)
    assert notice.title == "Ihr Beitrag wurde ausgeblendet"
    assert f"Grund: {REASON}" in notice.body
    assert "„Ein Beitrag“" in notice.body
    assert notice.url == post_url(post)
    [message] = [m for m in mail.outbox if m.to == ["autorin@example.org"]]
    assert f"Grund: {REASON}" in message.body
    client.force_login(author)
    assert client.get(notice.url).status_code == 200  # the link opens the thread


def test_hiding_twice_tells_once_and_in_the_authors_language(django_capture_on_commit_callbacks):
    author = ResidentFactory(language="en")
    comment = CommentFactory(proposal=open_proposal(), author=author)
    office = coordination_office_user()
    with django_capture_on_commit_callbacks(execute=True):
        discussion_moderation.comment_hide(actor=office, comment=comment, reason=REASON)
        discussion_moderation.comment_hide(actor=office, comment=comment, reason=REASON)
    [notice] = Notification.objects.filter(recipient=author)
    assert notice.title == "Your contribution was hidden"


def test_a_hidden_thread_tells_its_author(django_capture_on_commit_callbacks):
    author = ResidentFactory(language="de")
    thread = ThreadFactory(forum=open_forum(), author=author, title="Mein Thema")
    with django_capture_on_commit_callbacks(execute=True):
        forum_moderation.thread_hide(actor=coordination_office_user(), thread=thread, reason=REASON)
    notice = Notification.objects.get(recipient=author)
    assert "„Mein Thema“" in notice.body and notice.url == thread_url(thread)


def test_a_blocked_person_gets_an_email_with_the_reason(django_capture_on_commit_callbacks):
    person = ResidentFactory(language="de", email="gesperrt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        account_block(actor=coordination_office_user(), user=person, reason=REASON)
    [message] = [m for m in mail.outbox if m.to == ["gesperrt@example.org"]]
    assert message.subject == "Ihr Konto wurde gesperrt"
    assert f"Grund: {REASON}" in message.body
    assert not Notification.objects.filter(recipient=person).exists()
