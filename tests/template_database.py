"""One migrated SQLite database for every test run and every pytest worker (embedded runs only).

Migrating a new test database takes about 20 s of pure Python on a quiet machine (minutes
under load), and every xdist worker used to do it for its own in-memory database. Instead the
first worker to need it migrates once and saves the result as a template file in
`.test-databases/`; every worker (of this run and of later runs) copies the template into its
own in-memory database with SQLite's backup API, the way Django's parallel test runner clones
its workers' databases. The tests then run on the same kind of database as before.

The template's name is a hash of everything that decides what migrating produces: the
installed distributions and their versions, INSTALLED_APPS, every migration file of every
installed app, and the project's post_migrate receivers. Any change there builds a new one.
pytest-django still runs `migrate` on the copy (there is nothing to apply, so it only emits
post_migrate, which keeps permissions and role groups in step with the code) and serializes
the data for `serialized_rollback`, as for a new database.

`pytest --create-db` skips the template and migrates as before; `make clean` deletes the files.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import inspect
import os
import sqlite3
import weakref
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / ".test-databases"


def in_memory_sqlite(database: dict) -> bool:
    """The embedded test database: SQLite without a TEST NAME, so Django makes it in memory."""
    return database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get(
        "NAME"
    )


def _hash_file(digest: hashlib._Hash, path: Path) -> None:
    digest.update(str(path).encode())
    digest.update(path.read_bytes())


def template_key() -> str:
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import post_migrate

    digest = hashlib.sha256()
    distributions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(distributions).encode())
    digest.update(repr(list(settings.INSTALLED_APPS)).encode())
    for app_config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            spec = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            for path in sorted(Path(location).glob("*.py")):
                _hash_file(digest, path)
    for _key, receiver, _is_async in post_migrate.receivers:
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        source = inspect.getsourcefile(receiver) if receiver is not None else None
        if source and Path(source).resolve().is_relative_to(ROOT):
            _hash_file(digest, Path(source))
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build(template: Path, memory: sqlite3.Connection) -> None:
    """Migrate this process's in-memory test database and save it as the template."""
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    name = connection.settings_dict["NAME"]
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        # setup_databases creates the test database again (keepdb) from the original name.
        connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = name
    partial = template.with_suffix(f".{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        memory.backup(target)
        # A self-contained file (no -wal beside it) that workers can open read-only.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    partial.replace(template)
    # Under the lock nobody else is building: older templates and half-written files of
    # interrupted runs can go.
    for old in [*DIRECTORY.glob("template-*.sqlite3"), *DIRECTORY.glob("template-*.partial")]:
        if old != template:
            old.unlink(missing_ok=True)


_keepers: list[sqlite3.Connection] = []


def load_into_memory() -> None:
    """Give this process's in-memory test database the template's contents, building the
    template first if no worker has yet. Call with database access unblocked, before
    setup_databases."""
    from django.db import connections

    DIRECTORY.mkdir(exist_ok=True)
    template = DIRECTORY / f"template-{template_key()}.sqlite3"
    # An in-memory database lives while a connection to it is open: this one stays open for
    # the session, whatever Django does with its own connection.
    memory = sqlite3.connect(connections["default"].creation._get_test_db_name(), uri=True)
    _keepers.append(memory)
    with _exclusive(DIRECTORY / "build.lock"):
        if not template.exists():
            _build(template, memory)
            return
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        source.backup(memory)
    finally:
        source.close()


def close() -> None:
    while _keepers:
        _keepers.pop().close()


_kept_for_mutation_runs = False


def keep_for_mutation_runs() -> None:
    """Mutation runs (tests/conftest.py): this process's database is set up; later pytest
    sessions in it, and its forked children, use it as it is."""
    global _kept_for_mutation_runs
    _kept_for_mutation_runs = True


def kept_for_mutation_runs() -> bool:
    return _kept_for_mutation_runs
