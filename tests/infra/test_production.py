"""Production settings, started for real in subprocesses: `check --deploy` and gunicorn."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import closed_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org,127.0.0.1",
    )
    # Embedded runs get their own SQLite file; the services run keeps its PostgreSQL and Redis.
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite3'}")
    env.update(extra)
    return env


def test_check_deploy_passes_without_a_single_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Host": "example.org", **(headers or {})})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_healthz_with_production_settings(tmp_path):
    port = closed_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=production_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = fetch(f"http://127.0.0.1:{port}/healthz")
                break
            except (ConnectionError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "gunicorn did not start:\n" + server.stdout.read().decode(errors="replace")
                    )
                time.sleep(0.2)

        assert status == 200, body
        health = json.loads(body)
        assert health["status"] == "ok"
        assert "Set-Cookie" not in headers

        # Behind the TLS-terminating proxy the same answer carries HSTS.
        status, headers, _ = fetch(
            f"http://127.0.0.1:{port}/healthz", {"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=")

        # Every other page goes to HTTPS unless the proxy says the request came over HTTPS.
        status, headers, _ = fetch(f"http://127.0.0.1:{port}/suche/")
        assert status == 301
        assert headers["Location"] == "https://example.org/suche/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server.stdout.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_configuration_preloads_and_the_fork_hook_freezes_the_loaded_app():
    """gunicorn.conf.py (read from the working directory): preload, and before each fork
    close shared connections and move the loaded objects out of the collector's reach."""
    import gc
    import runpy

    from django.db import connection

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    connection.ensure_connection()
    gc.unfreeze()
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
        # A connection opened while loading would be shared by the workers: it is closed
        # (Django keeps the test run's in-memory SQLite database open: closing would drop it).
        if connection.vendor != "sqlite":
            assert connection.connection is None
    finally:
        gc.unfreeze()


def test_gunicorn_reads_the_configuration_file():
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--print-config", "config.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, "WEB_CONCURRENCY": "5"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = {
        key.strip(): value.strip()
        for key, value in (
            line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line
        )
    }
    assert printed["preload_app"] == "True"
    assert printed["workers"] == "5"
    assert printed["timeout"] == "60"
