"""Following and digests, as a resident meets them: the follow button, news at once or in a
digest (never twice), the one-click unsubscribe in every such e-mail, and what supporting,
replying and deleting the account do to what one follows."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations.proposals.models import Proposal
from forums.models import Thread
from foundation import following
from foundation.models import (
    Digest,
    Follow,
    FollowOrigin,
    News,
    NewsFrequency,
    NewsKind,
    NewsPreference,
    Notification,
    OutboxMessage,
)
from tests.consultations.factories import ProposalFactory, open_consultation
from tests.forums.factories import ResidentFactory, ThreadFactory, open_forum, reply_url, thread_url

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args or None)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(text: str) -> list[str]:
    return [word for word in text.split() if word.startswith("http")]


def choose(user, kind: str, frequency: str) -> None:
    following.set_frequencies(user=user, chosen={kind: frequency})


@pytest.fixture
def thread():
    return ThreadFactory(forum=open_forum())


def reply(client: Client, thread: Thread, author, text: str, capture) -> None:
    client.force_login(author)
    with capture(execute=True):
        response = client.post(reply_url(thread), {"body": text})
    assert response.status_code == 302, response.content[:500]
    client.logout()


# --- The follow button ---------------------------------------------------------------------------


def test_a_resident_follows_a_thread_with_its_button_and_stops_again(client, thread):
    resident = ResidentFactory()
    client.force_login(resident)
    page = client.get(thread_url(thread)).content.decode()
    assert 'name="action" value="follow"' in page
    token = following.target_token(thread)
    assert f'value="{token}"' in page

    response = client.post(
        en("foundation:follow_toggle"),
        {"target": token, "action": "follow", "next": thread_url(thread)},
    )
    assert response.status_code == 302 and response["Location"] == thread_url(thread)
    assert following.is_following(user=resident, target=thread)
    page = client.get(thread_url(thread)).content.decode()
    assert 'name="action" value="unfollow"' in page
    assert "You now follow" in page

    client.post(en("foundation:follow_toggle"), {"target": token, "action": "unfollow"})
    assert not following.is_following(user=resident, target=thread)


def test_a_visitor_is_asked_to_sign_in_and_a_forged_target_is_refused(client, thread):
    page = client.get(thread_url(thread)).content.decode()
    assert "Sign in to follow" in page
    response = client.post(en("foundation:follow_toggle"), {"target": "x", "action": "follow"})
    assert response.status_code == 302 and "/login/" in response["Location"]

    client.force_login(ResidentFactory())
    forged = following.target_token(thread)[:-2] + "xx"
    assert client.post(en("foundation:follow_toggle"), {"target": forged}).status_code == 404
    assert not Follow.objects.exists()


def test_what_is_not_public_cannot_be_followed_and_the_person_is_told(client, thread):
    resident = ResidentFactory()
    client.force_login(resident)
    token = following.target_token(thread)  # the button was on the page before the hiding
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    response = client.post(
        en("foundation:follow_toggle"), {"target": token, "action": "follow"}, follow=True
    )
    assert "This cannot be followed: it is not public." in response.content.decode()
    assert not Follow.objects.exists()

    proposal = ProposalFactory(consultation=open_consultation())
    proposal.consultation.is_published = False
    proposal.consultation.save()
    client.post(en("foundation:follow_toggle"), {"target": following.target_token(proposal)})
    assert not Follow.objects.exists()


def test_the_follow_page_lists_what_one_follows_with_links_that_open_it(client, thread):
    resident = ResidentFactory()
    following.follow(user=resident, target=thread)
    following.follow(user=resident, target=thread.forum)
    client.force_login(resident)
    page = client.get(en("foundation:following")).content.decode()
    assert thread.title in page and thread.get_absolute_url() in page
    assert thread.forum.get_absolute_url() in page
    opened = client.get(thread.get_absolute_url())
    assert opened.status_code == 200 and thread.title in opened.content.decode()


def test_frequencies_are_chosen_per_kind_and_a_wrong_value_keeps_the_old_ones(client):
    resident = ResidentFactory()
    client.force_login(resident)
    chosen = dict.fromkeys(NewsKind.values, NewsFrequency.WEEKLY)
    chosen["forums"] = NewsFrequency.NONE
    assert client.post(en("foundation:following"), chosen).status_code == 302
    assert following.frequencies(resident)["forums"] == "none"
    assert following.frequencies(resident)["events"] == "weekly"

    chosen["forums"] = "hourly"
    response = client.post(en("foundation:following"), chosen)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert following.frequencies(resident)["forums"] == "none"


# --- News at once --------------------------------------------------------------------------------


def test_a_follower_who_chose_at_once_gets_the_reply_once_with_a_link_to_the_post(
    client, thread, django_capture_on_commit_callbacks
):
    follower = ResidentFactory()
    following.follow(user=follower, target=thread)
    choose(follower, "forums", NewsFrequency.IMMEDIATE)
    mail.outbox.clear()
    replier = ResidentFactory(display_name="Ayşe")
    reply(
        client,
        thread,
        replier,
        "Im Stadtteilzentrum gibt es Abendkurse.",
        django_capture_on_commit_callbacks,
    )

    to_follower = [message for message in mail.outbox if message.to == [follower.email]]
    assert len(to_follower) == 1
    message = to_follower[0]
    assert "Ayşe" in message.subject and thread.title in message.subject
    assert "Abendkurse" in message.body
    post_link = next(link for link in links_in(message.body) if "#post-" in link)
    page = client.get(path_of(post_link))
    assert (
        page.status_code == 200
        and "Im Stadtteilzentrum gibt es Abendkurse." in page.content.decode()
    )
    assert Notification.objects.filter(recipient=follower).count() == 1

    # Delivering the same news again (a redelivered task) tells nobody twice.
    news = News.objects.get(verb="forums.reply")
    following.deliver(news_id=news.pk)
    assert Notification.objects.filter(recipient=follower).count() == 1


def test_the_actor_and_the_thread_author_hear_of_a_reply_only_once(
    client, thread, django_capture_on_commit_callbacks
):
    author = thread.author
    following.follow(user=author, target=thread)
    choose(author, "forums", NewsFrequency.IMMEDIATE)
    replier = ResidentFactory()
    choose(replier, "forums", NewsFrequency.IMMEDIATE)
    mail.outbox.clear()
    reply(client, thread, replier, "Ich bin dabei.", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[author.email]]  # the direct reply notice only
    assert following.is_following(user=replier, target=thread)  # writing follows the thread


def test_never_means_no_mail_and_a_digest_frequency_no_mail_at_once(
    client, thread, django_capture_on_commit_callbacks
):
    never, daily = ResidentFactory(), ResidentFactory()
    for person, frequency in ((never, NewsFrequency.NONE), (daily, NewsFrequency.DAILY)):
        following.follow(user=person, target=thread)
        choose(person, "forums", frequency)
    mail.outbox.clear()
    reply(client, thread, ResidentFactory(), "Gute Idee.", django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if m.to in ([never.email], [daily.email])]
    assert not Notification.objects.filter(recipient__in=[never, daily]).exists()


# --- Unsubscribing -------------------------------------------------------------------------------


def test_every_news_mail_unsubscribes_its_kind_in_one_click(
    client, thread, django_capture_on_commit_callbacks
):
    follower = ResidentFactory()
    following.follow(user=follower, target=thread)
    choose(follower, "forums", NewsFrequency.IMMEDIATE)
    choose(follower, "proposals", NewsFrequency.IMMEDIATE)
    mail.outbox.clear()
    reply(client, thread, ResidentFactory(), "Erste Antwort.", django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [follower.email])
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = header.strip("<>")
    assert address in message.body

    # Opening the link only asks (a mail scanner following it changes nothing) ...
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(path_of(address))
    assert page.status_code == 200
    assert "Ja, abbestellen" in page.content.decode()  # the person's language: German
    assert following.frequencies(follower)["forums"] == "immediate"
    # ... the mail program's one-click POST (RFC 8058, no form, no cookie) does it.
    done = visitor.post(path_of(address), {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert following.frequencies(follower)["forums"] == "none"
    assert following.frequencies(follower)["proposals"] == "immediate"  # that kind only

    mail.outbox.clear()
    reply(client, thread, ResidentFactory(), "Zweite Antwort.", django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if m.to == [follower.email]]


def test_a_forged_unsubscribe_link_changes_nothing_and_says_so(client):
    resident = ResidentFactory()
    good = following.unsubscribe_url(user=resident, channel="news:forums")
    forged = path_of(good).rstrip("/")[:-3] + "abc/"
    response = client.post(forged)
    assert response.status_code == 404
    assert "nicht (mehr) gültig" in response.content.decode()
    assert not NewsPreference.objects.exists()


def test_own_content_mails_carry_their_switch_as_unsubscribe(
    client, thread, django_capture_on_commit_callbacks
):
    author = thread.author
    mail.outbox.clear()
    reply(client, thread, ResidentFactory(), "Eine Antwort.", django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [author.email])
    address = message.extra_headers["List-Unsubscribe"].strip("<>")
    Client().post(path_of(address))
    author.refresh_from_db()
    assert author.notify_comments_email is False
    assert author.notify_status_email is True


# --- Digests -------------------------------------------------------------------------------------


def news_on(thread: Thread, moment: datetime, text: str) -> News:
    news = following.record(
        target=thread,
        verb="forums.reply",
        url=thread.get_absolute_url(),
        actor=ResidentFactory(),
        name="Jonas",
        excerpt=text,
    )
    News.objects.filter(pk=news.pk).update(created_at=moment)
    news.refresh_from_db()
    return news


def digests(capture, frequency: str, now: datetime) -> dict[str, int]:
    """Beat's run: the digests, and the outbox handing their e-mails over after commit."""
    with capture(execute=True):
        return following.send_digests(frequency=frequency, now=now)


def test_the_daily_digest_groups_yesterdays_news_links_them_and_is_sent_once(
    client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    forum = open_forum()
    first, second = (
        ThreadFactory(forum=forum, title="Sprachkurse am Abend"),
        ThreadFactory(forum=forum, title="Kinderbetreuung bei Kursen"),
    )
    reader = ResidentFactory()
    for thread in (first, second):
        following.follow(user=reader, target=thread)
        Follow.objects.filter(user=reader).update(created_at=datetime(2026, 11, 1, tzinfo=BERLIN))
    choose(reader, "forums", NewsFrequency.DAILY)
    news_on(first, datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN), "eins")
    news_on(first, datetime(2026, 11, 30, 18, 0, tzinfo=BERLIN), "zwei")
    news_on(second, datetime(2026, 11, 30, 23, 59, tzinfo=BERLIN), "drei")
    news_on(second, datetime(2026, 12, 1, 0, 1, tzinfo=BERLIN), "heute")  # the next digest's
    mail.outbox.clear()

    morning = datetime(2026, 12, 1, 6, 15, tzinfo=BERLIN)
    assert digests(capture, "daily", morning) == {"digests": 1, "news": 3}
    assert digests(capture, "daily", morning) == {"digests": 0, "news": 0}
    digest = [m for m in mail.outbox if m.to == [reader.email]]
    assert len(digest) == 1
    body = digest[0].body
    assert "3" in digest[0].subject
    assert body.index("Sprachkurse am Abend") < body.index("Kinderbetreuung bei Kursen")
    assert body.count("Jonas") == 3
    assert "30" in body  # the period it covers is named
    assert digest[0].extra_headers["List-Unsubscribe"]
    client.force_login(reader)
    for link in links_in(body):
        if "/abbestellen/" in link:
            continue
        assert client.get(path_of(link)).status_code == 200, link
    assert Digest.objects.get(user=reader).item_count == 3

    # The next day's digest starts where the last one ended: only "heute".
    mail.outbox.clear()
    result = digests(capture, "daily", morning + timedelta(days=1))
    assert result == {"digests": 1, "news": 1}
    assert mail.outbox[0].body.count("Jonas") == 1


def test_a_digest_claimed_by_another_run_is_not_sent_again(django_capture_on_commit_callbacks):
    thread = ThreadFactory(forum=open_forum())
    reader = ResidentFactory()
    following.follow(user=reader, target=thread)
    Follow.objects.update(created_at=datetime(2026, 11, 1, tzinfo=BERLIN))
    choose(reader, "forums", NewsFrequency.DAILY)
    news_on(thread, datetime(2026, 11, 30, 12, tzinfo=BERLIN), "eins")
    end = following.period_end("daily", datetime(2026, 12, 1, 6, tzinfo=BERLIN))
    # The other beat claimed this person's digest a moment ago (same period, same row).
    Digest.objects.create(
        user=reader, frequency="daily", period_start=end - timedelta(days=1), period_end=end
    )
    Digest.objects.filter(user=reader).update(period_start=end - timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert following.send_digest(user=reader, frequency="daily", end=end) == 0
    assert not mail.outbox


def test_news_from_before_one_followed_and_the_weekly_kind_stay_out_of_the_daily_digest(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    thread = ThreadFactory(forum=open_forum())
    proposal = ProposalFactory(consultation=open_consultation())
    reader = ResidentFactory()
    news_on(thread, datetime(2026, 11, 30, 8, tzinfo=BERLIN), "vorher")
    following.follow(user=reader, target=thread)
    following.follow(user=reader, target=proposal)
    Follow.objects.update(created_at=datetime(2026, 11, 30, 10, tzinfo=BERLIN))
    choose(reader, "forums", NewsFrequency.DAILY)
    choose(reader, "proposals", NewsFrequency.WEEKLY)
    news_on(thread, datetime(2026, 11, 30, 12, tzinfo=BERLIN), "nachher")
    status = following.record(
        target=proposal,
        verb="proposals.status",
        url=proposal.get_absolute_url(),
        status="in_review",
    )
    News.objects.filter(pk=status.pk).update(created_at=datetime(2026, 11, 30, 13, tzinfo=BERLIN))
    mail.outbox.clear()
    digests(capture, "daily", datetime(2026, 12, 1, 6, tzinfo=BERLIN))
    (digest,) = mail.outbox
    assert "nachher" not in digest.body  # digests list the news, not the excerpts
    assert digest.body.count("Jonas") == 1
    assert proposal.title not in digest.body

    mail.outbox.clear()
    digests(capture, "weekly", datetime(2026, 12, 7, 6, tzinfo=BERLIN))
    (weekly,) = mail.outbox
    assert proposal.title in weekly.body
    assert "„In Prüfung“" in weekly.body or "“In Prüfung”" in weekly.body


# --- What follows automatically ----------------------------------------------------------------


def test_supporting_follows_a_proposal_and_withdrawing_undoes_only_that(client):
    proposal = ProposalFactory(consultation=open_consultation())
    resident = ResidentFactory()
    client.force_login(resident)
    support = en("consultations:proposal_support", proposal.consultation.slug, proposal.pk)
    assert client.post(support, {"action": "add"}).status_code in (200, 302)
    assert Follow.objects.get(user=resident).origin == FollowOrigin.SUPPORTED
    client.post(support, {"action": "remove"})
    assert not Follow.objects.filter(user=resident).exists()

    following.follow(user=resident, target=proposal)  # chosen by the person
    client.post(support, {"action": "add"})
    client.post(support, {"action": "remove"})
    assert Follow.objects.get(user=resident).origin == FollowOrigin.MANUAL
    assert Proposal.objects.get(pk=proposal.pk).support_count == 0


def test_a_deleted_account_follows_nothing_and_its_name_leaves_the_news(client, thread):
    resident = ResidentFactory(display_name="Malte Beispiel")
    following.follow(user=resident, target=thread)
    following.record(
        target=thread,
        verb="forums.reply",
        url=thread.get_absolute_url(),
        actor=resident,
        name=resident.public_name,
    )
    choose(resident, "forums", NewsFrequency.WEEKLY)
    client.force_login(resident)
    export = client.get(en("foundation:data_export")).content.decode()
    assert thread.title in export or str(thread.pk) in export

    from foundation.services import account_delete

    account_delete(user=resident)
    assert not Follow.objects.filter(user=resident).exists()
    assert not NewsPreference.objects.filter(user=resident).exists()
    assert "Malte" not in str(list(News.objects.values_list("params", flat=True)))


# --- Two beats at once (PostgreSQL) --------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.mark.services
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_send_each_digest_once():
    forum = open_forum()
    threads = [ThreadFactory(forum=forum) for _ in range(3)]
    readers = ResidentFactory.create_batch(6)
    for reader in readers:
        choose(reader, "forums", NewsFrequency.DAILY)
        for thread in threads:
            following.follow(user=reader, target=thread)
    Follow.objects.update(created_at=datetime(2026, 11, 1, tzinfo=BERLIN))
    for thread in threads:
        news_on(thread, datetime(2026, 11, 30, 12, tzinfo=BERLIN), "eins")
    morning = datetime(2026, 12, 1, 6, 15, tzinfo=BERLIN)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def beat():
        try:
            barrier.wait(timeout=30)
            results.append(following.send_digests(frequency="daily", now=morning))
        except Exception as exc:  # anything else is a failure of the test
            results.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=beat) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert all(isinstance(result, dict) for result in results), results
    assert sum(result["digests"] for result in results) == len(readers)
    assert Digest.objects.count() == len(readers)
    mails = OutboxMessage.objects.filter(dedupe_key__startswith="digest:daily:")
    assert sorted(mails.values_list("payload__to", flat=True)) == sorted(
        [[reader.email] for reader in readers]
    )


# --- What the forums and the proposals tell their followers -----------------------------------


def test_a_forum_follower_hears_of_a_new_thread_and_its_author_follows_it(
    client, django_capture_on_commit_callbacks
):
    forum = open_forum()
    follower = ResidentFactory()
    following.follow(user=follower, target=forum)
    choose(follower, "forums", NewsFrequency.IMMEDIATE)
    author = ResidentFactory(display_name="Lena")
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            en("forums:thread_create", forum.consultation.slug, forum.handlungsfeld.slug),
            {"title": "Abendkurse für Berufstätige", "body": "Wer macht mit?"},
        )
    thread = Thread.objects.get(title="Abendkurse für Berufstätige")
    assert following.is_following(user=author, target=thread)
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    assert "Abendkurse für Berufstätige" in message.subject and "Lena" in message.subject
    assert "Wer macht mit?" in message.body
    link = next(link for link in links_in(message.body) if "/abbestellen/" not in link)
    client.logout()
    assert client.get(path_of(link)).context["thread"].pk == thread.pk
    assert not [m for m in mail.outbox if m.to == [author.email]]


def test_a_consultation_follower_hears_of_a_new_proposal_and_comments_reach_its_followers(
    client, django_capture_on_commit_callbacks
):
    from tests.consultations.factories import HandlungsfeldFactory

    consultation = open_consultation()
    field = HandlungsfeldFactory()
    consultation.handlungsfelder.add(field)
    watcher = ResidentFactory()
    following.follow(user=watcher, target=consultation)
    choose(watcher, "consultations", NewsFrequency.IMMEDIATE)
    choose(watcher, "proposals", NewsFrequency.IMMEDIATE)
    author = ResidentFactory(display_name="Mehmet")
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            en("consultations:proposal_create", consultation.slug),
            {
                "title": "Sprachcafés in jeder Gemeinde",
                "body": "Einmal die Woche, offen für alle.",
                "kind": "measure",
                "handlungsfeld": field.pk,
                "scope": "region",
                "submission_token": "6f1c3c1e-8d0b-4a55-9f0e-3b1d2a4c5e6f",
                "publish": "1",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get(title="Sprachcafés in jeder Gemeinde")
    assert following.is_following(user=author, target=proposal)
    (news,) = [m for m in mail.outbox if m.to == [watcher.email]]
    assert "Sprachcafés in jeder Gemeinde" in news.subject and "Mehmet" in news.subject
    link = next(link for link in links_in(news.body) if "/abbestellen/" not in link)
    assert client.get(path_of(link)).context["proposal"].pk == proposal.pk

    following.follow(user=watcher, target=proposal)
    commenter = ResidentFactory(display_name="Zofia")
    client.force_login(commenter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            en("consultations:comment_create", proposal.pk),
            {"body": "Gern auch mit Kinderbetreuung."},
        )
    assert following.is_following(user=commenter, target=proposal)
    (comment_news,) = [m for m in mail.outbox if m.to == [watcher.email]]
    assert "Zofia" in comment_news.subject and "Gern auch mit Kinderbetreuung." in comment_news.body
    assert [m.to for m in mail.outbox].count([author.email]) == 1  # the author's own notice


def test_beat_queues_one_task_per_batch_once_and_the_batches_send_the_digests(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(following, "BATCH", 2)
    thread = ThreadFactory(forum=open_forum())
    readers = ResidentFactory.create_batch(5)
    for reader in readers:
        following.follow(user=reader, target=thread)
        choose(reader, "forums", NewsFrequency.DAILY)
    Follow.objects.update(created_at=datetime(2026, 11, 1, tzinfo=BERLIN))
    news_on(thread, datetime(2026, 11, 30, 12, tzinfo=BERLIN), "eins")
    morning = datetime(2026, 12, 1, 6, 15, tzinfo=BERLIN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert following.schedule_digests(frequency="daily", now=morning) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert following.schedule_digests(frequency="daily", now=morning) == 0  # a second beat
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
