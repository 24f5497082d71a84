"""Benchmark: the golden thread and the monitoring page with the concept's 144 measures.

    DEBUG=1 .venv/bin/python benchmarks/golden_thread.py [--runs 60] [--proposals 10000] [--keep]

Creates the database mitreden_gt_bench (GOLDEN_BENCH_DATABASE_URL, never DATABASE_URL,
because it drops it), migrates it and loads the demo steps that build the 2016 concept
(144 measures with the demo monitoring: statuses, progress, dated notes, indicator series,
a published version). On top: 10,000 proposals, one proposal adopted as a measure of the
published version with 40 duplicates merged into it (each from a forum event or thread), a
published assessment, and a long timeline (60 notes, status changes). Then it measures, with
Django's test client beside a bare view in the same run: a merged duplicate's proposal page
(its golden thread), the primary's page, the measure's public page and the monitoring page.
Targets (issue 12): p95 < 100 ms with a fixed number of queries.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import fresh_site, timed  # noqa: E402 - the path above first

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_gt_bench"
DEMO_STEPS = [
    "municipalities",
    "handlungsfelder",
    "departments",
    "consultations",
    "forum_events",
    "forums",
    "results.concept",
    "results.monitoring",
]


def seed(proposal_count: int, rng: random.Random):  # noqa: ANN201
    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Proposal, ProposalStatus
    from consultations.results.models import (
        ConceptMeasure,
        ConceptVersionEntry,
        EntryKind,
        MeasureStatusChange,
        ProgressNote,
    )
    from consultations.review.models import Assessment
    from demo.loader import load_demo
    from demo.steps import HISTORIC_CONSULTATION_SLUG
    from forums.models import ForumEvent, Thread
    from foundation.models import Consultation, Department, User

    started = time.perf_counter()
    load_demo(log=lambda message: None, only=DEMO_STEPS)
    with transaction.atomic():
        consultation = Consultation.objects.get(slug=HISTORIC_CONSULTATION_SLUG)
        fields = list(consultation.handlungsfelder.order_by("number")) or None
        authors = User.objects.bulk_create(
            [User(username=f"author{i}", email=f"a{i}@example.org") for i in range(500)]
        )
        events = list(ForumEvent.objects.filter(consultation=consultation))
        forum = consultation.forums.first()
        threads = Thread.objects.bulk_create(
            [Thread(forum=forum, title=f"Thema {i}", author=authors[i]) for i in range(40)]
        )
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    consultation=consultation,
                    handlungsfeld=fields[i % len(fields)],
                    title=f"Vorschlag {i}",
                    body="<p>Begründung des Vorschlags.</p>",
                    author=authors[i % len(authors)],
                    support_count=rng.randint(0, 300),
                )
                for i in range(proposal_count)
            ],
            batch_size=2000,
        )
        primary = proposals[0]
        primary.source_event = events[0]
        primary.save(update_fields=["source_event"])
        duplicates = proposals[1:41]
        for index, duplicate in enumerate(duplicates):
            duplicate.merged_into = primary
            duplicate.status = ProposalStatus.MERGED
            if index % 2:
                duplicate.source_event = events[index % len(events)]
            else:
                duplicate.source_thread = threads[index]
        Proposal.objects.bulk_update(
            duplicates, ["merged_into", "status", "source_event", "source_thread"]
        )
        department = Department.objects.order_by("pk").first()
        Assessment.objects.create(
            proposal=primary,
            department=department,
            feasibility="feasible",
            public_rationale="Wird umgesetzt.",
            published_at=timezone.now(),
        )
        measure = ConceptMeasure.objects.filter(consultation=consultation).order_by("pk")[5]
        measure.source_proposal = primary
        measure.save(update_fields=["source_proposal"])
        now = timezone.now()
        ProgressNote.objects.bulk_create(
            [
                ProgressNote(
                    measure=measure,
                    text=f"(Demo) Sachstand {i}",
                    progress_after=min(100, i * 2),
                    created_at=now - timedelta(days=30 * i),
                )
                for i in range(60)
            ]
        )
        MeasureStatusChange.objects.bulk_create(
            [
                MeasureStatusChange(
                    measure=measure,
                    old_status="planned" if i % 2 else "in_progress",
                    new_status="in_progress" if i % 2 else "planned",
                    changed_at=now - timedelta(days=45 * i),
                )
                for i in range(1, 20)
            ]
        )
        assert ConceptVersionEntry.objects.filter(kind=EntryKind.MEASURE, measure=measure).exists()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded the concept ({ConceptMeasure.objects.filter(consultation=consultation).count()}"
        f" measures), {proposal_count} proposals, 40 merged into one, in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return consultation, primary, duplicates[0], measure


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with fresh_site("GOLDEN_BENCH_DATABASE_URL", DEFAULT_URL, keep=args.keep):
        from django.test import Client
        from django.urls import reverse

        from consultations.results.thread_selectors import measure_public_url

        consultation, primary, duplicate, measure = seed(args.proposals, random.Random(12))
        client = Client()

        def get(url: str, data: dict | None = None):  # noqa: ANN202
            def call() -> None:
                response = client.get(url, data or {})
                assert response.status_code == 200, (url, response.status_code)

            return call

        pages = [
            ("bare Django view", "/bench-bare/", None),
            (
                "proposal page, merged duplicate",
                reverse("consultations:proposal_detail", args=[consultation.slug, duplicate.pk]),
                None,
            ),
            (
                "proposal page, primary (40 merged)",
                reverse("consultations:proposal_detail", args=[consultation.slug, primary.pk]),
                None,
            ),
            ("measure page (80 timeline entries)", measure_public_url(measure), None),
            (
                "monitoring page (144 measures)",
                reverse("results:monitoring", args=[consultation.slug]),
                None,
            ),
            (
                "monitoring page, filtered",
                reverse("results:monitoring", args=[consultation.slug]),
                {"status": "in_progress"},
            ),
        ]
        rows = []
        for name, url, data in pages:
            p50, p95, queries = timed(get(url, data), args.runs)
            rows.append((name, p50, p95, queries))
        print(f"\nruns per page: {args.runs}\n")
        print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for name, p50, p95, queries in rows:
            print(f"{name:40} {p50:8.1f} {p95:8.1f} {queries:8d}")
        failed = [name for name, _p50, p95, _q in rows[1:] if p95 >= 100]
        print(
            "\ntarget (p95 < 100 ms for every page):",
            "MISSED " + ", ".join(failed) if failed else "met",
        )
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
