"""The moderation actions of foundation.moderation.ContentModeration as the apps declare them
(forums posts and threads, consultations proposals and comments): who may act and what the
refusal says, that hiding needs a reason and the other actions do not, what the log entry
records when no reason is given and when one is, who closed the reports, and that showing one
object again leaves every other hidden object hidden."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultations.discussion import moderation as discussion_moderation
from consultations.models import Comment, Flag, ModerationAction, ModerationActionKind, Proposal
from forums import moderation as forum_moderation
from forums.models import ForumModerationAction, ForumModerationActionKind, Post, PostFlag, Thread
from tests.consultations.discussion.factories import CommentFactory, FlagFactory, open_proposal
from tests.consultations.factories import ResidentFactory, coordination_office_user
from tests.forums.factories import PostFactory, ThreadFactory, open_forum

pytestmark = pytest.mark.django_db

NO_REASON = (
    "Bitte geben Sie einen Grund an; er wird anstelle des Inhalts angezeigt oder der "
    "betroffenen Person mitgeteilt."
)


def a_post():
    return PostFactory(thread=ThreadFactory(forum=open_forum()))


def hide_services():
    return {
        "post": (forum_moderation.post_hide, a_post),
        "comment": (
            discussion_moderation.comment_hide,
            lambda: CommentFactory(proposal=open_proposal()),
        ),
        "proposal": (discussion_moderation.proposal_hide, open_proposal),
    }


@pytest.mark.parametrize("kind", ["comment", "proposal"])
def test_a_resident_is_told_that_only_the_coordination_office_moderates(kind):
    hide, make = hide_services()[kind]
    content = make()

    with pytest.raises(PermissionDenied) as refused:
        hide(actor=ResidentFactory(), reason="Spam", **{kind: content})

    assert str(refused.value) == "Nur die Koordinierungsstelle darf moderieren."
    assert not type(content).objects.get(pk=content.pk).is_hidden
    assert not ModerationAction.objects.exists()


def test_dismissing_reports_is_refused_to_a_resident_with_the_same_words():
    comment = CommentFactory(proposal=open_proposal())
    FlagFactory(comment=comment)

    with pytest.raises(PermissionDenied) as refused:
        discussion_moderation.flags_dismiss(actor=ResidentFactory(), comment=comment)

    assert str(refused.value) == "Nur die Koordinierungsstelle darf moderieren."
    assert Flag.objects.get(comment=comment).resolved_at is None


@pytest.mark.parametrize("kind", ["post", "comment", "proposal"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_without_a_reason_is_refused_at_the_reason(kind, reason):
    hide, make = hide_services()[kind]
    content = make()

    with pytest.raises(ValidationError) as refused:
        hide(actor=coordination_office_user(), reason=reason, **{kind: content})

    assert refused.value.message_dict == {"reason": [NO_REASON]}
    assert not type(content).objects.get(pk=content.pk).is_hidden
    assert not ModerationAction.objects.exists() and not ForumModerationAction.objects.exists()


def test_hiding_closes_the_open_reports_as_answered_by_the_moderator():
    office = coordination_office_user()
    post = a_post()
    for _ in range(2):
        PostFlag.objects.create(post=post, reporter=ResidentFactory(), reason="spam")

    entry = forum_moderation.post_hide(actor=office, post=post, reason="Werbung")

    assert entry.flags_resolved == 2
    flags = PostFlag.objects.filter(post=post)
    assert [(flag.resolution, flag.resolved_by) for flag in flags] == [("hidden", office)] * 2
    assert all(flag.resolved_at is not None for flag in flags)


def test_dismissing_closes_the_open_reports_as_answered_by_the_moderator():
    office = coordination_office_user()
    comment = CommentFactory(proposal=open_proposal())
    FlagFactory(comment=comment)

    entry = discussion_moderation.flags_dismiss(actor=office, comment=comment, reason="Passt")

    flag = Flag.objects.get(comment=comment)
    assert (flag.resolution, flag.resolved_by) == ("dismissed", office)
    assert (entry.action, entry.reason, entry.flags_resolved, entry.actor) == (
        ModerationActionKind.DISMISS_FLAGS,
        "Passt",
        1,
        office,
    )


def test_dismissing_forum_reports_without_a_reason_logs_no_reason():
    office = coordination_office_user()
    post = a_post()
    PostFlag.objects.create(post=post, reporter=ResidentFactory(), reason="spam")

    entry = forum_moderation.flags_dismiss(actor=office, post=post)

    assert (entry.action, entry.reason, entry.flags_resolved) == (
        ForumModerationActionKind.DISMISS_FLAGS,
        "",
        1,
    )
    assert PostFlag.objects.get(post=post).resolved_by == office


def test_showing_again_without_a_reason_logs_no_reason_and_no_closed_reports():
    office = coordination_office_user()
    post = a_post()
    forum_moderation.post_hide(actor=office, post=post, reason="Spam")
    PostFlag.objects.create(post=post, reporter=ResidentFactory(), reason="spam")  # a new one

    entry = forum_moderation.post_unhide(actor=office, post=post)

    assert (entry.action, entry.reason, entry.flags_resolved) == (
        ForumModerationActionKind.UNHIDE_POST,
        "",
        0,
    )
    assert PostFlag.objects.get(post=post).resolved_at is None  # showing answers no report


def test_showing_again_and_unlocking_keep_the_reason_given():
    office = coordination_office_user()
    proposal = open_proposal()
    discussion_moderation.proposal_hide(actor=office, proposal=proposal, reason="Spam")
    discussion_moderation.proposal_lock(actor=office, proposal=proposal)

    shown = discussion_moderation.proposal_unhide(
        actor=office, proposal=proposal, reason="War ein Irrtum"
    )
    unlocked = discussion_moderation.proposal_unlock(
        actor=office, proposal=proposal, reason="Geklärt"
    )

    assert [(e.action, e.reason, e.flags_resolved) for e in (shown, unlocked)] == [
        (ModerationActionKind.UNHIDE_PROPOSAL, "War ein Irrtum", 0),
        (ModerationActionKind.UNLOCK_PROPOSAL, "Geklärt", 0),
    ]
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert not proposal.is_hidden and not proposal.is_locked


def test_locking_and_unlocking_without_a_reason_log_no_reason():
    office = coordination_office_user()
    thread = ThreadFactory(forum=open_forum())

    locked = forum_moderation.thread_lock(actor=office, thread=thread)
    assert Thread.objects.get(pk=thread.pk).is_locked
    unlocked = forum_moderation.thread_unlock(actor=office, thread=thread)

    assert [(e.action, e.reason, e.flags_resolved) for e in (locked, unlocked)] == [
        (ForumModerationActionKind.LOCK_THREAD, "", 0),
        (ForumModerationActionKind.UNLOCK_THREAD, "", 0),
    ]
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_thread_unlock_keeps_the_reason_given():
    office = coordination_office_user()
    thread = ThreadFactory(forum=open_forum())
    forum_moderation.thread_lock(actor=office, thread=thread, reason="Streit")

    entry = forum_moderation.thread_unlock(actor=office, thread=thread, reason="Beruhigt")

    assert (entry.action, entry.reason) == (ForumModerationActionKind.UNLOCK_THREAD, "Beruhigt")


def test_showing_one_post_again_leaves_the_other_hidden_posts_hidden():
    office = coordination_office_user()
    thread = ThreadFactory(forum=open_forum())
    shown, still_hidden = PostFactory(thread=thread), PostFactory(thread=thread)
    elsewhere = PostFactory(thread=ThreadFactory(forum=open_forum()))
    for post in (shown, still_hidden, elsewhere):
        forum_moderation.post_hide(actor=office, post=post, reason="Spam")

    forum_moderation.post_unhide(actor=office, post=shown)

    assert dict(
        Post.objects.filter(pk__in=[shown.pk, still_hidden.pk, elsewhere.pk]).values_list(
            "pk", "hidden_reason"
        )
    ) == {shown.pk: "", still_hidden.pk: "Spam", elsewhere.pk: "Spam"}
    assert set(Post.objects.filter(is_hidden=True).values_list("pk", flat=True)) == {
        still_hidden.pk,
        elsewhere.pk,
    }


def test_showing_one_comment_again_leaves_the_others_hidden_and_counted_as_hidden():
    office = coordination_office_user()
    proposal = open_proposal()
    first, second = (CommentFactory(proposal=proposal) for _ in range(2))
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=2)
    for comment in (first, second):
        discussion_moderation.comment_hide(actor=office, comment=comment, reason="Spam")

    discussion_moderation.comment_unhide(actor=office, comment=first)

    assert not Comment.objects.get(pk=first.pk).is_hidden
    assert Comment.objects.get(pk=second.pk).is_hidden
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
