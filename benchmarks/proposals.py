"""Measure the proposal pages and the support POST against the seeded PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mitreden_bench DEBUG=1 \
        .venv/bin/python benchmarks/proposals.py [--requests 100] [--posts 500]

In-process with Django's test client (full middleware stack, templates, sessions), one
process, sequential requests. Prints p50/p95/max and queries per page for:
a bare view; the proposal list (filtered by a Handlungsfeld, sorted by supports) and the
same with a search term; the detail page of the busiest proposal with its first page of
comments; and support POSTs beside a bare view that inserts one row, side by side.
Rate limits are switched off for the run (they would stop the POST loop after 60).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    label: str, count: int, request: Callable[[int], object], *, warmup: int = 5
) -> list[float]:
    from django.db import connection

    for i in range(warmup):
        request(i)
    captured: list[str] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        captured.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: request_started resets the query log.
    with connection.execute_wrapper(record):
        response = request(0)
    status = getattr(response, "status_code", "?")
    timings = []
    for i in range(count):
        started = time.perf_counter()
        request(i)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<58} p50 {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
        f"max {max(timings):7.1f} ms   queries {len(captured):3d}   status {status}"
    )
    return timings


class GenerationTwoWatch:
    """Records Python's full garbage collections and which side of the loop they hit."""

    def __init__(self) -> None:
        self.side = ""
        self.pauses: list[tuple[str, float]] = []
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((self.side, (time.perf_counter() - self._started) * 1000))

    def stop(self) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> str:
        if not self.pauses:
            return "none"
        return ", ".join(f"{ms:.0f} ms in a {side} POST" for side, ms in self.pauses)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument(
        "--rounds", type=int, default=5, help="the POST comparison is reported per round too"
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="freeze the loaded application's objects out of the garbage collector, as the "
        "gunicorn configuration (gunicorn.conf.py) does before it starts its workers",
    )
    args = parser.parse_args()

    import django
    from django.conf import settings

    settings.ROOT_URLCONF = "benchmarks.urls"
    settings.RATELIMIT_ENABLE = False
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    if args.gc_freeze:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - what gunicorn's preload imports too
        gc.collect()
        gc.freeze()

    from consultations.models import Comment, Proposal, Support
    from foundation.models import Consultation, User

    assert connection.vendor == "postgresql", "run against PostgreSQL (see benchmarks/README.md)"
    consultation = Consultation.objects.get(slug="bench")
    proposals = Proposal.objects.filter(consultation=consultation)
    print(
        f"data: {proposals.count():,} proposals, {Support.objects.count():,} supports, "
        f"{Comment.objects.count():,} comments, {User.objects.count():,} users"
    )
    busiest = proposals.order_by("-support_count").first()
    assert busiest is not None
    print(
        f"busiest proposal: {busiest.pk} with {busiest.support_count:,} supports and {busiest.comment_count:,} comments"
    )
    field_slug = busiest.handlungsfeld.slug
    list_url = reverse("consultations:proposal_list", args=[consultation.slug])
    detail_url = reverse("consultations:proposal_detail", args=[consultation.slug, busiest.pk])

    visitor = Client()
    resident = Client()
    # A resident with a verified address (the seed verifies the first 2,000 bench users).
    user = (
        User.objects.filter(username__startswith="bench", emailaddress__verified=True)
        .order_by("pk")
        .first()
    )
    resident.force_login(user)

    n = args.requests
    print(f"\nGET, {n} requests each (after 5 warm-up requests)")
    measure("bare Django view", n, lambda i: visitor.get("/bench/bare/"))
    measure(
        "list: Handlungsfeld filter, sorted by supports (visitor)",
        n,
        lambda i: visitor.get(list_url, {"handlungsfeld": field_slug, "sort": "supports"}),
    )
    measure(
        "list: same, page 7",
        n,
        lambda i: visitor.get(
            list_url, {"handlungsfeld": field_slug, "sort": "supports", "page": 7}
        ),
    )
    measure(
        "list: same, signed-in resident",
        n,
        lambda i: resident.get(list_url, {"handlungsfeld": field_slug, "sort": "supports"}),
    )
    measure(
        "list: full-text search 'Sprachkurse Familien', by supports",
        n,
        lambda i: visitor.get(list_url, {"q": "Sprachkurse Familien", "sort": "supports"}),
    )
    measure(
        "list: htmx partial, municipality + kind filter",
        n,
        lambda i: visitor.get(
            list_url,
            {"municipality": "gemeinde-3", "kind": "measure", "sort": "supports"},
            HTTP_HX_REQUEST="true",
        ),
    )
    measure(
        "detail: busiest proposal + first page of comments (visitor)",
        n,
        lambda i: visitor.get(detail_url),
    )
    measure("detail: same, signed-in resident", n, lambda i: resident.get(detail_url))

    # Support POSTs: the resident supports the least supported open proposals, one each;
    # the bare view inserts the same kind of row for another user, alternating, so both
    # see the same table and index sizes.
    posts = args.posts
    targets = list(
        proposals.filter(status="published", is_hidden=False, is_locked=False)
        .exclude(supports__user=user)
        .order_by("support_count", "pk")
        .values_list("pk", flat=True)[: posts + 5]
    )
    other = (
        User.objects.filter(username__startswith="bench")
        .exclude(pk=user.pk)
        .order_by("-pk")
        .first()
    )
    Support.objects.filter(user=other, proposal_id__in=targets).delete()
    support_urls = [
        reverse("consultations:proposal_support", args=[consultation.slug, pk]) for pk in targets
    ]
    rounds = max(1, args.rounds)
    print(f"\nPOST, {posts} requests each, alternating, in {rounds} rounds")
    resident.post(support_urls[-1])  # warm-up
    visitor.post("/bench/insert/", {"proposal": targets[-1], "user": other.pk})
    view_times, bare_times, round_ratios = [], [], []
    per_round = max(1, posts // rounds)
    # Python's full garbage collections (generation 2) pause whichever request happens to
    # trigger them, ~100 ms each with this process's heap: one in a round of 100 POSTs moves
    # that round's ratio by twenty points. They are counted per side and printed.
    collections = GenerationTwoWatch()
    for i in range(posts):
        collections.side = "support"
        started = time.perf_counter()
        response = resident.post(support_urls[i])
        view_times.append((time.perf_counter() - started) * 1000)
        # A browser shows the "thank you" message on the next page, which consumes it; the
        # loop never GETs that page, so drop the cookie instead of letting messages pile up.
        resident.cookies.pop("messages", None)
        assert response.status_code == 302, response.status_code
        collections.side = "bare"
        started = time.perf_counter()
        visitor.post("/bench/insert/", {"proposal": targets[i], "user": other.pk})
        bare_times.append((time.perf_counter() - started) * 1000)
        if (i + 1) % per_round == 0:
            # Throughput ratio of this round: bare mean time / support mean time.
            round_ratios.append(
                statistics.mean(bare_times[-per_round:]) / statistics.mean(view_times[-per_round:])
            )
    collections.stop()
    # With JavaScript the same button posts through htmx and gets the new support box back
    # (a rendered fragment instead of a redirect): withdraw some of the supports just given.
    htmx_count = min(100, posts)
    htmx_times = []
    for i in range(htmx_count):
        started = time.perf_counter()
        response = resident.post(support_urls[i], {"action": "remove"}, HTTP_HX_REQUEST="true")
        htmx_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    floor_times = []
    for _ in range(posts):
        started = time.perf_counter()
        resident.post("/bench/signed-in/")
        floor_times.append((time.perf_counter() - started) * 1000)
    print(
        f"{'signed-in POST doing nothing (session, user, redirect)':<58} p50 {statistics.median(floor_times):7.1f} ms   "
        f"p95 {percentile(floor_times, 0.95):7.1f} ms   {1000 / statistics.mean(floor_times):7.0f} req/s"
    )
    view_rate = 1000 / statistics.mean(view_times)
    bare_rate = 1000 / statistics.mean(bare_times)
    print(
        f"{'support POST (checks, insert, counter, redirect)':<58} p50 {statistics.median(view_times):7.1f} ms   "
        f"p95 {percentile(view_times, 0.95):7.1f} ms   {view_rate:7.0f} req/s"
    )
    print(
        f"{'bare view inserting one row':<58} p50 {statistics.median(bare_times):7.1f} ms   "
        f"p95 {percentile(bare_times, 0.95):7.1f} ms   {bare_rate:7.0f} req/s"
    )
    print(
        f"{'support POST via htmx (withdraw; returns the support box)':<58} p50 {statistics.median(htmx_times):7.1f} ms   "
        f"p95 {percentile(htmx_times, 0.95):7.1f} ms   {1000 / statistics.mean(htmx_times):7.0f} req/s"
    )
    print(
        f"support POST throughput = {100 * view_rate / bare_rate:.0f} % of the bare insert view "
        f"(rounds: {', '.join(f'{100 * ratio:.0f} %' for ratio in round_ratios)}; "
        f"median {100 * statistics.median(round_ratios):.0f} %)"
    )
    print(f"full garbage collections during those POSTs: {collections.summary()}")
    created = Support.objects.filter(user=user, proposal_id__in=targets[:posts]).count()
    counted = sum(proposals.filter(pk__in=targets[:posts]).values_list("support_count", flat=True))
    print(
        f"check: the resident holds {created} supports ({posts} given, {htmx_count} withdrawn); "
        f"counters of those proposals sum to {counted:,}"
    )

    # Leave the data as it was for the next run.
    for pk in targets:
        Proposal.objects.filter(pk=pk, supports__user=user).update(
            support_count=models_f("support_count") - 1
        )
    Support.objects.filter(user__in=[user, other], proposal_id__in=targets).delete()


def models_f(name: str):  # small indirection to keep imports after django.setup()
    from django.db.models import F

    return F(name)


if __name__ == "__main__":
    main()
