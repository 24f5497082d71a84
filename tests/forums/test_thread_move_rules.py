"""Moving a thread to another Handlungsfeld's forum, pinning it and hiding it, as the people
concerned see it: the forum overview's counts and latest activity of both forums, the log
entry (who, what, why), the refusals with their codes, the author's notice with the reason."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from forums import moderation, services
from forums.models import Forum, ForumModerationAction, Thread
from foundation.models import Notification
from tests.consultations.factories import HandlungsfeldFactory

from .factories import ForumFactory, ResidentFactory, coordination_office_user, open_forum

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<th scope="row"><a href="[^"]*">\d+\. (?P<name>[^<]+)</a>.*?</th>\s*'
    r"<td>(?P<threads>\d+)</td>\s*<td>(?P<posts>\d+)</td>\s*<td>(?P<latest>.*?)</td>",
    re.S,
)


@pytest.fixture
def bildung():
    return open_forum(handlungsfeld=HandlungsfeldFactory(name="Bildung", slug="bildung"))


@pytest.fixture
def arbeit(bildung):
    return ForumFactory(
        consultation=bildung.consultation,
        handlungsfeld=HandlungsfeldFactory(name="Arbeit", slug="arbeit"),
    )


def write_thread(forum, title, *, replies=0, last_post_at=None):
    """A thread written through the services (so the counters are the real ones), its last
    post dated `last_post_at` (in the thread and, where newer, in the forum)."""
    thread = services.thread_create(
        forum=forum, author=ResidentFactory(), title=title, body="Erster Beitrag"
    )
    for _ in range(replies):
        services.post_create(thread=thread, author=ResidentFactory(), body="Antwort")
    if last_post_at is not None:
        Thread.objects.filter(pk=thread.pk).update(last_post_at=last_post_at)
        latest = Thread.objects.filter(forum=forum, is_hidden=False).order_by("-last_post_at")
        Forum.objects.filter(pk=forum.pk).update(
            last_post_at=latest.values_list("last_post_at", flat=True)[0]
        )
    thread.refresh_from_db()
    return thread


def overview(client, forum):
    """The forum overview of the consultation as a reader sees it: per forum its threads,
    posts and the moment of its latest activity (the <time> datetime, or None)."""
    page = client.get(reverse("forums:forum_list", args=[forum.consultation.slug]))
    assert page.status_code == 200
    rows = {}
    for row in ROW.finditer(page.content.decode()):
        moment = re.search(r'<time datetime="([^"]+)">', row["latest"])
        if moment is None:
            assert "Noch keine Beiträge" in row["latest"]
        rows[row["name"]] = (
            int(row["threads"]),
            int(row["posts"]),
            moment.group(1) if moment else None,
        )
    return rows


def shown(moment):
    """How the overview writes a moment into its <time datetime=…>."""
    return date_filter(timezone.localtime(moment), "c")


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_the_source_forum_shows_its_latest_visible_thread_after_a_move_not_a_hidden_one(
    client, bildung, arbeit
):
    office = coordination_office_user()
    older = write_thread(bildung, "Sprachkurse", replies=1, last_post_at=days_ago(5))
    moving = write_thread(bildung, "Jobbörse", replies=2, last_post_at=days_ago(3))
    hidden = write_thread(bildung, "Werbung", last_post_at=days_ago(1))  # the newest of all
    moderation.thread_hide(actor=office, thread=hidden, reason="Werbung")
    write_thread(arbeit, "Ausbildung", last_post_at=days_ago(10))

    moderation.thread_move(actor=office, thread=moving, forum=arbeit, reason="Thema Arbeit")

    rows = overview(client, bildung)
    assert rows["Bildung"] == (1, 2, shown(older.last_post_at))
    assert rows["Arbeit"] == (2, 4, shown(moving.last_post_at))


def test_the_target_forum_keeps_its_own_newer_activity_when_an_older_thread_arrives(
    client, bildung, arbeit
):
    moving = write_thread(bildung, "Jobbörse", replies=1, last_post_at=days_ago(4))
    newest = write_thread(arbeit, "Ausbildung", last_post_at=days_ago(1))

    moderation.thread_move(
        actor=coordination_office_user(), thread=moving, forum=arbeit, reason="Thema Arbeit"
    )

    rows = overview(client, bildung)
    assert rows["Arbeit"] == (2, 3, shown(newest.last_post_at))
    assert rows["Bildung"] == (0, 0, None)


def test_a_thread_moved_into_an_empty_forum_becomes_its_latest_activity(client, bildung, arbeit):
    moving = write_thread(bildung, "Jobbörse", replies=1, last_post_at=days_ago(2))
    assert overview(client, bildung)["Arbeit"] == (0, 0, None)

    moderation.thread_move(
        actor=coordination_office_user(), thread=moving, forum=arbeit, reason="Thema Arbeit"
    )

    rows = overview(client, bildung)
    assert rows["Arbeit"] == (1, 2, shown(moving.last_post_at))
    assert rows["Bildung"] == (0, 0, None)


@pytest.mark.parametrize(
    "stored",
    [
        (0, 5),  # no thread counted: nothing to take away
        (2, 1),  # fewer posts counted than the moving thread has
    ],
)
def test_a_move_from_a_forum_whose_counters_are_behind_never_makes_them_negative(
    client, bildung, arbeit, stored
):
    """Counters that are behind (a repair, a race) stay as they are rather than go below zero;
    the thread moves all the same and is counted in its new forum."""
    moving = write_thread(bildung, "Jobbörse", replies=2)
    write_thread(bildung, "Sprachkurse")
    Forum.objects.filter(pk=bildung.pk).update(thread_count=stored[0], post_count=stored[1])

    moderation.thread_move(
        actor=coordination_office_user(), thread=moving, forum=arbeit, reason="Thema Arbeit"
    )

    rows = overview(client, bildung)
    assert rows["Bildung"][:2] == stored
    assert rows["Arbeit"][:2] == (1, 3)
    assert Thread.objects.get(pk=moving.pk).forum_id == arbeit.pk


def test_the_log_names_who_moved_the_thread_and_the_caller_sees_its_new_address(
    client, bildung, arbeit
):
    office = coordination_office_user()
    moving = write_thread(bildung, "Jobbörse")

    entry = moderation.thread_move(
        actor=office, thread=moving, forum=arbeit, reason="Passt zum Thema Arbeit."
    )

    stored = ForumModerationAction.objects.get(pk=entry.pk)
    assert (stored.actor, stored.action, stored.thread_id) == (office, "move_thread", moving.pk)
    assert stored.reason == "Von „Bildung“ nach „Arbeit“: Passt zum Thema Arbeit."
    address = services.thread_url(moving)  # the object the caller passed in
    assert address == reverse(
        "forums:thread_detail", args=[bildung.consultation.slug, "arbeit", moving.pk]
    )
    page = client.get(address)
    assert page.status_code == 200 and "Jobbörse" in page.content.decode()


@pytest.mark.parametrize(
    ("where", "code", "message"),
    [
        ("same", "same_forum", "Die Diskussion ist bereits in diesem Forum."),
        (
            "elsewhere",
            "other_consultation",
            "Eine Diskussion kann nur zwischen den Foren ihres Beteiligungsverfahrens "
            "verschoben werden.",
        ),
    ],
)
def test_a_refused_move_says_why_with_a_code_and_changes_nothing(
    client, bildung, arbeit, where, code, message
):
    moving = write_thread(bildung, "Jobbörse")
    target = bildung if where == "same" else open_forum()
    before = overview(client, bildung)

    with pytest.raises(ValidationError) as refused:
        moderation.thread_move(
            actor=coordination_office_user(), thread=moving, forum=target, reason="Ordnung"
        )

    [error] = refused.value.error_dict["forum"]
    assert (error.code, error.message) == (code, message)
    assert Thread.objects.get(pk=moving.pk).forum_id == bildung.pk
    assert overview(client, bildung) == before
    assert not ForumModerationAction.objects.exists()


def test_pinning_and_releasing_without_a_reason_log_no_reason(bildung):
    moderator = ResidentFactory()
    bildung.moderators.add(moderator)
    thread = write_thread(bildung, "Regeln für dieses Forum")

    moderation.thread_pin(actor=moderator, thread=thread)
    moderation.thread_unpin(actor=moderator, thread=thread)

    logged = ForumModerationAction.objects.filter(thread=thread).order_by("pk")
    assert [(e.action, e.reason, e.actor) for e in logged] == [
        ("pin_thread", "", moderator),
        ("unpin_thread", "", moderator),
    ]


def test_the_author_of_a_hidden_thread_is_told_the_reason(
    client, bildung, django_capture_on_commit_callbacks
):
    author = ResidentFactory(language="de", email="autor@example.org")
    thread = services.thread_create(
        forum=bildung, author=author, title="Günstige Kredite", body="Jetzt zugreifen"
    )

    with django_capture_on_commit_callbacks(execute=True):
        moderation.thread_hide(
            actor=coordination_office_user(), thread=thread, reason="  Werbung für Kredite  "
        )

    notice = Notification.objects.get(recipient=author)
    assert "„Günstige Kredite“" in notice.body
    assert "Grund: Werbung für Kredite" in notice.body
    [message] = [m for m in mail.outbox if m.to == ["autor@example.org"]]
    assert "Grund: Werbung für Kredite" in message.body
    client.force_login(author)
    page = client.get(notice.url)
    assert page.status_code == 200 and "Werbung für Kredite" in page.content.decode()
