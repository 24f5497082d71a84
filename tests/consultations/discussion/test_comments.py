"""Comments on proposals: post, reply one level deep, edit, soft delete, paging, counters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.discussion import services as discussion
from consultations.models import Comment, Proposal, ProposalStatus
from tests.consultations.factories import ResidentFactory

from .discussion_helpers import detail_url, en
from .factories import CommentFactory, open_proposal

pytestmark = pytest.mark.django_db


def post_comment(client, proposal, body, parent=None):
    data = {"body": body}
    if parent is not None:
        data["parent"] = parent.pk
    return client.post(en("consultations:comment_create", proposal_pk=proposal.pk), data)


def test_resident_comments_and_lands_on_the_anchor_of_the_new_comment(client):
    proposal = open_proposal()
    resident = ResidentFactory(display_name="Aylin")
    client.force_login(resident)

    response = post_comment(client, proposal, "  Bitte auch abends anbieten.  ")

    comment = Comment.objects.get()
    assert comment.body == "Bitte auch abends anbieten."
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(detail_url(proposal)).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "Bitte auch abends anbieten." in page and "Aylin" in page
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1


def test_a_double_click_does_not_create_two_comments(client):
    proposal = open_proposal()
    client.force_login(ResidentFactory())

    post_comment(client, proposal, "Gleicher Text")
    post_comment(client, proposal, "Gleicher Text")

    assert Comment.objects.count() == 1
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1


def test_a_reply_to_a_reply_joins_the_top_level_thread(client):
    proposal = open_proposal()
    top = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=top)
    client.force_login(ResidentFactory())

    response = post_comment(client, proposal, "Antwort auf die Antwort", parent=reply)

    new = Comment.objects.get(body="Antwort auf die Antwort")
    assert new.parent_id == top.pk
    assert response["Location"].endswith(f"#comment-{new.pk}")


def test_author_edits_own_comment_and_readers_see_when(client):
    proposal = open_proposal()
    comment = CommentFactory(proposal=proposal, body="Tippfeler")
    client.force_login(comment.author)

    response = client.post(
        en("consultations:comment_edit", pk=comment.pk), {"body": "Tippfehler korrigiert"}
    )

    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "Tippfehler korrigiert" and comment.edited_at is not None
    page = client.get(detail_url(proposal)).content.decode()
    assert "edited on" in page


def test_deleted_comment_leaves_a_marker_and_keeps_the_thread(client):
    proposal = open_proposal()
    top = CommentFactory(proposal=proposal, body="Geheimer Ursprungstext")
    reply = CommentFactory(proposal=proposal, parent=top, body="Die Antwort bleibt lesbar")
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=2)
    client.force_login(top.author)

    client.post(en("consultations:comment_delete", pk=top.pk))

    top.refresh_from_db()
    assert (
        top.deleted_at is not None and top.body == "Geheimer Ursprungstext"
    )  # kept in the database
    page = client.get(detail_url(proposal)).content.decode()
    assert "This comment was deleted by its author." in page
    assert "Geheimer Ursprungstext" not in page
    assert reply.body in page
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
    # deleting twice changes nothing
    client.post(en("consultations:comment_delete", pk=top.pk))
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1


def test_comment_count_counts_visible_comments_only():
    proposal = open_proposal()
    alice, bob = ResidentFactory(), ResidentFactory()
    first = discussion.comment_create(proposal=proposal, author=alice, body="eins")
    discussion.comment_create(proposal=proposal, author=bob, body="zwei", parent=first)
    discussion.comment_create(proposal=proposal, author=bob, body="drei")
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 3

    discussion.comment_delete(comment=first, user=alice)

    assert Proposal.objects.get(pk=proposal.pk).comment_count == 2


def test_comments_are_paginated_twenty_top_level_per_page(client):
    proposal = open_proposal()
    comments = [
        CommentFactory(proposal=proposal, body=f"Beitrag Nummer {i:02d}") for i in range(25)
    ]

    first = client.get(detail_url(proposal)).content.decode()
    second = client.get(detail_url(proposal) + "?comments_page=2").content.decode()

    assert (
        "Beitrag Nummer 00" in first
        and "Beitrag Nummer 19" in first
        and "Beitrag Nummer 20" not in first
    )
    assert "Beitrag Nummer 24" in second and "Beitrag Nummer 00" not in second
    assert "?comments_page=2#comments" in first
    # a new comment on the second page redirects to that page
    client.force_login(ResidentFactory())
    response = post_comment(client, proposal, "Ganz neu")
    assert "?comments_page=2#comment-" in response["Location"]
    assert comments


def _discussion_queries(client, django_assert_max_num_queries, proposal, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(proposal))
    assert response.status_code == 200
    return len(queries)


def test_the_discussion_needs_a_fixed_number_of_queries_whatever_its_size(
    client, django_assert_max_num_queries
):
    client.force_login(ResidentFactory())
    small = open_proposal()
    top = CommentFactory(proposal=small)
    CommentFactory(proposal=small, parent=top)
    busy = open_proposal()
    for _ in range(30):
        parent = CommentFactory(proposal=busy)
        for _ in range(4):
            CommentFactory(proposal=busy, parent=parent)

    few = _discussion_queries(client, django_assert_max_num_queries, small, 40)
    many = _discussion_queries(client, django_assert_max_num_queries, busy, 40)

    assert many == few


def test_closed_phase_shows_why_and_refuses_comments(client):
    proposal = open_proposal()
    for phase in proposal.consultation.phases.all():  # through save(), as the admin does
        phase.starts_at, phase.ends_at = (
            timezone.now() - timedelta(days=2),
            timezone.now() - timedelta(minutes=1),
        )
        phase.save()
    client.force_login(ResidentFactory())

    page = client.get(detail_url(proposal)).content.decode()
    response = post_comment(client, proposal, "Zu spät, aber wichtig")

    assert "Comments are only possible while the consultation" in page
    assert 'id="comment-new-body"' not in page
    assert response.status_code == 400
    assert "Zu spät, aber wichtig" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"is_locked": True}, "locked this proposal"),
        ({"status": ProposalStatus.WITHDRAWN}, "withdrawn by its author"),
        ({"is_hidden": True, "hidden_reason": "Spam"}, "hidden by the moderation"),
    ],
)
def test_no_comments_on_locked_withdrawn_or_hidden_proposals(client, change, message):
    proposal = open_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(**change)
    client.force_login(ResidentFactory())

    response = post_comment(client, proposal, "Mein sorgfältig getippter Text")

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Mein sorgfältig getippter Text" in html
    assert not Comment.objects.exists()
