"""Why a proposal takes no new comments: the exact sentence a person reads, and which reason
wins when a proposal is in several states at once (hidden before withdrawn before merged before
locked), through the discussion service and the page."""

from __future__ import annotations

import pytest
from django.utils import translation

from consultations.discussion import services as discussion
from consultations.models import Comment, Proposal, ProposalStatus
from tests.consultations.factories import ResidentFactory

from .discussion_helpers import en
from .factories import open_proposal

pytestmark = pytest.mark.django_db

HIDDEN = "This proposal was hidden by the moderation; it cannot be commented on."
WITHDRAWN = "This proposal was withdrawn by its author; the discussion is closed."
MERGED = "This proposal was merged into another one; please continue the discussion there."
LOCKED = "The moderation has locked this proposal; no new comments can be written."

HIDDEN_DE = (
    "Dieser Vorschlag wurde von der Moderation ausgeblendet; er kann nicht kommentiert werden."
)


def proposal_in(**state):
    proposal = open_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(**state)
    return Proposal.objects.get(pk=proposal.pk)


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({}, None),
        ({"is_locked": True}, LOCKED),
        ({"status": ProposalStatus.MERGED}, MERGED),
        ({"status": ProposalStatus.WITHDRAWN}, WITHDRAWN),
        ({"is_hidden": True, "hidden_reason": "Spam"}, HIDDEN),
        # several at once: the first reason in this order is the one given
        ({"status": ProposalStatus.MERGED, "is_locked": True}, MERGED),
        ({"status": ProposalStatus.WITHDRAWN, "is_locked": True}, WITHDRAWN),
        ({"is_hidden": True, "status": ProposalStatus.WITHDRAWN}, HIDDEN),
        ({"is_hidden": True, "status": ProposalStatus.MERGED, "is_locked": True}, HIDDEN),
    ],
)
def test_the_reason_a_resident_reads_and_which_one_wins(state, reason):
    proposal = proposal_in(**state)
    resident = ResidentFactory()

    with translation.override("en"):
        assert discussion.comment_refusal(proposal=proposal, user=resident) == reason


def test_the_reason_is_german_by_default():
    proposal = proposal_in(is_hidden=True, hidden_reason="Spam")

    with translation.override("de"):
        assert discussion.comment_refusal(proposal=proposal, user=ResidentFactory()) == HIDDEN_DE


def test_a_merged_proposal_refuses_the_comment_and_keeps_the_text(client):
    proposal = proposal_in(status=ProposalStatus.MERGED)
    client.force_login(ResidentFactory())

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk),
        {"body": "Das gehört doch zusammen"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert MERGED in html
    assert "Das gehört doch zusammen" in html
    assert not Comment.objects.exists()
