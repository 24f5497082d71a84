"""Yes/no and number settings refuse spellings they cannot mean, at start-up, naming the variable.

The settings module is started for real in subprocesses (production environment, DEBUG=0), so
nothing of the test run's own configuration leaks in.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Loads config/settings.py once per case in one interpreter and reports the values it read or
# the error it raised: one subprocess for many cases instead of one each.
LOAD_SETTINGS = """
import json, os, runpy, sys
results = []
for overrides in json.loads(sys.argv[1]):
    saved = dict(os.environ)
    os.environ.update(overrides)
    try:
        loaded = runpy.run_path("config/settings.py")
        results.append({"values": {name: loaded.get(name) for name in overrides}})
    except Exception as error:
        results.append({"error": type(error).__name__, "message": str(error)})
    finally:
        os.environ.clear()
        os.environ.update(saved)
print(json.dumps(results))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_"))
    }
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "RATELIMIT_ENABLE"):
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'settings.sqlite3'}",
    )
    env.update(extra)
    return env


def load_settings(tmp_path: Path, cases: list[dict[str, str]]) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS, json.dumps(cases)],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_misspelt_yes_no_setting_stops_the_start_and_names_the_variable(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(tmp_path, SECURE_SSL_REDIRECT="flase"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECURE_SSL_REDIRECT='flase' is not a yes/no value" in result.stderr
    assert "true" in result.stderr and "false" in result.stderr and "off" in result.stderr


MISSPELT_YES_NO = [
    ("SECURE_SSL_REDIRECT", "flase"),
    ("SESSION_COOKIE_SECURE", "ja"),
    ("CSRF_COOKIE_SECURE", "y"),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "2"),
    ("SECURE_HSTS_PRELOAD", "enabled"),
    ("RATELIMIT_ENABLE", "nope"),
    ("CELERY_TASK_ALWAYS_EAGER", "-1"),
    ("DEBUG", "treu"),
]
BAD_NUMBERS = [
    ("SECURE_HSTS_SECONDS", "1y", "a whole number of at least 0"),
    ("SECURE_HSTS_SECONDS", "3.5", "a whole number of at least 0"),
    ("SECURE_HSTS_SECONDS", "-60", "a whole number of at least 0"),
    ("PHASES_CACHE_SECONDS", "five minutes", "a whole number of at least 0"),
    ("REVIEW_REMINDER_HOUR", "24", "a whole number from 0 to 23"),
    ("CMS_NAVIGATION_CACHE_SECONDS", "1_000", "a whole number of at least 0"),
]


@pytest.fixture(scope="module")
def refusals(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """What starting the settings with each bad value gave, keyed by (variable, value)."""
    keys = [(variable, value) for variable, value in MISSPELT_YES_NO]
    keys += [(variable, value) for variable, value, _expected in BAD_NUMBERS]
    outcomes = load_settings(
        tmp_path_factory.mktemp("settings"), [{variable: value} for variable, value in keys]
    )
    return dict(zip(keys, outcomes, strict=True))


@pytest.mark.parametrize(("variable", "value"), MISSPELT_YES_NO)
def test_unknown_yes_no_spellings_are_refused(refusals, variable, value):
    outcome = refusals[variable, value]
    assert outcome.get("error") == "ImproperlyConfigured", outcome
    assert outcome["message"].startswith(f"{variable}={value!r} is not a yes/no value.")
    for spelling in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        assert spelling in outcome["message"]


@pytest.mark.parametrize(("variable", "value", "expected"), BAD_NUMBERS)
def test_numbers_that_are_not_whole_numbers_in_range_are_refused(
    refusals, variable, value, expected
):
    outcome = refusals[variable, value]
    assert outcome.get("error") == "ImproperlyConfigured", outcome
    assert outcome["message"].startswith(f"{variable}={value!r} is not valid.")
    assert expected in outcome["message"]


def test_the_usual_spellings_work_and_empty_means_the_default(tmp_path):
    cases = [
        *(
            {"SECURE_SSL_REDIRECT": spelling}
            for spelling in ("1", "true", "True", "YES", "on", " On ")
        ),
        *(
            {"SECURE_SSL_REDIRECT": spelling}
            for spelling in ("0", "false", "FALSE", "no", "No", "off")
        ),
        {"SECURE_SSL_REDIRECT": ""},
        {"SECURE_HSTS_SECONDS": "600"},
        {"SECURE_HSTS_SECONDS": " 0 "},
        {"SECURE_HSTS_SECONDS": ""},
        {"RATELIMIT_ENABLE": "off"},
    ]
    values = [outcome.get("values", outcome) for outcome in load_settings(tmp_path, cases)]
    assert values == [
        *[{"SECURE_SSL_REDIRECT": True}] * 6,
        *[{"SECURE_SSL_REDIRECT": False}] * 6,
        {"SECURE_SSL_REDIRECT": True},
        {"SECURE_HSTS_SECONDS": 600},
        {"SECURE_HSTS_SECONDS": 0},
        {"SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365},
        {"RATELIMIT_ENABLE": False},
    ]
