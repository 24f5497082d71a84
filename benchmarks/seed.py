"""Seed a PostgreSQL database with proposal data at scale, skewed like real life.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mitreden_bench DEBUG=1 \
        .venv/bin/python benchmarks/seed.py [--fresh]

--fresh drops and re-creates the database and runs the migrations first. Then it writes
50,000 residents, 10,000 proposals in 8 Handlungsfelder, 1,000,000 supports and 100,000
comments (about a third of them replies). A handful of proposals get tens of thousands of
supports and over 1,000 comments (a Zipf-like curve); most get a few dozen.
Users and proposals go in with bulk_create in large batches, supports and comments with
INSERT ... SELECT over generate_series in the database, then the counters are set from
the real rows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

USERS = 50_000
PROPOSALS = 10_000
SUPPORTS_SCALE = 131_000  # supports of rank r: SUPPORTS_SCALE / (r + 4) -> about 1,000,000 in total
COMMENTS_SCALE = 13_200  # comments of rank r: COMMENTS_SCALE / (r + 4) -> about 100,000 in total
CONSULTATION_SLUG = "bench"


def recreate_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], check=True, cwd=ROOT
    )
    print(f"migrated in {time.perf_counter() - started:.1f} s")


def seed() -> None:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.db import connection, transaction
    from django.utils import timezone

    from consultations.models import Proposal, ProposalKind, ProposalStatus
    from foundation.models import Consultation, Handlungsfeld, Municipality, Phase, PhaseKind, User

    assert connection.vendor == "postgresql", "the benchmark needs PostgreSQL (DATABASE_URL)"
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        fields = [
            Handlungsfeld.objects.get_or_create(
                slug=f"feld-{n}", defaults={"number": n, "name": f"Handlungsfeld {n}"}
            )[0]
            for n in range(1, 9)
        ]
        towns = [
            Municipality.objects.get_or_create(
                slug=f"gemeinde-{n}", defaults={"name": f"Gemeinde {n}"}
            )[0]
            for n in range(1, 22)
        ]
        consultation, _created = Consultation.objects.get_or_create(
            slug=CONSULTATION_SLUG, defaults={"title": "Benchmark", "is_published": True}
        )
        Phase.objects.get_or_create(
            consultation=consultation,
            kind=PhaseKind.FORUMS,
            defaults={
                "title": "Foren",
                "starts_at": now - timezone.timedelta(days=10),
                "ends_at": now + timezone.timedelta(days=3650),
                "allows_proposals": True,
                "allows_supports": True,
                "allows_comments": True,
            },
        )
        first_user = User.objects.order_by("pk").values_list("pk", flat=True).first()
        if User.objects.filter(username__startswith="bench").count() < USERS:
            users = [
                User(
                    username=f"bench{n}",
                    email=f"bench{n}@example.org",
                    display_name=f"Person {n}",
                    password="!unusable",
                )
                for n in range(USERS)
            ]
            User.objects.bulk_create(users, batch_size=10_000)
        first_user = (
            User.objects.filter(username__startswith="bench")
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=pk, email=f"bench{n}@example.org", verified=True, primary=True)
                for n, pk in enumerate(range(first_user, first_user + 2_000))
            ],
            batch_size=10_000,
            ignore_conflicts=True,
        )
        print(f"users: {User.objects.count()} ({time.perf_counter() - t0:.1f} s)")

        t1 = time.perf_counter()
        statuses = [ProposalStatus.PUBLISHED] * 6 + [
            ProposalStatus.ACCEPTED,
            ProposalStatus.NOT_ACCEPTED,
            ProposalStatus.WITHDRAWN,
        ]
        proposals = [
            Proposal(
                consultation=consultation,
                handlungsfeld=fields[n % 8],
                kind=ProposalKind.GOAL if n % 5 == 0 else ProposalKind.MEASURE,
                title=f"Vorschlag {n}: {['Sprachkurse', 'Beratung', 'Kita-Plätze', 'Ausbildung', 'Gesundheit'][n % 5]} für Familien in Gemeinde {n % 21 + 1}",
                body=f"<p>Mehr Angebote für Kinder und Eltern, Nummer {n}. Sprachförderung, Beratung und Begegnung vor Ort.</p>",
                author_id=first_user + (n * 17) % USERS,
                is_region_wide=n % 3 != 0,
                status=statuses[n % len(statuses)],
                withdrawn_at=now
                if statuses[n % len(statuses)] == ProposalStatus.WITHDRAWN
                else None,
                is_hidden=n % 250 == 0,
            )
            for n in range(PROPOSALS)
        ]
        Proposal.objects.bulk_create(proposals, batch_size=5_000)
        through = Proposal.municipalities.through
        ids = list(
            Proposal.objects.filter(consultation=consultation)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        through.objects.bulk_create(
            [
                through(proposal_id=pk, municipality_id=towns[i % 21].pk)
                for i, pk in enumerate(ids)
                if i % 3 == 0
            ],
            batch_size=10_000,
        )
        print(f"proposals: {len(ids)} ({time.perf_counter() - t1:.1f} s)")

    with connection.cursor() as cursor:
        t2 = time.perf_counter()
        # Rank proposals in a shuffled order so that the busy ones are spread over fields.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_rank AS
            SELECT id AS proposal_id, row_number() OVER (ORDER BY md5(id::text)) AS rank
            FROM consultations_proposal WHERE consultation_id = %s
            """,
            [consultation.pk],
        )
        cursor.execute(
            """
            INSERT INTO consultations_support (proposal_id, user_id, created_at)
            SELECT r.proposal_id, %s + ((r.rank * 7919 + g.n) %% %s), now() - (g.n || ' seconds')::interval
            FROM bench_rank r
            CROSS JOIN LATERAL generate_series(1, LEAST(%s, floor(%s::float / (r.rank + 4))::int)) AS g(n)
            """,
            [first_user, USERS, USERS, SUPPORTS_SCALE],
        )
        print(f"supports: {cursor.rowcount} ({time.perf_counter() - t2:.1f} s)")

        t3 = time.perf_counter()
        # Two thirds top-level comments, one third replies to them.
        cursor.execute(
            """
            INSERT INTO consultations_comment (proposal_id, parent_id, author_id, body, created_at, is_hidden, hidden_reason)
            SELECT r.proposal_id, NULL, %s + ((r.rank * 104729 + g.n) %% %s),
                   'Ein Kommentar mit Gedanken zum Vorschlag, Nummer ' || g.n, now() - (g.n || ' minutes')::interval,
                   false, ''
            FROM bench_rank r
            CROSS JOIN LATERAL generate_series(1, (floor(%s::float / (r.rank + 4)) * 2 / 3)::int) AS g(n)
            """,
            [first_user, USERS, COMMENTS_SCALE],
        )
        top = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO consultations_comment (proposal_id, parent_id, author_id, body, created_at, is_hidden, hidden_reason)
            SELECT c.proposal_id, c.id, %s + ((c.author_id - %s + 1) %% %s), 'Eine Antwort darauf',
                   c.created_at + interval '1 minute', false, ''
            FROM consultations_comment c
            WHERE c.parent_id IS NULL AND c.id %% 2 = 0
            """,
            [first_user, first_user, USERS],
        )
        print(
            f"comments: {top} top-level + {cursor.rowcount} replies ({time.perf_counter() - t3:.1f} s)"
        )

        t4 = time.perf_counter()
        cursor.execute(
            """
            UPDATE consultations_proposal p SET
                support_count = COALESCE((SELECT count(*) FROM consultations_support s WHERE s.proposal_id = p.id), 0),
                comment_count = COALESCE((SELECT count(*) FROM consultations_comment c WHERE c.proposal_id = p.id), 0)
            WHERE p.consultation_id = %s
            """,
            [consultation.pk],
        )
        cursor.execute("ANALYZE")
        print(f"counters and ANALYZE ({time.perf_counter() - t4:.1f} s)")
        cursor.execute(
            "SELECT max(support_count), max(comment_count), sum(support_count), sum(comment_count) "
            "FROM consultations_proposal WHERE consultation_id = %s",
            [consultation.pk],
        )
        print("max supports, max comments, total supports, total comments:", cursor.fetchone())
    print(f"seeded in {time.perf_counter() - t0:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop, re-create and migrate the database first"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/mitreden_bench")
    if args.fresh:
        recreate_database(url)
    seed()


if __name__ == "__main__":
    main()
