"""Headless Chromium against a live server: the home page as a keyboard user meets it."""

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)"
    ),
]

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
# (fixtures, live_server's database) happen outside it and are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    from demo.loader import load_demo, read_data

    # The real page tree (home page, Handlungsfelder) from the small demo extract.
    small = Path(__file__).resolve().parents[1] / "demo" / "region_hannover_small.json"
    load_demo(data=read_data(small), log=lambda message: None)
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def test_home_page_for_keyboard_users_and_assistive_technology(page):
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1

    # The first Tab stop is the skip link, it is visibly focused, and it moves focus to main.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, href: el.getAttribute('href') || '', text: el.textContent.trim(),
                    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
                    boxShadow: style.boxShadow};
        }"""
    )
    assert focused["tag"] == "A" and focused["href"].startswith("#"), focused
    assert (focused["outline"] != "none" and focused["outlineWidth"] > 0) or focused[
        "boxShadow"
    ] != "none", focused

    page.keyboard.press("Enter")
    target = focused["href"][1:]
    in_main = page.evaluate(
        """(target) => {
            const el = document.activeElement;
            const main = document.querySelector('main');
            return {id: el.id, inMain: !!main && (el === main || main.contains(el))};
        }""",
        target,
    )
    assert in_main["id"] == target and in_main["inMain"], in_main

    # axe-core (shipped inside axe-playwright-python, works offline): no serious or critical issue.
    # One test: live_server's database is emptied after each test, demo pages included.
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/")
    results = Axe().run(page)
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == [], "\n".join(serious)
