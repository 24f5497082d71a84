"""gunicorn settings for Mitreden's web server.

gunicorn reads this file from its working directory (the project root; /app in the Docker
image), so `gunicorn config.wsgi:application` needs no further flags. Options given on the
command line win over these; WEB_CONCURRENCY and GUNICORN_BIND set the usual two from the
environment.

preload_app loads Django once in the master process, before it forks the workers: they start
faster, and together with gc.freeze() they share the loaded code's memory pages. The freeze
moves everything loaded so far into the garbage collector's permanent generation, so a
worker's full collections walk only what requests created since. Measured in-process
(benchmarks/proposals.py --gc-freeze): a full collection went from about 100 ms to 7-22 ms,
and such a pause lands on whichever request triggers it.
"""

from __future__ import annotations

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
accesslog = "-"
# Only the reverse proxy may say the request came over HTTPS (X-Forwarded-Proto): the same
# list as Django's TRUSTED_PROXIES (config/settings.py, foundation.client_ip), from the same
# variable, so that gunicorn and Django agree on whom to believe. Default: a proxy on this
# machine.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "").strip() or "127.0.0.1,::1"
preload_app = True


def pre_fork(server, worker) -> None:  # noqa: ANN001 - gunicorn's hook signature
    """In the master, before each worker is forked: nothing shared, the loaded app frozen."""
    # Loading the app must not leave a database or cache connection open; should one exist,
    # close it here, so that no two workers ever share a socket.
    from django.core.cache import close_caches
    from django.db import connections

    connections.close_all()
    close_caches()
    gc.collect()
    gc.freeze()
