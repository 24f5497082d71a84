"""Round trips through the real broker, worker and result backend.

The worker runs in its own process with its own settings (.ci/run starts it), so these tests
observe its work where both can see it: the result backend (Redis) and the worker's mail
folder (EMAIL_URL=filemail://$MITREDEN_WORKER_MAIL_DIR). None of them needs the worker to
read pytest's test database, which makes them safe under pytest-xdist.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from foundation import outbox
from foundation.models import OutboxMessage
from foundation.tasks import ping, worker_info

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]


def test_a_task_round_trips_through_the_real_worker():
    token = secrets.token_hex(8)

    assert ping.apply_async(kwargs={"value": token}).get(timeout=30) == token


def test_the_worker_imports_the_standard_library_platform_module():
    info = worker_info.delay().get(timeout=30)

    assert info["python"].startswith("3.11.")
    assert Path(info["platform_module"]).name == "platform.py"
    assert Path(info["platform_module"]).parent != ROOT / "platform"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_outbox_mail_is_relayed_and_sent_by_the_worker():
    mail_dir = os.environ.get("MITREDEN_WORKER_MAIL_DIR")
    if not mail_dir:
        pytest.skip("MITREDEN_WORKER_MAIL_DIR is not set (the worker's filemail folder)")
    subject = f"Ihr Vorschlag wurde bewertet {secrets.token_hex(6)}"

    with transaction.atomic():
        message = outbox.enqueue(
            "foundation.tasks.send_email",
            payload={
                "to": ["autorin@example.org"],
                "subject": subject,
                "body": "Details im Portal.",
            },
            dedupe_key=f"services-test:{subject}",
        )
        assert OutboxMessage.objects.get(pk=message.pk).dispatched_at is None  # not before commit

    message.refresh_from_db()
    assert message.dispatched_at is not None, message.last_error
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        sent = [
            path
            for path in Path(mail_dir).glob("*.log")
            if subject in path.read_text(errors="replace")
        ]
        if sent:
            break
        time.sleep(0.2)
    assert len(sent) == 1, f"the worker did not send {subject!r} within 30 s"
    assert "To: autorin@example.org" in sent[0].read_text()


@pytest.mark.django_db
def test_healthz_reports_postgresql_redis_and_the_broker(client):
    response = client.get(reverse("healthz"))
    body = response.json()

    assert response.status_code == 200, body
    assert body["checks"]["database"]["vendor"] == "postgresql"
    assert body["checks"]["cache"]["backend"] == "DegradingRedisCache"  # foundation.cache
    assert body["checks"]["broker"] == {
        "ok": True,
        "ms": body["checks"]["broker"]["ms"],
        "mode": "broker",
        "transport": "redis",
    }


def test_a_solo_pool_worker_boots_and_runs_tasks_from_the_project_root():
    """The layout proof under a real worker: `celery -A config worker --pool solo`."""
    queue = f"layout-probe-{secrets.token_hex(4)}"
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        info = worker_info.apply_async(queue=queue).get(timeout=60)
        assert Path(info["platform_module"]).name == "platform.py"
        assert info["python"].startswith("3.11.")
        assert ping.apply_async(kwargs={"value": queue}, queue=queue).get(timeout=30) == queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        output = worker.stdout.read().decode(errors="replace")
        worker.stdout.close()
    assert "Traceback" not in output, output
