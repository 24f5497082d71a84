"""Real services: PostgreSQL, Redis and a running Celery worker (started by .ci/run).

Without them these tests skip, so `make test` stays embedded. With MITREDEN_REQUIRE_SERVICES=1
(set by .ci/run) a missing service fails the run instead of skipping it.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from config.celery import app as celery_app


def services_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL is not PostgreSQL"
    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        return "REDIS_URL is not set (no Redis cache)"
    if celery_app.conf.task_always_eager or not celery_app.conf.broker_url.startswith("redis"):
        return "Celery runs eagerly (no broker)"
    return None


@pytest.fixture(autouse=True)
def _real_services() -> None:
    reason = services_missing()
    if reason is None:
        return
    if os.environ.get("MITREDEN_REQUIRE_SERVICES") == "1":
        pytest.fail(f"services run without its services: {reason}")
    pytest.skip(reason)
