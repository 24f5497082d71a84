"""What the PostgreSQL benchmarks share: a database of their own (created, migrated, dropped),
Redis database 14 for cache and queue, a bare view beside the real ones, and the timing.

    with fresh_site("SURVEYS_BENCH_DATABASE_URL", DEFAULT_URL, keep=args.keep):
        ...  # Django is set up, migrated; /bench-bare/ answers "ok"

The variable is the benchmark's own: it drops its database, so it never takes DATABASE_URL.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def admin_connection(url: str):  # noqa: ANN201
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    ), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    connection, name = admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    connection, name = admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(function: Callable[[], object], runs: int, warmup: int = 3) -> tuple[float, float, int]:
    """p50, p95 (ms) and the number of queries of one call of `function`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    return (*percentiles(timings), len(queries))


@contextmanager
def fresh_site(variable: str, default_url: str, *, keep: bool) -> Iterator[str]:
    """Django on a new, migrated PostgreSQL database, run like production (cache and queue in
    Redis database 14 of BENCH_REDIS_URL, flushed before and after; tasks not run in the
    request), with a bare view at /bench-bare/. Drops the database afterwards unless `keep`."""
    url = os.environ.get(variable) or default_url
    if not url.startswith("postgres"):
        print(f"{variable} must point to PostgreSQL", file=sys.stderr)
        raise SystemExit(2)
    os.environ["DATABASE_URL"] = url
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    flush_redis(redis_url)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    recreate_database(url)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.http import HttpResponse
        from django.urls import clear_url_caches, path

        settings.DEBUG = False  # no query log growth during timing
        settings.ALLOWED_HOSTS = ["testserver"]
        settings.RATELIMIT_ENABLE = False
        started = time.perf_counter()
        call_command("migrate", verbosity=0, skip_checks=True)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)

        import config.urls

        config.urls.urlpatterns.insert(0, path("bench-bare/", lambda request: HttpResponse("ok")))
        clear_url_caches()
        yield url
    finally:
        flush_redis(redis_url)
        if not keep:
            drop_database(url)
