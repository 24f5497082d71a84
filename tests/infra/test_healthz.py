"""/healthz tells a load balancer whether database, cache and broker work, each on its own."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from .conftest import closed_port

pytestmark = pytest.mark.django_db


def get_health(client):
    response = client.get(reverse("healthz"))
    return response, response.json()


def test_embedded_setup_is_healthy(client, settings):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("embedded setup only; the services run checks its own in tests/services")
    response, body = get_health(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {
        "ok": True,
        "ms": body["checks"]["database"]["ms"],
        "vendor": "sqlite",
    }
    assert body["checks"]["cache"]["backend"] == "LocMemCache"
    assert body["checks"]["broker"]["mode"] == "eager"
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_cache_that_is_down_gives_503_but_the_database_is_still_reported_ok(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }

    response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True
    assert "127.0.0.1" not in response.content.decode()  # details go to the log, not the public


def test_a_broker_that_is_down_gives_503(client, broker_down):
    response, body = get_health(client)

    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True


def test_a_hanging_broker_is_reported_within_seconds(client, broker_hanging):
    started = time.perf_counter()
    response, body = get_health(client)

    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert time.perf_counter() - started < 5


def test_healthz_needs_no_session_and_sets_no_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the database probe; no session, no user
        response, _ = get_health(client)

    assert response.status_code == 200
    assert response.cookies == {}


def test_only_get_is_allowed(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_is_exempt_from_the_https_redirect_that_covers_every_other_page(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    redirect = client.get("/suche/")
    assert redirect.status_code == 301
    assert redirect["Location"].startswith("https://")
