"""Shared set-up of the browser tests: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SMALL_DEMO = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
# (fixtures, live_server's database) happen outside it and are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every browser test is marked, skipped without Chromium, and restores the migrated rows.

    The live server needs a transactional database, which is flushed after each test; without
    serialized_rollback Wagtail's root page and default locale would be gone for the next one.
    """
    here = Path(__file__).parent
    for item in items:
        if here not in Path(str(item.fspath)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if not CHROMIUM.exists():
            item.add_marker(
                pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
            )


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_pages():
    """The real page tree (home page, Handlungsfelder) from the small demo extract."""
    from demo.loader import load_demo, read_data

    load_demo(data=read_data(SMALL_DEMO), log=lambda message: None)


def open_context(browser, live_server, locale: str = "de-DE"):
    return browser.new_context(locale=locale, base_url=live_server.url)
