"""The notice the author of hidden content gets (foundation.moderation.tell_author_hidden): its
whole text in the author's language, its kind, the e-mail with the link that opens the page;
nobody is told when there is nobody to tell (an account deleted or removed), and a kind of
content declared without an address or reports (like the forums' threads) still tells the
author, without a link, and logs no closed reports."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.conf import settings
from django.core import mail

from consultations.discussion import moderation as discussion_moderation
from forums import moderation as forum_moderation
from forums.models import ForumModerationActionKind
from foundation.models import Notification, User
from foundation.moderation import tell_author_hidden
from foundation.services import account_delete
from tests.consultations.discussion.factories import CommentFactory, open_proposal
from tests.consultations.factories import ResidentFactory, coordination_office_user
from tests.forums.factories import ForumFactory, PostFactory, ThreadFactory, open_forum

pytestmark = pytest.mark.django_db

REASON = "Beleidigt andere Teilnehmende"
WORDS = "Eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn"
OTHERS_NO_LONGER_SEE_IT = (
    "Andere sehen es nicht mehr. Wenn Sie das für einen Irrtum halten, wenden Sie sich bitte "
    "an die Koordinierungsstelle (siehe Impressum)."
)


def the_mail_to(address):
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


def test_the_notice_names_kind_and_first_twelve_words_the_reason_and_what_to_do(
    client, django_capture_on_commit_callbacks
):
    author = ResidentFactory(language="de", email="kommentar@example.org")
    comment = CommentFactory(proposal=open_proposal(), author=author, body=f"<p>{WORDS}</p>")

    with django_capture_on_commit_callbacks(execute=True):
        discussion_moderation.comment_hide(
            actor=coordination_office_user(), comment=comment, reason=REASON
        )

    notice = Notification.objects.get(recipient=author)
    twelve_words = " ".join(WORDS.split()[:12])
    assert notice.kind == "moderation"
    assert notice.title == "Ihr Beitrag wurde ausgeblendet"
    assert notice.body == (
        f"Die Moderation hat Folgendes von Ihnen ausgeblendet: Kommentar „{twelve_words}…“."
        f"\n\nGrund: {REASON}"
        f"\n\n{OTHERS_NO_LONGER_SEE_IT}"
    )
    message = the_mail_to("kommentar@example.org")
    assert message.subject == "Ihr Beitrag wurde ausgeblendet"
    assert message.body == f"{notice.body}\n\n{settings.SITE_URL.rstrip('/')}{notice.url}"
    client.force_login(author)
    page = client.get(notice.url)
    assert page.status_code == 200
    assert REASON in page.content.decode()  # the page shows the reason in the comment's place


def test_a_post_is_named_as_a_post(django_capture_on_commit_callbacks):
    author = ResidentFactory(language="de")
    post = PostFactory(thread=ThreadFactory(forum=open_forum()), author=author, body="Kurz.")

    with django_capture_on_commit_callbacks(execute=True):
        forum_moderation.post_hide(actor=coordination_office_user(), post=post, reason=REASON)

    body = Notification.objects.get(recipient=author).body
    assert body.startswith("Die Moderation hat Folgendes von Ihnen ausgeblendet: Beitrag „Kurz.“.")


def test_called_without_an_address_the_notice_and_the_mail_have_no_link(
    django_capture_on_commit_callbacks,
):
    author = ResidentFactory(language="de", email="ohne-link@example.org")
    post = PostFactory(author=author, body="Ein Beitrag")

    with django_capture_on_commit_callbacks(execute=True):
        tell_author_hidden(post, REASON)

    notice = Notification.objects.get(recipient=author)
    assert notice.url == ""
    assert the_mail_to("ohne-link@example.org").body == notice.body
    assert notice.body.endswith(OTHERS_NO_LONGER_SEE_IT)


def test_content_without_an_author_field_tells_nobody(django_capture_on_commit_callbacks):
    forum = ForumFactory()  # has no author at all

    with django_capture_on_commit_callbacks(execute=True):
        tell_author_hidden(forum, REASON, "/")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_hiding_the_post_of_a_deleted_account_tells_nobody(django_capture_on_commit_callbacks):
    author = ResidentFactory(language="de")
    post = PostFactory(thread=ThreadFactory(forum=open_forum()), author=author)
    account_delete(user=author)
    post.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        entry = forum_moderation.post_hide(
            actor=coordination_office_user(), post=post, reason=REASON
        )

    assert (entry.action, entry.reason) == (ForumModerationActionKind.HIDE_POST, REASON)
    assert not Notification.objects.filter(recipient=author).exists()
    assert mail.outbox == []


def test_hiding_a_comment_whose_author_is_gone_hides_it_and_tells_nobody(
    django_capture_on_commit_callbacks,
):
    comment = CommentFactory(proposal=open_proposal())
    User.objects.filter(pk=comment.author_id).delete()  # the row keeps no author
    comment.refresh_from_db()
    assert comment.author is None

    with django_capture_on_commit_callbacks(execute=True):
        entry = discussion_moderation.comment_hide(
            actor=coordination_office_user(), comment=comment, reason=REASON
        )

    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == REASON
    assert entry.target_user is None and entry.reason == REASON
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_kind_without_address_and_reports_tells_without_link_and_closes_no_reports(
    django_capture_on_commit_callbacks,
):
    # Declared like the forums' threads (no url_of, no flags), but with a hide action.
    threads = replace(forum_moderation.THREADS, hidden=ForumModerationActionKind.HIDE_THREAD)
    author = ResidentFactory(language="de", email="thema@example.org")
    thread = ThreadFactory(forum=open_forum(), author=author, title="Mein Thema")

    with django_capture_on_commit_callbacks(execute=True):
        entry = threads.hide(actor=coordination_office_user(), thread=thread, reason=REASON)

    assert (entry.action, entry.reason, entry.flags_resolved) == (
        ForumModerationActionKind.HIDE_THREAD,
        REASON,
        0,
    )
    notice = Notification.objects.get(recipient=author)
    assert notice.url == ""
    assert "Diskussion „Mein Thema“" in notice.body
    assert the_mail_to("thema@example.org").body == notice.body
