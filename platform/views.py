from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check(name: str, probe: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as exc:
        # The public answer names the kind of failure; the log has the details (hosts, ports).
        logger.warning("healthz: %s check failed: %s: %s", name, type(exc).__name__, exc)
        return {"ok": False, "error": type(exc).__name__, "ms": _elapsed_ms(started)}
    return {"ok": True, "ms": _elapsed_ms(started), **detail}


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict[str, Any]:
    backend = caches["default"]
    # A key per call: concurrent probes must not read each other's value.
    key, token = f"healthz:{secrets.token_hex(8)}", "1"
    backend.set(key, token, 10)
    if backend.get(key) != token:
        raise RuntimeError("value written to the cache could not be read back")
    backend.delete(key)
    return {"backend": type(backend).__name__}


def _broker() -> dict[str, Any]:
    from celery import current_app

    if current_app.conf.task_always_eager:
        return {"mode": "eager"}
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"mode": "broker", "transport": current_app.conf.broker_url.split(":", 1)[0]}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker, each reported separately; 503 when one of them fails.

    Needs no session, cookie or template, and is exempt from the HTTPS redirect
    (SECURE_REDIRECT_EXEMPT), so load balancers and container health checks can call it.
    """
    checks = {
        "database": _check("database", _database),
        "cache": _check("cache", _cache),
        "broker": _check("broker", _broker),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "foundation/error.html",
        {
            "status": 429,
            "title": _("Too many requests"),
            "text": _(
                "You did this too often in a short time. Please wait a moment and try again."
            ),
        },
        status=429,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "foundation/error.html",
        {
            "status": 404,
            "title": _("Page not found"),
            "text": _("The page you asked for does not exist or is no longer available."),
        },
        status=404,
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "foundation/error.html",
        {
            "status": 403,
            "title": _("Access denied"),
            "text": _("You are not allowed to open this page. Sign in with an account that may."),
        },
        status=403,
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "foundation/error.html",
        {
            "status": 400,
            "title": _("Bad request"),
            "text": _("The request could not be understood."),
        },
        status=400,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the error may lie in a context processor.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
