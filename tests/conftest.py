import os
from collections.abc import Iterator

import pytest

from tests import template_database


@pytest.fixture(scope="session")
def _sqlite_template(
    django_db_modify_db_settings_parallel_suffix,
    django_db_createdb,
    django_db_use_migrations,
    django_db_blocker,
) -> Iterator[bool]:
    """Embedded runs: this worker's in-memory test database starts as a copy of one migrated
    template (tests/template_database.py). PostgreSQL, `--create-db` and `--nomigrations`
    keep pytest-django's own behaviour."""
    from django.conf import settings

    if (
        django_db_createdb
        or not django_db_use_migrations
        or not template_database.in_memory_sqlite(settings.DATABASES["default"])
    ):
        yield False
        return
    with django_db_blocker.unblock():
        template_database.load_into_memory()
    yield True
    template_database.close()


@pytest.fixture(scope="session")
def django_db_keepdb(request, _sqlite_template) -> bool:
    """Keep (do not re-create) the test database when it came from the template."""
    return _sqlite_template or request.config.getvalue("reuse_db")


if os.environ.get("MITREDEN_MUTATION") == "1":
    # Mutation testing (tests/mutation/run.py): mutmut runs pytest many times in one process
    # and then once per mutant in a forked child, each time with a few tests. Setting the
    # database up takes seconds (migrate, post_migrate, serializing), the tests of a mutant
    # often less; so the first session of the process sets up its in-memory database and
    # keeps it, and every later session and every forked child (a copy of the process, its
    # in-memory database included) starts from it. Each test leaves the data as it found it
    # (rolled back, or restored by serialized_rollback); only a flush at the end of the last
    # transactional test leaves it empty, and then the next session restores it first.

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker) -> Iterator[None]:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection
        from django.test.utils import setup_databases

        with django_db_blocker.unblock():
            if not template_database.kept_for_mutation_runs():
                template_database.load_into_memory()
                setup_databases(
                    verbosity=0, interactive=False, keepdb=True, serialized_aliases={"default"}
                )
                template_database.keep_for_mutation_runs()
            elif not ContentType.objects.exists():
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Each test: fast password hashing, mail in memory, media in a temp dir, no rate limits or lockouts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RATELIMIT_ENABLE = False
    # django-axes refuses Client.login() (it passes no request); tests/infra/test_security_login.py
    # switches the lockout on and signs in through the forms.
    settings.AXES_ENABLED = False
    # Query-count tests compare requests: cached menus would make the first one dearer.
    # tests/cms/test_navigation_cache.py and tests/foundation/test_caches.py switch them on.
    settings.CMS_NAVIGATION_CACHE_SECONDS = 0
    settings.PHASES_CACHE_SECONDS = 0
    settings.VERIFIED_EMAIL_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Nothing cached by one test is seen by the next: every test starts with an empty cache.

    Against Redis (the services run, several pytest workers at once) each xdist worker gets
    a Redis database of its own (12, 13, ...), so that clearing the cache — here and in
    tests that clear it themselves — never wipes what a test in another worker just cached.
    """
    import os
    import re

    from django.core.cache import cache

    if "RedisCache" in settings.CACHES["default"]["BACKEND"]:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        database = 12 + int(worker[2:] or 0) if worker.startswith("gw") else 12
        location = re.sub(
            r"(/\d+)?$", f"/{database}", settings.CACHES["default"]["LOCATION"], count=1
        )
        if settings.CACHES["default"]["LOCATION"] != location:
            settings.CACHES = {
                **settings.CACHES,
                "default": {**settings.CACHES["default"], "LOCATION": location},
            }
    cache.clear()


def pytest_configure(config):
    """A test that changes LANGUAGE_CODE or LANGUAGES (the `settings` fixture) also clears the
    URL resolvers: Django caches each language's reverse() prefix when that language is first
    reversed, so an English site's empty prefix would otherwise stay for every later test of
    the process (English addresses without /en/, pages in German)."""
    from django.test.signals import setting_changed
    from django.urls import clear_url_caches

    def clear_urls(*, setting, **_kwargs):
        if setting in {"LANGUAGE_CODE", "LANGUAGES"}:
            clear_url_caches()

    setting_changed.connect(clear_urls, weak=False, dispatch_uid="tests-clear-url-caches")


@pytest.fixture(autouse=True)
def _german_by_default(settings):
    """Each test starts in the site's default language, whatever the previous test requested."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_in_process_unless_services(request):
    """The services run (.ci/run) repeats the whole suite on PostgreSQL and Redis with a real
    Celery worker. Only tests marked `services` talk to that worker; every other test keeps
    running its tasks in-process, as in the embedded run, so it can check their results
    (mail.outbox, finished exports) right away."""
    from config.celery import app

    if app.conf.task_always_eager or request.node.get_closest_marker("services"):
        yield
        return
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the migrated data (serialized_rollback=True).

    A plain transactional test ends with a flush that runs post_migrate again (the roles are
    created anew, with new ids); the next test that restores the serialized data then fails
    on PostgreSQL with a duplicate role name. Refuse such a test at collection, with the fix.
    """
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        uses_live_database = {"live_server", "transactional_db"} & set(item.fixturenames)
        if marker is None:
            if uses_live_database:
                offenders.append(item.nodeid)
            continue
        transactional = marker.kwargs.get("transaction", bool(marker.args and marker.args[0]))
        transactional = transactional or bool(uses_live_database)
        if transactional and not marker.kwargs.get("serialized_rollback", False):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "transactional tests need @pytest.mark.django_db(transaction=True, serialized_rollback=True): "
            + ", ".join(offenders)
        )
