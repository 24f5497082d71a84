"""Helpers for the infrastructure tests: a broker that is down, a broker that hangs."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from config.celery import app as celery_app


def closed_port() -> int:
    """A localhost port on which nothing listens (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never answers: the broker that 'hangs'."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for connection in accepted:
            connection.close()
        server.close()


def _drop_connection_pools() -> None:
    # Forget (not close: kombu shares pools between apps) the pools made for the old URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str, *, eager: bool = False) -> Iterator[None]:
    """Publish to `url` (not eagerly, unless asked), as production does.

    Celery prefers the environment's CELERY_BROKER_URL over its configuration (the services
    run sets it), but publishing uses `broker_write_url` first, so that is what is switched.
    """
    conf = celery_app.conf
    saved = (conf.broker_write_url, conf.task_always_eager)
    _drop_connection_pools()
    conf.broker_write_url, conf.task_always_eager = url, eager
    try:
        yield
    finally:
        _drop_connection_pools()
        conf.broker_write_url, conf.task_always_eager = saved


@pytest.fixture
def broker_down() -> Iterator[str]:
    url = f"redis://127.0.0.1:{closed_port()}/0"
    with celery_broker(url):
        yield url


@pytest.fixture
def broker_hanging() -> Iterator[str]:
    with silent_server() as port:
        url = f"redis://127.0.0.1:{port}/0"
        with celery_broker(url):
            yield url


@pytest.fixture
def broker_in_memory() -> Iterator[str]:
    """A working broker inside this process (kombu's memory transport), its queue empty: the
    transport lives as long as the process, and a mutation run tests in one process again."""
    from kombu import Connection

    with Connection("memory://") as connection:
        connection.SimpleQueue("celery").clear()
    with celery_broker("memory://"):
        yield "memory://"


@pytest.fixture
def embedded_celery() -> Iterator[None]:
    """Tasks run in this process at once, as in `make run` (also during the services run)."""
    with celery_broker("memory://", eager=True):
        yield
