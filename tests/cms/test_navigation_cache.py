"""The menus are cached between requests and follow every change of the page tree."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _navigation_cache_on(settings):
    settings.CMS_NAVIGATION_CACHE_SECONDS = 3600


def _menu_titles(client):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Hauptnavigation"', 1)[-1].split("</nav>", 1)[0]
    return nav


def _query_count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_menus_are_built_once_and_then_served_from_the_cache(client, demo_site):
    from django.core.cache import cache

    cache.clear()
    cold = _query_count(client, "/impressum/")
    warm = _query_count(client, "/impressum/")
    # The menus' children query and their view-restriction check are gone once cached.
    assert warm <= cold - 2


def test_published_new_page_appears_and_unpublished_page_disappears(client, demo_site):
    root = demo_site["home"] if isinstance(demo_site, dict) and "home" in demo_site else None
    from cms.models import HomePage

    root = root or HomePage.objects.get()
    assert "Neue Seite im Menü" not in _menu_titles(client)
    page = root.add_child(
        instance=StandardPage(title="Neue Seite im Menü", slug="neu-im-menue", show_in_menus=True)
    )
    page.save_revision().publish()
    assert "Neue Seite im Menü" in _menu_titles(client)
    page.unpublish()
    assert "Neue Seite im Menü" not in _menu_titles(client)


def test_private_page_leaves_the_menu(client, demo_site):
    from cms.models import HomePage

    root = HomePage.objects.get()
    page = root.add_child(
        instance=StandardPage(title="Intern geplant", slug="intern-geplant", show_in_menus=True)
    )
    page.save_revision().publish()
    assert "Intern geplant" in _menu_titles(client)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert "Intern geplant" not in _menu_titles(client)
