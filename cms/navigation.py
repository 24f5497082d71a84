"""Site navigation (main menu and footer) cached between requests.

Every public page renders both menus; building them costs several queries (site, root page,
children, view restrictions). They change only when pages are published, unpublished, moved
or deleted, so they are cached per site and language under a version number that those
Wagtail signals increase. Which item is "current" is decided per request, not cached.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Page, Site

# Slugs of the legal pages linked in the footer, in this order.
FOOTER_SLUGS = ["impressum", "datenschutz", "barrierefreiheit"]
VERSION_KEY = "cms:navigation:version"


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def invalidate(**kwargs: Any) -> None:
    """Signal receiver: any change to the page tree makes the cached menus stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(VERSION_KEY, 2, None)


def site_root(request: HttpRequest) -> Page | None:
    """The site root page, looked up once per request."""
    if not hasattr(request, "_cms_root_page"):
        site = Site.find_for_request(request)
        request._cms_root_page = site.root_page if site else None
    return request._cms_root_page


def _build(request: HttpRequest, root: Page) -> dict[str, list[dict[str, Any]]]:
    children = list(root.get_children().live().public())
    main = [
        {"title": page.title, "url": page.get_url(request), "pk": page.pk, "path": page.path}
        for page in children
        if page.show_in_menus
    ]
    by_slug = {page.slug: page for page in children if page.slug in FOOTER_SLUGS}
    footer = [
        {"title": by_slug[slug].title, "url": by_slug[slug].get_url(request)}
        for slug in FOOTER_SLUGS
        if slug in by_slug
    ]
    return {"main": main, "footer": footer}


def site_navigation(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    site = Site.find_for_request(request)
    if site is None:
        return {"main": [], "footer": []}
    timeout = settings.CMS_NAVIGATION_CACHE_SECONDS
    key = f"cms:navigation:{site.pk}:{get_language()}:{_version()}"
    navigation = cache.get(key) if timeout else None
    if navigation is None:
        root = site_root(request)
        navigation = _build(request, root) if root is not None else {"main": [], "footer": []}
        if timeout:
            cache.set(key, navigation, timeout)
    return navigation
