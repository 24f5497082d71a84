"""The Content-Security-Policy in a real browser: no violation on public pages (nonce) nor in
the Wagtail admin (its own policy), while an injected inline script is still blocked."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_context
from tests.foundation.factories import PASSWORD, UserFactory

# Records every violation the browser reports, before any script of the page runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


@pytest.fixture
def page(browser, live_server, demo_pages):
    context = open_context(browser, live_server)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_console = console
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.csp_console


def test_public_pages_run_their_scripts_without_a_violation(page):
    for path in ["/", "/suche/?q=Sprache", "/foren/", "/konto/login/"]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path


def test_an_injected_inline_script_is_blocked_on_a_public_page(page):
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__injected = true'; document.body.append(s); }"""
    )
    assert page.evaluate("window.__injected === true") is False
    assert any("script-src" in violation for violation in violations(page))


def test_the_wagtail_admin_works_under_its_policy(page):
    from wagtail.models import Page

    admin = UserFactory(is_superuser=True, is_staff=True, username="admin-csp")
    page.goto("/admin/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    home = Page.objects.filter(depth=2).first()
    for path in [
        "/admin/",
        f"/admin/pages/{home.pk}/edit/",
        "/admin/documents/add/",
        "/admin/users/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
