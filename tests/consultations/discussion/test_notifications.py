"""Authors hear about comments, replies and status changes — after commit, per their switches."""

from __future__ import annotations

import pytest
from django.core import mail

from consultations.discussion import services as discussion
from consultations.models import ProposalStatus
from consultations.proposals.notifications import notify_status_change
from foundation.models import Notification
from tests.consultations.factories import ResidentFactory

from .discussion_helpers import en
from .factories import open_proposal

pytestmark = pytest.mark.django_db


def test_new_comment_notifies_the_proposal_author_in_app_and_by_mail_after_commit(
    client, django_capture_on_commit_callbacks
):
    author = ResidentFactory(language="en", email="autorin@example.org")
    proposal = open_proposal(author=author, title="Sprachcafé")
    client.force_login(ResidentFactory(display_name="Mehmet"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            en("consultations:comment_create", proposal_pk=proposal.pk), {"body": "Tolle Idee!"}
        )
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    note = Notification.objects.get(recipient=author)
    assert note.title == "New comment on your proposal “Sprachcafé”"
    assert note.url.startswith("/en/") and "#comment-" in note.url
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["autorin@example.org"]
    assert message.subject == note.title
    assert "Mehmet commented on your proposal" in message.body and "Tolle Idee!" in message.body
    assert "http" in message.body and "#comment-" in message.body


def test_reply_notifies_the_comment_author_and_the_proposal_author_once_each(
    django_capture_on_commit_callbacks,
):
    proposal_author, comment_author, replier = (
        ResidentFactory(),
        ResidentFactory(),
        ResidentFactory(),
    )
    proposal = open_proposal(author=proposal_author)
    with django_capture_on_commit_callbacks(execute=True):
        top = discussion.comment_create(proposal=proposal, author=comment_author, body="Erster")
    mail.outbox.clear()
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_create(proposal=proposal, author=replier, body="Antwort", parent=top)

    kinds = dict(Notification.objects.values_list("recipient", "kind"))
    assert kinds == {comment_author.pk: "proposal_reply", proposal_author.pk: "proposal_comment"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [comment_author.email, proposal_author.email]
    )


def test_nobody_is_notified_about_their_own_comment(django_capture_on_commit_callbacks):
    author = ResidentFactory()
    proposal = open_proposal(author=author)

    with django_capture_on_commit_callbacks(execute=True):
        top = discussion.comment_create(
            proposal=proposal, author=author, body="Ergänzung der Autorin"
        )
        discussion.comment_create(proposal=proposal, author=author, body="Noch eine", parent=top)

    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(("inapp", "email"), [(True, False), (False, True), (False, False)])
def test_comment_notifications_follow_the_switches(
    django_capture_on_commit_callbacks, inapp, email
):
    author = ResidentFactory(notify_comments_inapp=inapp, notify_comments_email=email)
    proposal = open_proposal(author=author)

    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_create(proposal=proposal, author=ResidentFactory(), body="Hallo")

    assert Notification.objects.filter(recipient=author).exists() is inapp
    assert (len(mail.outbox) == 1) is email


def test_status_change_notifies_the_author_in_their_language(django_capture_on_commit_callbacks):
    author = ResidentFactory(language="en")
    proposal = open_proposal(author=author, title="Lotsenprogramm")

    with django_capture_on_commit_callbacks(execute=True):
        told = notify_status_change(
            proposal=proposal,
            old_status=ProposalStatus.IN_REVIEW,
            new_status=ProposalStatus.ACCEPTED,
        )

    assert told is True
    note = Notification.objects.get(recipient=author, kind="proposal_status")
    assert note.title == "The status of your proposal “Lotsenprogramm” changed"
    assert "from “In review” to “Feasible”" in note.body
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == note.title


def test_status_notification_in_german_for_a_german_author(django_capture_on_commit_callbacks):
    author = ResidentFactory(language="de")
    english = ResidentFactory(language="en")
    proposal = open_proposal(author=author, title="Lotsenprogramm")
    other = open_proposal(author=english, title="Lotsenprogramm")

    with django_capture_on_commit_callbacks(execute=True):
        notify_status_change(proposal=proposal, old_status="published", new_status="accepted")
        notify_status_change(proposal=other, old_status="published", new_status="accepted")

    german = Notification.objects.get(recipient=author).title
    assert german != Notification.objects.get(recipient=english).title
    assert not german.startswith("/en/") and Notification.objects.get(
        recipient=author
    ).url.startswith("/beteiligung/")


def test_status_change_respects_the_switches_and_ignores_no_change(
    django_capture_on_commit_callbacks,
):
    quiet = ResidentFactory(notify_status_inapp=False, notify_status_email=False)
    mail_only = ResidentFactory(notify_status_inapp=False, notify_status_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            notify_status_change(
                proposal=open_proposal(author=quiet), old_status="published", new_status="accepted"
            )
            is False
        )
        assert (
            notify_status_change(
                proposal=open_proposal(author=mail_only),
                old_status="accepted",
                new_status="accepted",
            )
            is False
        )
        assert (
            notify_status_change(
                proposal=open_proposal(author=mail_only),
                old_status="published",
                new_status="accepted",
            )
            is True
        )

    assert not Notification.objects.exists()
    assert [m.to for m in mail.outbox] == [[mail_only.email]]


def test_status_mail_is_sent_once_even_if_called_twice(django_capture_on_commit_callbacks):
    proposal = open_proposal(author=ResidentFactory())

    with django_capture_on_commit_callbacks(execute=True):
        notify_status_change(proposal=proposal, old_status="published", new_status="in_review")
        notify_status_change(proposal=proposal, old_status="published", new_status="in_review")

    assert len(mail.outbox) == 1
