"""The public forum pages: content, links, and query counts that do not grow with the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import Proposal
from forums.models import Forum, Thread

from .factories import (
    ForumEventFactory,
    ForumFactory,
    PostFactory,
    ResidentFactory,
    ThreadFactory,
    coordination_office_user,
    forum_url,
    open_forum,
    thread_url,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    """Queries of one GET after a warm-up GET (the layout caches its navigation)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def overview_url(consultation) -> str:
    with translation.override("en"):
        return reverse("forums:forum_list", args=[consultation.slug])


def events_url(consultation) -> str:
    with translation.override("en"):
        return reverse("forums:event_list", args=[consultation.slug])


def grow(forum, *, threads: int, posts_per_thread: int) -> None:
    for _ in range(threads):
        thread = ThreadFactory(forum=forum)
        for _ in range(posts_per_thread):
            PostFactory(thread=thread)


def test_overview_lists_fields_with_counters_and_latest_thread(client):
    forum = open_forum()
    other = ForumFactory(consultation=forum.consultation)
    thread = ThreadFactory(forum=forum, title="Abendkurse in Laatzen")
    page = client.get(overview_url(forum.consultation)).content.decode()
    assert forum.handlungsfeld.name in page and other.handlungsfeld.name in page
    assert "Abendkurse in Laatzen" in page
    assert thread_url(thread) in page
    assert "No posts yet" in page  # the other forum


@pytest.mark.parametrize("role", ["visitor", "resident", "coordination"])
def test_query_counts_do_not_grow_with_the_data(client, role, django_assert_max_num_queries):
    if role == "resident":
        client.force_login(ResidentFactory())
    elif role == "coordination":
        client.force_login(coordination_office_user())
    forum = open_forum()
    ForumFactory(consultation=forum.consultation)
    grow(forum, threads=1, posts_per_thread=1)
    ForumEventFactory(consultation=forum.consultation)
    thread = Thread.objects.filter(forum=forum).first()
    urls = {
        "overview": overview_url(forum.consultation),
        "forum": forum_url(forum),
        "thread": thread_url(thread),
        "events": events_url(forum.consultation),
    }
    small = {name: count_queries(client, url) for name, url in urls.items()}

    for _ in range(4):
        ForumFactory(consultation=forum.consultation)
    grow(forum, threads=30, posts_per_thread=2)
    for _ in range(25):
        PostFactory(thread=thread)
    for _ in range(6):
        ForumEventFactory(consultation=forum.consultation)
    for name, url in urls.items():
        client.get(url)
        with django_assert_max_num_queries(small[name]):
            assert client.get(url).status_code == 200
        # A fixed budget per page (the thread page: 2 more since it lists the proposals made
        # from it and remembers that the reader has read it; signed in, 1 more for the
        # forums the person moderates).
        assert small[name] <= 21, (name, url)


def test_thread_list_is_paginated_newest_activity_first_with_markers(client):
    forum = open_forum()
    quiet = ThreadFactory(forum=forum, title="Ruhiges Thema")
    busy = ThreadFactory(forum=forum, title="Belebtes Thema", is_locked=True)
    client.force_login(ResidentFactory())
    client.post(
        thread_url(busy).replace(f"/{busy.pk}/", f"/{busy.pk}/antworten/"), {"body": "x"}
    )  # locked: refused
    Thread.objects.filter(pk=quiet.pk).update(last_post_at=quiet.last_post_at.replace(year=2020))
    page = client.get(forum_url(forum)).content.decode()
    assert page.index("Belebtes Thema") < page.index("Ruhiges Thema")
    assert ">locked<" in page
    grow(forum, threads=30, posts_per_thread=0)
    second = client.get(forum_url(forum) + "?page=2").content.decode()
    assert "Ruhiges Thema" in second


def test_turn_a_thread_into_a_proposal_prefills_field_and_source(client):
    forum = open_forum()
    forum.consultation.handlungsfelder.add(forum.handlungsfeld)
    thread = ThreadFactory(forum=forum, title="Mehr Sprachcafés")
    user = ResidentFactory()
    client.force_login(user)
    page = client.get(thread_url(thread)).content.decode()
    assert "Turn this into a proposal" in page
    link = f"handlungsfeld={forum.handlungsfeld.slug}&amp;thread={thread.pk}"
    assert link in page
    with translation.override("en"):
        create = reverse("consultations:proposal_create", args=[forum.consultation.slug])
    form_page = client.get(
        f"{create}?handlungsfeld={forum.handlungsfeld.slug}&thread={thread.pk}"
    ).content.decode()
    assert f'<option value="{thread.pk}" selected>' in form_page
    assert f'<option value="{forum.handlungsfeld.pk}" selected>' in form_page

    response = client.post(
        create,
        {
            "kind": "goal",
            "title": "Sprachcafés in allen Kommunen",
            "body": "Offene Treffen zum Deutschlernen.",
            "handlungsfeld": forum.handlungsfeld.pk,
            "scope": "region",
            "source_thread": thread.pk,
            "publish": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Proposal.objects.get().source_thread == thread

    # The thread now links to the proposal made from it.
    proposal = Proposal.objects.get()
    thread_page = client.get(thread_url(thread)).content.decode()
    with translation.override("en"):
        detail = reverse(
            "consultations:proposal_detail", args=[forum.consultation.slug, proposal.pk]
        )
    assert "Proposals from this thread" in thread_page
    assert f'<a href="{detail}">Sprachcafés in allen Kommunen</a>' in thread_page


def test_a_hidden_proposal_is_not_linked_from_its_thread(client):
    from tests.consultations.factories import ProposalFactory

    forum = open_forum()
    thread = ThreadFactory(forum=forum, title="Mehr Sprachcafés")
    ProposalFactory(
        consultation=forum.consultation, source_thread=thread, title="Versteckt", is_hidden=True
    )
    ProposalFactory(consultation=forum.consultation, source_thread=thread, title="Sichtbar")
    page = client.get(thread_url(thread)).content.decode()
    assert "Sichtbar" in page and "Versteckt" not in page


def test_consultation_and_home_pages_link_to_the_forums(client):
    from demo.loader import load_demo, read_data

    small = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"
    ctx = load_demo(
        data=read_data(small),
        log=lambda message: None,
        only=[
            "municipalities",
            "handlungsfelder",
            "departments",
            "consultations",
            "forum_events",
            "forums",
            "pages",
        ],
    )
    forums_link = f'href="{overview_url(ctx.demo_consultation)}"'
    consultation_page = client.get("/en/fortschreibung-2027/").content.decode()
    assert forums_link in consultation_page
    home = client.get("/en/").content.decode()
    assert forums_link in home
    event = ctx.demo_consultation.forum_events.first()
    with translation.override("en"):
        assert (
            reverse("forums:event_detail", args=[event.consultation.slug, event.slug])
            in consultation_page
        )
    assert Forum.objects.filter(consultation=ctx.demo_consultation).exists()


def test_threads_with_posts_one_has_not_read_are_marked_new(client):
    from forums.models import ThreadVisit
    from forums.services import thread_read
    from foundation.services import account_delete

    forum = open_forum()
    read = ThreadFactory(forum=forum, title="Gelesen")
    fresh = ThreadFactory(forum=forum, title="Ungelesen")
    reader = ResidentFactory()
    client.force_login(reader)
    client.get(thread_url(read))  # reading it marks it read
    page = client.get(forum_url(forum, lang="de")).content.decode()
    new = '<span class="badge badge--new">neue Beiträge</span>'
    assert page.count(new) == 1
    assert page.index("Ungelesen") < page.index(new) < page.index("Gelesen")
    # A new post in the read thread makes it new again; reading it clears the mark.
    PostFactory(thread=read, body="Noch eine Antwort")
    read.refresh_from_db()
    type(read).objects.filter(pk=read.pk).update(last_post_at=timezone.now())
    assert client.get(forum_url(forum, lang="de")).content.decode().count(new) == 2
    thread_read(user=reader, thread=read)
    thread_read(user=reader, thread=fresh)
    assert new not in client.get(forum_url(forum, lang="de")).content.decode()
    assert client.get(forum_url(forum, lang="de")).status_code == 200
    client.logout()
    assert new not in client.get(forum_url(forum, lang="de")).content.decode()  # visitors: none
    account_delete(user=reader)
    assert not ThreadVisit.objects.filter(user=reader).exists()
