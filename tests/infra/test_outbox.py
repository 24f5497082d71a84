"""Side effects leave through the outbox: a broker that is down or hangs never costs a request
more than a moment, nothing is lost, and the periodic relay delivers once the broker is back."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from config.celery import app as celery_app
from foundation import outbox
from foundation.models import OutboxMessage
from foundation.tasks import relay_outbox

pytestmark = pytest.mark.django_db


def sign_up(client, email: str = "neu@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "Kaffeebohne-1234",
            "password2": "Kaffeebohne-1234",
            "privacy_consent": "on",
        },
    )


def age(message: OutboxMessage, *, seconds: int = 60) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_sign_up_with_the_broker_down_answers_at_once_and_keeps_the_mail(
    client, broker_down, django_capture_on_commit_callbacks
):
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    elapsed = time.perf_counter() - started

    assert response.status_code == 302
    assert elapsed < 3, f"the request waited {elapsed:.1f}s for the broker"
    message = OutboxMessage.objects.get(payload__to=["neu@example.org"])
    assert message.dispatched_at is None
    assert message.attempts == 1
    assert "OperationalError" in message.last_error


def test_a_broker_that_accepts_but_never_answers_does_not_hang_the_request(
    client, broker_hanging, django_capture_on_commit_callbacks
):
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "geduld@example.org")
    elapsed = time.perf_counter() - started

    assert response.status_code == 302
    assert elapsed < 3, f"the request waited {elapsed:.1f}s for the broker"
    message = OutboxMessage.objects.get(payload__to=["geduld@example.org"])
    assert message.dispatched_at is None
    assert message.last_error


def test_the_periodic_relay_delivers_the_kept_mail_once_the_broker_is_back(
    client, broker_down, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "spaeter@example.org")
    message = OutboxMessage.objects.get(payload__to=["spaeter@example.org"])
    age(message)

    # Still down: the beat task records the failure and stops after the first message.
    assert relay_outbox() == {"sent": 0, "failed": 1, "broker_down": True}
    assert mail.outbox == []

    # Back (embedded mode runs the task in this process): the mail goes out, exactly once.
    celery_app.conf.task_always_eager = True
    assert relay_outbox() == {"sent": 1, "failed": 0, "broker_down": False}
    assert relay_outbox() == {"sent": 0, "failed": 0, "broker_down": False}

    assert [m.to for m in mail.outbox] == [["spaeter@example.org"]]
    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert message.attempts == 3
    assert message.last_error == ""


def test_a_real_broker_receives_the_message_under_the_outbox_task_id(
    broker_in_memory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(
            "foundation.tasks.send_email",
            payload={"to": ["a@example.org"], "subject": "Hallo", "body": "Text"},
        )

    message.refresh_from_db()
    assert message.dispatched_at is not None
    with Connection("memory://") as connection:
        queue = connection.SimpleQueue("celery")
        received = queue.get(timeout=1)
        received.ack()
        queue.close()
    assert received.headers["id"] == outbox.message_task_id(message)
    assert received.headers["task"] == "foundation.tasks.send_email"
    assert mail.outbox == []  # handed to the broker, not run here


def test_nothing_leaves_when_the_transaction_rolls_back(
    embedded_celery, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        outbox.enqueue(
            "foundation.tasks.send_email",
            payload={"to": ["x@example.org"], "subject": "s", "body": "b"},
        )
        raise Abort

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_dedupe_key_sends_once_however_often_it_is_enqueued(
    embedded_celery, django_capture_on_commit_callbacks
):
    payload = {"to": ["einmal@example.org"], "subject": "Ihr Vorschlag wurde bewertet", "body": "…"}
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue(
            "foundation.tasks.send_email", payload=payload, dedupe_key="assessment:7"
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox.enqueue(
            "foundation.tasks.send_email", payload=payload, dedupe_key="assessment:7"
        )
    outbox.relay_pending(older_than=timedelta(0))

    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_task_run_twice_under_the_same_outbox_id_mails_once(embedded_celery):
    from foundation.tasks import send_email

    kwargs = {"to": ["doppelt@example.org"], "subject": "s", "body": "b"}
    send_email.apply(kwargs=kwargs, task_id="outbox-4711-20250101120000000000")
    # e.g. redelivered after a worker crash (acks_late)
    send_email.apply(kwargs=kwargs, task_id="outbox-4711-20250101120000000000")

    assert len(mail.outbox) == 1


def test_an_unknown_task_is_kept_with_its_error_and_given_up_after_many_attempts(
    embedded_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("foundation.tasks.does_not_exist", payload={})
    message.refresh_from_db()
    assert message.dispatched_at is None
    assert "does_not_exist" in message.last_error

    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS)
    assert outbox.relay_pending(older_than=timedelta(0)).failed == 0


def test_a_failing_task_in_embedded_mode_keeps_the_row_for_the_next_relay(
    embedded_celery, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.infra.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(
            "foundation.tasks.send_email",
            payload={"to": ["y@example.org"], "subject": "s", "body": "b"},
        )
    message.refresh_from_db()
    assert message.dispatched_at is None
    assert "SMTP" in message.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.relay_pending(older_than=timedelta(0)).sent == 1
    assert len(mail.outbox) == 1


def test_the_beat_schedule_relays_every_minute_with_the_database_scheduler(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    entry = settings.CELERY_BEAT_SCHEDULE["foundation-outbox-relay"]
    assert entry["task"] == "foundation.tasks.relay_outbox"
    assert entry["schedule"] == 60.0
    assert celery_app.conf.beat_schedule["foundation-outbox-relay"]["task"] in celery_app.tasks
