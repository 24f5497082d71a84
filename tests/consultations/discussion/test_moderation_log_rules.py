"""What the moderation log keeps of an unblocking and of dismissed reports: who did it, why,
about whom or what, and how many reports it closed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from consultations.discussion import moderation
from consultations.models import Flag, ModerationAction, ModerationActionKind, Proposal
from tests.consultations.factories import ResidentFactory, coordination_office_user

from .discussion_helpers import en
from .factories import CommentFactory, FlagFactory, open_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = coordination_office_user()
    client.force_login(user)
    return user


def test_unblocking_is_logged_with_the_moderator_and_the_reason(client, moderator):
    target = ResidentFactory(blocked_at=timezone.now(), blocked_reason="Beleidigungen")

    client.post(
        en("consultations:moderation_user", pk=target.pk, action="unblock"),
        {"reason": "Einsicht gezeigt"},
    )

    target.refresh_from_db()
    assert not target.is_blocked
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.target_user, entry.reason) == (
        ModerationActionKind.UNBLOCK_USER,
        moderator,
        target,
        "Einsicht gezeigt",
    )


def test_an_unblocking_needs_no_reason_and_logs_none_when_given_none(client, moderator):
    target = ResidentFactory(blocked_at=timezone.now(), blocked_reason="Beleidigungen")

    response = client.post(
        en("consultations:moderation_user", pk=target.pk, action="unblock"), {"reason": ""}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_blocked
    other = ResidentFactory(blocked_at=timezone.now(), blocked_reason="Spam")
    moderation.user_unblock(actor=moderator, user=other)
    assert list(ModerationAction.objects.values_list("reason", flat=True)) == ["", ""]


def test_dismissing_the_reports_of_a_proposal_keeps_it_and_logs_who_and_why(client, moderator):
    proposal = open_proposal(title="Mehr Sprachkurse am Abend")
    FlagFactory(proposal=proposal)
    FlagFactory(proposal=proposal)

    response = client.post(
        en("consultations:moderation_proposal", pk=proposal.pk, action="dismiss"),
        {"reason": "Sachlicher Vorschlag"},
    )

    assert response.status_code == 302
    assert not Proposal.objects.get(pk=proposal.pk).is_hidden
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"dismissed"}
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.proposal, entry.reason, entry.flags_resolved) == (
        ModerationActionKind.DISMISS_FLAGS,
        moderator,
        proposal,
        "Sachlicher Vorschlag",
        2,
    )


def test_dismissing_the_reports_of_a_comment_logs_the_reason_and_without_one_none(moderator):
    comment = CommentFactory(proposal=open_proposal())
    FlagFactory(comment=comment)

    with_reason = moderation.flags_dismiss(actor=moderator, comment=comment, reason="Sachlich")
    FlagFactory(proposal=comment.proposal)
    without = moderation.flags_dismiss(actor=moderator, proposal=comment.proposal)

    assert (with_reason.comment, with_reason.reason, with_reason.flags_resolved) == (
        comment,
        "Sachlich",
        1,
    )
    assert (without.proposal, without.reason, without.flags_resolved) == (comment.proposal, "", 1)


def test_dismissing_needs_exactly_one_of_proposal_and_comment(moderator):
    comment = CommentFactory(proposal=open_proposal())

    with pytest.raises(ValueError, match=r"^pass exactly one of proposal and comment$"):
        moderation.flags_dismiss(actor=moderator)
    with pytest.raises(ValueError, match=r"^pass exactly one of proposal and comment$"):
        moderation.flags_dismiss(actor=moderator, proposal=comment.proposal, comment=comment)
