"""Headless Chromium against a live server: the home page as a keyboard user meets it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_context


@pytest.fixture
def page(browser, live_server, demo_pages):
    context = open_context(browser, live_server)
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
