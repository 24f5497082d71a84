"""Moderation by the coordination office: queue, hide/unhide, lock, block, dismiss, log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consultations.discussion import moderation
from consultations.discussion import services as discussion
from consultations.models import Comment, Flag, ModerationAction, ModerationActionKind, Proposal
from tests.consultations.factories import ResidentFactory, coordination_office_user

from .discussion_helpers import count_queries, detail_url, en
from .factories import CommentFactory, FlagFactory, open_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = coordination_office_user()
    client.force_login(user)
    return user


def test_queue_groups_open_flags_per_object_oldest_first(client, moderator):
    older = CommentFactory(proposal=open_proposal(), body="Beleidigender Kommentar")
    newer = open_proposal(title="Werbung für ein Produkt")
    FlagFactory(comment=older, reason="offensive")
    FlagFactory(comment=older, reason="offensive", note="Bitte prüfen")
    FlagFactory(comment=older, reason="spam")
    FlagFactory(proposal=newer, reason="spam")
    FlagFactory(
        proposal=newer, reason="spam", resolved_at=older.created_at
    )  # resolved: not counted

    response = client.get(en("consultations:moderation_queue"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Beleidigender Kommentar") < html.index("Werbung für ein Produkt")
    groups = response.context["groups"]
    assert [group.flag_count for group in groups] == [3, 1]
    assert groups[0].reason_counts[0][1] == 2
    assert "Bitte prüfen" in html
    assert "3 open reports" in html


def _flagged_and_hidden_comments(moderator, number):
    for _ in range(number):
        comment = CommentFactory(proposal=open_proposal())
        FlagFactory(comment=comment)
        FlagFactory(comment=comment)
        FlagFactory(proposal=comment.proposal)
        moderation.comment_hide(actor=moderator, comment=comment, reason="Beleidigung")
        moderation.user_block(actor=moderator, user=comment.author, reason="Beleidigung")


def test_queue_log_and_blocked_list_need_a_fixed_number_of_queries(
    client, moderator, django_assert_max_num_queries
):
    pages = [
        en("consultations:moderation_queue"),
        en("consultations:moderation_log"),
        en("consultations:moderation_blocked"),
    ]
    _flagged_and_hidden_comments(moderator, 1)
    few = [count_queries(client, url) for url in pages]
    _flagged_and_hidden_comments(moderator, 15)

    for url, before in zip(pages, few, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url).status_code == 200
        assert before <= 20


def test_hiding_a_comment_needs_a_reason_and_keeps_what_was_typed(client, moderator):
    comment = CommentFactory(proposal=open_proposal())
    url = en("consultations:moderation_comment", pk=comment.pk, action="hide")

    empty = client.post(url, {"reason": "  "})
    too_long = client.post(url, {"reason": "Grund " * 500})

    assert empty.status_code == 400
    assert "Please give a reason" in empty.content.decode()
    assert too_long.status_code == 400 and ("Grund " * 500).strip() in too_long.content.decode()
    assert not Comment.objects.get(pk=comment.pk).is_hidden
    assert not ModerationAction.objects.exists()


def test_hidden_comment_shows_the_reason_in_place_and_leaves_the_count(client, moderator):
    proposal = open_proposal()
    author = ResidentFactory()
    comment = discussion.comment_create(proposal=proposal, author=author, body="Du bist ein ...")
    FlagFactory(comment=comment)

    response = client.post(
        en("consultations:moderation_comment", pk=comment.pk, action="hide"),
        {"reason": "Beleidigung einer Person", "next": detail_url(proposal)},
    )

    assert response.status_code == 302 and response["Location"] == detail_url(proposal)
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 0
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    client.logout()
    page = client.get(detail_url(proposal)).content.decode()
    assert "Hidden by the moderation: Beleidigung einer Person" in page
    assert "Du bist ein ..." not in page

    moderation.comment_unhide(actor=moderator, comment=Comment.objects.get(pk=comment.pk))
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
    assert "Du bist ein ..." in client.get(detail_url(proposal)).content.decode()


def test_hiding_a_proposal_resolves_its_flags_and_is_logged(client, moderator):
    proposal = open_proposal()
    FlagFactory(proposal=proposal)

    client.post(
        en("consultations:moderation_proposal", pk=proposal.pk, action="hide"),
        {"reason": "Werbung"},
    )

    proposal.refresh_from_db()
    assert proposal.is_hidden and proposal.hidden_reason == "Werbung"
    action = ModerationAction.objects.get()
    assert (action.actor, action.action, action.proposal, action.flags_resolved) == (
        moderator,
        ModerationActionKind.HIDE_PROPOSAL,
        proposal,
        1,
    )
    log = client.get(en("consultations:moderation_log")).content.decode()
    assert "Proposal hidden" in log and "Werbung" in log


def test_locked_proposal_takes_no_comments_and_no_supports(client, moderator):
    from consultations.proposals import services

    proposal = open_proposal()
    client.post(
        en("consultations:moderation_proposal", pk=proposal.pk, action="lock"), {"reason": ""}
    )
    proposal.refresh_from_db()
    assert proposal.is_locked

    resident = ResidentFactory()
    client.force_login(resident)
    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk), {"body": "Noch was"}
    )
    assert "locked this proposal" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.support_add(proposal=proposal, user=resident)
    assert refused.value.messages

    moderation.proposal_unlock(actor=moderator, proposal=proposal)
    discussion.comment_create(
        proposal=Proposal.objects.get(pk=proposal.pk), author=resident, body="Jetzt geht es"
    )


def test_blocking_needs_a_reason_and_stops_posting(client, moderator):
    target = ResidentFactory()
    url = en("consultations:moderation_user", pk=target.pk, action="block")

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Please give a reason" in refused.content.decode()

    client.post(url, {"reason": "Wiederholte Beleidigungen"})
    target.refresh_from_db()
    assert target.is_blocked and target.blocked_reason == "Wiederholte Beleidigungen"
    blocked_page = client.get(en("consultations:moderation_blocked")).content.decode()
    assert target.email in blocked_page

    client.post(
        en("consultations:moderation_user", pk=target.pk, action="unblock"),
        {"reason": "Einsicht gezeigt"},
    )
    target.refresh_from_db()
    assert not target.is_blocked
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        "unblock_user",
        "block_user",
    ]


def test_moderators_cannot_block_themselves_or_colleagues(client, moderator):
    colleague = coordination_office_user()

    response = client.post(
        en("consultations:moderation_user", pk=colleague.pk, action="block"), {"reason": "Test"}
    )

    assert response.status_code == 400 and "cannot be blocked here" in response.content.decode()
    colleague.refresh_from_db()
    assert not colleague.is_blocked


def test_dismissing_flags_keeps_the_content(client, moderator):
    comment = CommentFactory(proposal=open_proposal())
    FlagFactory(comment=comment)
    FlagFactory(comment=comment)

    client.post(
        en("consultations:moderation_comment", pk=comment.pk, action="dismiss"),
        {"reason": "Sachlich"},
    )

    assert not Comment.objects.get(pk=comment.pk).is_hidden
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"dismissed"}
    assert ModerationAction.objects.get().flags_resolved == 2
    assert (
        "There are no open reports"
        in client.get(en("consultations:moderation_queue")).content.decode()
    )


def test_unknown_action_is_not_found(client, moderator):
    comment = CommentFactory(proposal=open_proposal())
    assert (
        client.get(en("consultations:moderation_comment", pk=comment.pk, action="lock")).status_code
        == 404
    )


def test_staff_link_in_the_header_only_for_the_coordination_office(client, moderator):
    html = client.get(en("consultations:moderation_queue")).content.decode()
    assert en("consultations:moderation_queue") in html and en("consultations:export_list") in html

    client.force_login(ResidentFactory())
    proposal = open_proposal()
    assert (
        en("consultations:moderation_queue")
        not in client.get(detail_url(proposal)).content.decode()
    )


@pytest.mark.parametrize("role", ["visitor", "unverified", "resident"])
@pytest.mark.parametrize(
    "name_kwargs",
    [
        ("consultations:moderation_queue", {}),
        ("consultations:moderation_log", {}),
        ("consultations:moderation_blocked", {}),
        ("consultations:export_list", {}),
    ],
)
def test_staff_pages_are_closed_to_everybody_else(client, role, name_kwargs):
    from .factories import unverified_user

    if role == "unverified":
        client.force_login(unverified_user())
    elif role == "resident":
        client.force_login(ResidentFactory())
    name, kwargs = name_kwargs

    response = client.get(en(name, **kwargs))

    if role == "visitor":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["visitor", "resident", "author"])
def test_moderation_actions_are_refused_to_non_staff(client, role):
    proposal = open_proposal()
    comment = CommentFactory(proposal=proposal)
    if role == "resident":
        client.force_login(ResidentFactory())
    elif role == "author":
        client.force_login(comment.author)

    responses = [
        client.post(
            en("consultations:moderation_comment", pk=comment.pk, action="hide"), {"reason": "x"}
        ),
        client.post(
            en("consultations:moderation_proposal", pk=proposal.pk, action="lock"), {"reason": "x"}
        ),
        client.post(
            en("consultations:moderation_user", pk=comment.author_id, action="block"),
            {"reason": "x"},
        ),
    ]

    expected = 302 if role == "visitor" else 403
    assert [response.status_code for response in responses] == [expected] * 3
    assert not ModerationAction.objects.exists()
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_a_hidden_proposal_takes_its_discussion_with_it_except_for_moderators(client, moderator):
    proposal = open_proposal()
    CommentFactory(proposal=proposal, body="Kommentar unter Spam")
    moderation.proposal_hide(actor=moderator, proposal=proposal, reason="Spam")

    assert "Kommentar unter Spam" in client.get(detail_url(proposal)).content.decode()
    client.logout()
    page = client.get(detail_url(proposal)).content.decode()
    assert "Kommentar unter Spam" not in page
    assert "The comments are hidden together with the proposal." in page
