"""Benchmark: review queue pages with 10,000 proposals and 30 departments on PostgreSQL.

    DEBUG=1 .venv/bin/python benchmarks/review.py [--proposals 10000] [--runs 60] [--keep]

Creates the database mitreden_bench_review (DATABASE_URL may point elsewhere), migrates it,
seeds 10,000 proposals in 8 Handlungsfelder, 30 departments with a reviewer each, review
cases for 85 % of them spread over every state (skewed: a few departments lead most cases),
contributing departments for a fifth, 1–4 events per case. Then it measures, in-process
with Django's test client, p50/p95 and the number of queries of: the department queue of
the busiest department (plain and filtered), the dashboard, the triage inbox and a case
page with trigram duplicate suggestions, beside a bare Django view in the same run.
Targets (issue 5): department queue and dashboard p95 < 100 ms. Drops the database
afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fresh import drop_database, recreate_database  # noqa: E402 - the path above first

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mitreden_bench_review"
WORDS = [
    "Sprachkurse",
    "Eltern",
    "Kinderbetreuung",
    "Beratung",
    "Geflüchtete",
    "Ausbildung",
    "Betriebe",
    "Ehrenamt",
    "Willkommenskultur",
    "Verwaltung",
    "interkulturell",
    "Schulungen",
    "Gesundheit",
    "Pflege",
    "Vernetzung",
    "Migrantenorganisationen",
    "Wohnraum",
    "Arbeitsmarkt",
    "Anerkennung",
    "Abschlüsse",
    "Lotsen",
    "Jugend",
    "Sport",
]


def seed(count: int, rng: random.Random):  # noqa: ANN201
    from django.db import transaction

    from consultations.models import Proposal, ProposalStatus
    from consultations.review.models import (
        Assessment,
        Feasibility,
        ReviewCase,
        ReviewEvent,
        ReviewState,
    )
    from foundation.models import (
        Consultation,
        Department,
        DepartmentMembership,
        Handlungsfeld,
        User,
    )
    from foundation.roles import Role, ensure_roles

    started = time.perf_counter()
    with transaction.atomic():
        groups = ensure_roles()
        office = User.objects.create_user(
            username="office", email="office@example.org", password="x" * 12
        )
        office.groups.add(groups[Role.COORDINATION])
        fields = [
            Handlungsfeld.objects.create(
                number=i + 1, name=f"Handlungsfeld {i + 1}", slug=f"feld-{i + 1}"
            )
            for i in range(8)
        ]
        departments = [
            Department.objects.create(name=f"Fachbereich {i + 1:02d}", slug=f"fb-{i + 1:02d}")
            for i in range(30)
        ]
        for index, department in enumerate(departments):
            department.handlungsfelder.add(fields[index % 8])
        reviewers = []
        for index, department in enumerate(departments):
            user = User.objects.create_user(
                username=f"reviewer{index}", email=f"r{index}@example.org", password="x" * 12
            )
            user.groups.add(groups[Role.REVIEWER])
            DepartmentMembership.objects.create(department=department, user=user)
            reviewers.append(user)
        consultation = Consultation.objects.create(title="Bench", slug="bench", is_published=True)
        authors = User.objects.bulk_create(
            [User(username=f"author{i}", email=f"a{i}@example.org") for i in range(500)]
        )
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    consultation=consultation,
                    handlungsfeld=fields[i % 8],
                    title=" ".join(rng.sample(WORDS, 5)).capitalize() + f" {i}",
                    body="<p>" + " ".join(rng.choices(WORDS, k=40)) + "</p>",
                    author=authors[i % len(authors)],
                    status=ProposalStatus.IN_REVIEW,
                    support_count=int(rng.paretovariate(1.2)) % 5000,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        # Skewed: department 0 leads many cases (the busiest queue), the rest share the others.
        weights = [30] + [2] * 29
        states = list(ReviewState)
        state_weights = [0, 25, 20, 15, 5, 15, 20]  # "new" cases are the proposals without a case
        today = date.today()
        cases = []
        for proposal in proposals:
            if rng.random() > 0.85:
                continue
            cases.append(
                ReviewCase(
                    proposal=proposal,
                    state=rng.choices(states, state_weights)[0],
                    lead_department=rng.choices(departments, weights)[0],
                    due_on=today + timedelta(days=rng.randint(-30, 60)),
                )
            )
        cases = ReviewCase.objects.bulk_create(cases, batch_size=2000)
        through = ReviewCase.contributing_departments.through
        through.objects.bulk_create(
            [
                through(reviewcase_id=case.pk, department_id=rng.choice(departments).pk)
                for case in cases
                if rng.random() < 0.2
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        events = []
        for case in cases:
            for _ in range(rng.randint(1, 4)):
                events.append(
                    ReviewEvent(
                        case=case,
                        actor=office,
                        action="assign",
                        from_state="new",
                        to_state=case.state,
                    )
                )
        ReviewEvent.objects.bulk_create(events, batch_size=5000)
        Assessment.objects.bulk_create(
            [
                Assessment(
                    proposal_id=case.proposal_id,
                    department_id=case.lead_department_id,
                    feasibility=rng.choice(list(Feasibility)),
                    responsibility=["region"],
                    public_rationale="Begründung",
                )
                for case in cases
                if case.state in (ReviewState.ASSESSED, ReviewState.APPROVED, ReviewState.PUBLISHED)
            ],
            batch_size=2000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {count} proposals, {len(cases)} cases, {len(events)} events, 30 departments "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return office, reviewers[0], cases


def measure(client, url: str, runs: int, data: dict | None = None) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up
        response = client.get(url, data or {})
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, data or {})
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, len(queries), len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        print("DATABASE_URL must point to PostgreSQL", file=sys.stderr)
        return 2
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    recreate_database(url)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.http import HttpResponse
        from django.test import Client
        from django.urls import clear_url_caches, path

        settings.DEBUG = False  # no query log growth during timing
        settings.ALLOWED_HOSTS = ["testserver"]
        settings.RATELIMIT_ENABLE = False
        started = time.perf_counter()
        call_command("migrate", verbosity=0, skip_checks=True)
        print(f"migrated in {time.perf_counter() - started:.1f} s")

        # A bare view in the same process, for scale.
        import config.urls

        config.urls.urlpatterns.insert(0, path("bench-bare/", lambda request: HttpResponse("ok")))
        clear_url_caches()

        office, busiest_reviewer, cases = seed(args.proposals, random.Random(5))
        from django.urls import reverse

        primary = cases[len(cases) // 2].proposal_id
        rows = []
        anonymous = Client()
        rows.append(("bare Django view", *measure(anonymous, "/bench-bare/", args.runs)))
        reviewer_client = Client()
        reviewer_client.force_login(busiest_reviewer)
        queue = reverse("review:queue")
        rows.append(
            ("department queue (busiest dept)", *measure(reviewer_client, queue, args.runs))
        )
        rows.append(
            (
                "department queue, filtered overdue",
                *measure(reviewer_client, queue, args.runs, {"overdue": "on", "handlungsfeld": 1}),
            )
        )
        rows.append(
            ("department queue, page 5", *measure(reviewer_client, queue, args.runs, {"page": 5}))
        )
        office_client = Client()
        office_client.force_login(office)
        rows.append(("dashboard", *measure(office_client, reverse("review:dashboard"), args.runs)))
        rows.append(("triage inbox", *measure(office_client, reverse("review:triage"), args.runs)))
        rows.append(
            (
                "triage inbox, filtered",
                *measure(
                    office_client,
                    reverse("review:triage"),
                    args.runs,
                    {"state": "new", "q": "Sprachkurse"},
                ),
            )
        )
        rows.append(
            (
                "case page with duplicates",
                *measure(
                    office_client,
                    reverse("review:case", kwargs={"proposal_id": primary}),
                    args.runs,
                ),
            )
        )

        from consultations.review.models import ReviewCase

        busiest = ReviewCase.objects.for_departments(
            {busiest_reviewer.department_memberships.get().department_id}
        ).count()
        print(f"\nbusiest department queue: {busiest} cases; runs per page: {args.runs}\n")
        print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'bytes':>9}")
        for name, p50, p95, queries, size in rows:
            print(f"{name:40} {p50:8.1f} {p95:8.1f} {queries:8d} {size:9d}")
        targets = {"department queue (busiest dept)": 100, "dashboard": 100}
        failed = [
            name for name, _p50, p95, *_rest in rows if name in targets and p95 >= targets[name]
        ]
        print(
            "\ntargets (p95 < 100 ms for queue and dashboard):",
            "MISSED " + ", ".join(failed) if failed else "met",
        )
        return 1 if failed else 0
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
