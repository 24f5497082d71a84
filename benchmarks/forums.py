"""Benchmark: forums, search and digests at the size of a busy region (issue 11), on PostgreSQL.

    DEBUG=1 .venv/bin/python benchmarks/forums.py [--runs 60] [--followers 50000] [--keep]

Creates the database mitreden_fo_bench (FORUMS_BENCH_DATABASE_URL may point elsewhere; it never
reads DATABASE_URL, because it drops the database it uses), migrates it and seeds one published
consultation with 8 Handlungsfeld forums: one forum with 100,000 posts (5,000 threads of 20
posts; one of them has 5,000 posts more), 10,000 proposals, and 50,000 residents who follow
one to three threads each and chose the daily digest. Then, through the real views and the test
client, beside a bare Django view in the same run (p50/p95 in ms, queries of one request):

(a) the thread with 5,000 posts: its first, a middle and its last page, for a visitor and for
    a signed-in resident (who also gets the unread markers written);
(b) the forum with 100,000 posts: its first page and page 100;
(c) the site search over the CMS pages, the 10,000 proposals and the 100,000 posts: every kind
    at once, and threads only, for a word found in thousands of posts;
(d) the daily digest run for 50,000 followers of yesterday's 2,000 news (the worker's work:
    send_digests, the e-mails handed to the queue), in seconds, and once more (sends nothing).

Targets (issue 11): any forum page p95 < 100 ms with a fixed number of queries; the search
p95 < 150 ms; the digest run for 50,000 followers < 5 minutes.
Runs like production: cache and queue in Redis (database 14 of BENCH_REDIS_URL, flushed before
and after), tasks not run in the request. Drops the database afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import fresh_site, timed  # noqa: E402 - the path above first

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_fo_bench"
BERLIN = ZoneInfo("Europe/Berlin")
WORDS = [
    "Sprachkurse",
    "Kinderbetreuung",
    "Busverbindungen",
    "Anerkennung",
    "Beratung",
    "Ehrenamt",
    "Wohnungssuche",
    "Ausbildung",
    "Sportverein",
    "Nachbarschaft",
]


# Everyday words that many posts share, and the topics: each post names one topic in two of
# three cases, the first topics far more often than the last (a long tail, as in real talk).
COMMON = ["Stadt", "Region", "Angebot", "Menschen", "Idee", "Frage", "Woche", "gut", "mehr"]
TOPICS = WORDS + [f"Thema{n}" for n in range(190)]
TOPIC_WEIGHTS = [1 / (rank + 1) for rank in range(len(TOPICS))]


def sentence(rng: random.Random, words: int = 12) -> str:
    chosen = [rng.choice(COMMON) for _ in range(words - 1)]
    if rng.random() < 2 / 3:
        chosen.insert(rng.randrange(words), rng.choices(TOPICS, TOPIC_WEIGHTS)[0])
    return " ".join(chosen).capitalize() + "."


def seed(args: argparse.Namespace, rng: random.Random):  # noqa: ANN201
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from consultations.proposals.models import Proposal
    from forums.models import Forum, Post, Thread
    from forums.text import render_post
    from foundation import following
    from foundation.models import (
        Consultation,
        Follow,
        FollowOrigin,
        Handlungsfeld,
        News,
        NewsPreference,
        Phase,
        PhaseKind,
        User,
    )
    from foundation.models.following import NewsKind

    started = time.perf_counter()
    now = timezone.now()
    consultation = Consultation.objects.create(
        title="Integrationskonzept (Benchmark)", slug="bench", is_published=True
    )
    Phase.objects.create(
        consultation=consultation,
        kind=PhaseKind.FORUMS,
        title="Foren",
        starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(days=30),
        allows_proposals=True,
        allows_comments=True,
        allows_supports=True,
    )
    fields = [
        Handlungsfeld.objects.create(
            number=i + 1, name=f"Handlungsfeld {i + 1}", slug=f"hf-{i + 1}"
        )
        for i in range(8)
    ]
    consultation.handlungsfelder.set(fields)
    forums = [Forum.objects.create(consultation=consultation, handlungsfeld=f) for f in fields]
    forum = forums[0]

    password = make_password("bench-password")
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench{i}",
                email=f"bench{i}@example.invalid",
                display_name=f"Person {i}",
                password=password,
            )
            for i in range(args.followers)
        ],
        batch_size=5000,
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users[:200]]
    )
    print(f"  {len(users):,} people in {time.perf_counter() - started:.0f} s")

    threads = Thread.objects.bulk_create(
        [
            Thread(
                forum=forum,
                title=sentence(rng, 5),
                author=users[i % len(users)],
                post_count=20,
                last_post_at=now - timedelta(minutes=i),
            )
            for i in range(args.threads)
        ],
        batch_size=5000,
    )
    big = threads[0]
    per_thread = args.posts // args.threads
    batch: list[Post] = []
    for index, thread in enumerate(threads):
        count = per_thread + (args.long_thread if thread is big else 0)
        for number in range(count):
            body = sentence(rng)
            batch.append(
                Post(
                    thread=thread,
                    author=users[(index + number) % len(users)],
                    body=body,
                    body_html=render_post(body),  # what Post.save() stores
                )
            )
        if len(batch) >= 20_000:
            Post.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Post.objects.bulk_create(batch, batch_size=5000)
    Thread.objects.filter(pk=big.pk).update(post_count=per_thread + args.long_thread)
    total_posts = Post.objects.count()
    Forum.objects.filter(pk=forum.pk).update(
        thread_count=len(threads), post_count=total_posts, last_post_at=now
    )
    print(f"  {total_posts:,} posts in {time.perf_counter() - started:.0f} s")

    Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                handlungsfeld=fields[i % 8],
                author=users[i % len(users)],
                title=sentence(rng, 4),
                body=f"<p>{sentence(rng, 30)}</p>",
            )
            for i in range(args.proposals)
        ],
        batch_size=5000,
    )
    print(f"  {args.proposals:,} proposals in {time.perf_counter() - started:.0f} s")

    from django.contrib.contenttypes.models import ContentType

    thread_type = ContentType.objects.get_for_model(Thread)
    long_ago = now - timedelta(days=60)
    follows = []
    for index, user in enumerate(users):
        for choice in rng.sample(range(len(threads)), 1 + index % 3):
            follows.append(
                Follow(
                    user=user,
                    target_type=thread_type,
                    target_id=threads[choice].pk,
                    kind=NewsKind.FORUMS,
                    origin=FollowOrigin.MANUAL,
                )
            )
    Follow.objects.bulk_create(follows, batch_size=10_000)
    Follow.objects.update(created_at=long_ago)
    NewsPreference.objects.bulk_create(
        [NewsPreference(user=u, kind=NewsKind.FORUMS, frequency="daily") for u in users],
        batch_size=10_000,
    )
    yesterday = following.period_end("daily", now) - timedelta(hours=12)
    News.objects.bulk_create(
        [
            News(
                target_type=thread_type,
                target_id=threads[i % len(threads)].pk,
                kind=NewsKind.FORUMS,
                verb="forums.reply",
                params={
                    "target": threads[i % len(threads)].title,
                    "target_url": f"/foren/bench/hf-1/{threads[i % len(threads)].pk}/",
                    "name": f"Person {i}",
                },
                url=f"/foren/bench/hf-1/{threads[i % len(threads)].pk}/",
                actor=users[(i * 7) % len(users)],
            )
            for i in range(args.news)
        ],
        batch_size=5000,
    )
    News.objects.update(created_at=yesterday)
    print(
        f"  {len(follows):,} follows, {args.news:,} news in {time.perf_counter() - started:.0f} s"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return consultation, forum, big, users


PARALLEL = 40


def registration_race(consultation, users):  # noqa: ANN001, ANN201
    """(e) 100 people register for 50 places through the register view, 40 requests in
    flight at a time: exactly 50 confirmed and 50 on the waiting list."""
    import threading

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from forums.models import EventRegistration, ForumEvent, RegistrationStatus

    event = ForumEvent.objects.create(
        consultation=consultation,
        title="Forum (Benchmark)",
        slug="forum-bench",
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=4),
        place="Hannover",
        capacity=50,
        registration_open=True,
        has_waiting_list=True,
    )
    address = reverse("forums:event_register", args=[consultation.slug, event.slug])
    people = users[:100]
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)
    # 100 requests, 40 in flight at any moment: PostgreSQL's default allows 100 connections.
    timings: list[float] = []
    statuses: list[int] = []
    start = threading.Barrier(PARALLEL)
    todo = list(clients)
    lock = threading.Lock()

    def worker() -> None:
        try:
            start.wait(timeout=60)
            while True:
                with lock:
                    if not todo:
                        return
                    client = todo.pop()
                began = time.perf_counter()
                statuses.append(client.post(address).status_code)
                timings.append((time.perf_counter() - began) * 1000)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(PARALLEL)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=300)
    confirmed = EventRegistration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, cancelled_at__isnull=True
    ).count()
    waiting = EventRegistration.objects.filter(
        event=event, status=RegistrationStatus.WAITING, cancelled_at__isnull=True
    ).count()
    ordered = sorted(timings)
    errors = sum(status >= 500 for status in statuses)
    return (
        f"(e) 100 registrations ({PARALLEL} at a time) for 50 places: {confirmed} confirmed, "
        f"{waiting} waiting, {errors} errors",
        ordered[len(ordered) // 2],
        ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "-",
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--followers", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=5_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--long-thread", type=int, default=5_000)
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--news", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with fresh_site("FORUMS_BENCH_DATABASE_URL", DEFAULT_URL, keep=args.keep):
        from django.test import Client
        from django.urls import reverse

        rng = random.Random(11)
        print("seeding …")
        consultation, forum, big, users = seed(args, rng)

        from forums.services import POSTS_PER_PAGE
        from foundation import following

        visitor, resident = Client(), Client()
        resident.force_login(users[0])
        rows: list[tuple[str, float, float, int | str]] = []

        def get(client: Client, address: str):  # noqa: ANN202
            def call() -> None:
                answered = client.get(address)
                assert answered.status_code == 200, (address, answered.status_code)

            return call

        rows.append(
            ("bare Django view (test client)", *timed(get(visitor, "/bench-bare/"), args.runs))
        )
        thread_url = reverse(
            "forums:thread_detail", args=[consultation.slug, forum.handlungsfeld.slug, big.pk]
        )
        big.refresh_from_db()
        last_page = -(-big.post_count // POSTS_PER_PAGE)
        for label, page in (("first", 1), ("middle", last_page // 2), ("last", last_page)):
            address = f"{thread_url}?page={page}"
            rows.append(
                (
                    f"(a) thread of {big.post_count:,} posts, {label} page, visitor",
                    *timed(get(visitor, address), args.runs),
                )
            )
            rows.append(
                (
                    f"(a) thread of {big.post_count:,} posts, {label} page, signed in",
                    *timed(get(resident, address), args.runs),
                )
            )
        forum_url = reverse(
            "forums:forum_detail", args=[consultation.slug, forum.handlungsfeld.slug]
        )
        forum.refresh_from_db()
        rows.append(
            (
                f"(b) forum of {forum.post_count:,} posts, page 1",
                *timed(get(visitor, forum_url), args.runs),
            )
        )
        rows.append(
            ("(b) forum, page 100", *timed(get(visitor, f"{forum_url}?page=100"), args.runs))
        )
        search = reverse("search")
        from forums.models import Post

        posts = Post.objects.count()
        for word in ("Thema150", "Beratung", "Sprachkurse", "Stadt"):
            share = Post.objects.filter(body__contains=word).count() / posts
            address = f"{search}?q={word}"
            rows.append(
                (
                    f"(c) search “{word}” (in {share:.1%} of posts), every kind",
                    *timed(get(visitor, address), args.runs),
                )
            )
        rows.append(
            (
                "(c) search “Beratung”, threads only, page 2",
                *timed(get(visitor, f"{search}?q=Beratung&in=diskussionen&page=2"), args.runs),
            )
        )

        rows.append(registration_race(consultation, users))
        for name, p50, p95, queries in rows:
            print(f"{name:<66} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries", flush=True)

        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(following.send_digests, frequency="daily")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        else:
            result = following.send_digests(frequency="daily")
        took = time.perf_counter() - started
        print(
            f"(d) daily digests for {args.followers:,} followers: {result['digests']:,} digests "
            f"with {result['news']:,} news in {took:.1f} s"
        )
        started = time.perf_counter()
        again = following.send_digests(frequency="daily")
        print(
            f"(d) the same run again: {again['digests']} digests in {time.perf_counter() - started:.1f} s"
        )
        return 0


if __name__ == "__main__":
    sys.exit(main())
