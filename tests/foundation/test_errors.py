"""Error pages: in the site layout with one heading (404, 403, 400), static for 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.foundation.urls_errors"
    settings.DEBUG = False


def assert_layout_page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'class="site-header"' in html and '<main id="main"' in html
    assert 'lang="de"' in html
    return html


def test_unknown_address_gives_404_in_the_site_layout(client):
    html = assert_layout_page(client.get("/gibt-es-nicht/"), 404)
    assert "nicht gefunden" in html.lower() or "not found" in html.lower()


def test_unknown_address_in_english_gives_english_404(client):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert 'lang="en"' in response.content.decode()


def test_forbidden_gives_403_in_the_site_layout(client, error_urls):
    assert_layout_page(client.get("/test-errors/403/"), 403)


def test_bad_request_gives_400_in_the_site_layout(client, error_urls):
    assert_layout_page(client.get("/test-errors/400/"), 400)


def test_server_error_gives_the_static_500_page(client, error_urls):
    client.raise_request_exception = False
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Serverfehler" in html
    assert "{%" not in html and "{{" not in html


def test_healthz_reports_database_cache_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {"database", "cache", "broker"} <= set(checks)
    assert all(check["ok"] for check in checks.values())
