"""The moderation queues (foundation.moderation.open_flag_groups, open_flags_by_target and
FlagGroup, through the forums' and the consultations' queue pages): one entry per reported
object, the one whose first open report is oldest first whatever was written first, a page at
a time; each entry lists its own open reports only and the reasons most frequent first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Flag
from forums.models import PostFlag
from forums.selectors import QUEUE_PER_PAGE
from foundation.moderation import open_flag_groups, open_flags_by_target
from tests.consultations.discussion.factories import CommentFactory, FlagFactory, open_proposal
from tests.consultations.factories import ResidentFactory, coordination_office_user
from tests.forums.factories import PostFactory, ThreadFactory, open_forum

pytestmark = pytest.mark.django_db

SPAM = "Spam oder Werbung"
OFFENSIVE = "Beleidigend, diskriminierend oder hasserfüllt"


@pytest.fixture
def office(client):
    user = coordination_office_user()
    client.force_login(user)
    return user


def report(post, *, reason="spam", note="", minutes_ago=0, resolved=False, reporter=None):
    flag = PostFlag.objects.create(
        post=post, reporter=reporter or ResidentFactory(), reason=reason, note=note
    )
    changes = {"created_at": timezone.now() - timedelta(minutes=minutes_ago)}
    if resolved:
        changes.update(resolved_at=timezone.now(), resolution="dismissed")
    PostFlag.objects.filter(pk=flag.pk).update(**changes)
    return flag


def forum_queue(client, **params):
    response = client.get(reverse("forums:moderation_queue"), params)
    assert response.status_code == 200
    return response


def test_the_reasons_of_an_entry_are_listed_most_frequent_first(client, office):
    post = PostFactory(thread=ThreadFactory(forum=open_forum()))
    report(post, reason="offensive")
    report(post, reason="spam")
    report(post, reason="spam")

    response = forum_queue(client)

    [group] = response.context["groups"]
    assert group.reason_counts == [(SPAM, 2), (OFFENSIVE, 1)]
    assert f"{SPAM} (2), {OFFENSIVE} (1)" in response.content.decode()


def test_the_object_reported_first_comes_first_even_if_it_was_written_later(client, office):
    thread = ThreadFactory(forum=open_forum())
    written_first = PostFactory(thread=thread, body="Früher geschrieben")
    written_later = PostFactory(thread=thread, body="Später geschrieben")
    report(written_first, minutes_ago=5)
    report(written_later, minutes_ago=60)

    response = forum_queue(client)

    assert [group.post for group in response.context["groups"]] == [written_later, written_first]
    page = response.content.decode()
    assert page.index("Später geschrieben") < page.index("Früher geschrieben")


def test_the_second_page_lists_the_objects_reported_last(client, office):
    thread = ThreadFactory(forum=open_forum())
    reporter = ResidentFactory()
    posts = [PostFactory(thread=thread, body=f"Gemeldet Nummer {n}.") for n in range(21)]
    for n, post in enumerate(posts):
        report(post, reporter=reporter, minutes_ago=100 - n)  # posts[0] reported first
    assert len(posts) == QUEUE_PER_PAGE + 1

    first = forum_queue(client)
    second = forum_queue(client, page=2)

    assert [group.post for group in first.context["groups"]] == posts[:QUEUE_PER_PAGE]
    assert [group.post for group in second.context["groups"]] == posts[QUEUE_PER_PAGE:]
    assert second.context["page_obj"].number == 2
    page = second.content.decode()
    assert "Gemeldet Nummer 20." in page and "Gemeldet Nummer 0." not in page


def test_an_entry_lists_its_open_reports_only(client, office):
    post = PostFactory(thread=ThreadFactory(forum=open_forum()))
    report(post, reason="spam", note="Noch offen")
    report(post, reason="offensive", note="Schon erledigt", resolved=True)

    response = forum_queue(client)

    [group] = response.context["groups"]
    assert [flag.note for flag in group.flags] == ["Noch offen"]
    assert group.reason_counts == [(SPAM, 1)]
    page = response.content.decode()
    assert "„Noch offen“" in page and "Schon erledigt" not in page
    assert f"{SPAM} (1)" in page and OFFENSIVE not in page


def test_reported_proposals_and_comments_each_list_their_reports(client, office):
    proposal = open_proposal(title="Ein gemeldeter Vorschlag")
    comment = CommentFactory(proposal=open_proposal(), body="Ein gemeldeter Kommentar")
    FlagFactory(proposal=proposal, reason="spam", note="Werbung im Vorschlag")
    FlagFactory(comment=comment, reason="offensive", note="Beleidigung im Kommentar")

    response = client.get(reverse("consultations:moderation_queue"))

    assert response.status_code == 200
    groups = {(group.proposal or group.comment): group for group in response.context["groups"]}
    assert [flag.note for flag in groups[proposal].flags] == ["Werbung im Vorschlag"]
    assert groups[proposal].reason_counts == [(SPAM, 1)]
    assert [flag.note for flag in groups[comment].flags] == ["Beleidigung im Kommentar"]
    assert groups[comment].reason_counts == [(OFFENSIVE, 1)]
    page = response.content.decode()
    assert "„Werbung im Vorschlag“" in page and "„Beleidigung im Kommentar“" in page


def test_the_reports_fetched_for_a_page_are_those_of_its_objects_only():
    thread = ThreadFactory()
    on_the_page, on_the_next = PostFactory(thread=thread), PostFactory(thread=thread)
    mine = report(on_the_page, minutes_ago=10)
    report(on_the_next, minutes_ago=5)
    report(on_the_page, resolved=True)

    page_obj, rows = open_flag_groups(PostFlag, targets=["post_id"], page_number=1, per_page=1)
    found = open_flags_by_target(PostFlag.objects.all(), rows, targets=["post_id"])

    assert page_obj.paginator.count == 2
    assert [(row["post_id"], row["flag_count"]) for row in rows] == [(on_the_page.pk, 1)]
    assert found == {("post_id", on_the_page.pk): [mine]}


def test_the_consultation_queue_fetches_the_reports_of_its_page_only():
    proposal = open_proposal()
    comment = CommentFactory(proposal=proposal)
    older = FlagFactory(proposal=proposal)
    newer = FlagFactory(comment=comment)
    Flag.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    targets = ["proposal_id", "comment_id"]

    _page, rows = open_flag_groups(Flag, targets=targets, page_number=1, per_page=2)
    both = open_flags_by_target(Flag.objects.all(), rows, targets=targets)
    _page, rows = open_flag_groups(Flag, targets=targets, page_number=2, per_page=1)
    second = open_flags_by_target(Flag.objects.all(), rows, targets=targets)

    assert both == {("proposal_id", proposal.pk): [older], ("comment_id", comment.pk): [newer]}
    assert second == {("comment_id", comment.pk): [newer]}
