from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from wagtail.models import Page, Site

register = template.Library()

# Slugs of the legal pages linked in the footer, in this order.
FOOTER_SLUGS = ["impressum", "datenschutz", "barrierefreiheit"]


def _root(context: dict[str, Any]) -> Page | None:
    """The site root page, looked up once per request."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_cms_root_page"):
        site = Site.find_for_request(request)
        request._cms_root_page = site.root_page if site else None
    return request._cms_root_page


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The site root's live, public children marked "show in menus" (one query)."""
    root = _root(context)
    if root is None:
        return []
    request = context["request"]
    current = context.get("page")
    items = []
    for child in root.get_children().live().public().in_menu():
        is_current = bool(current and current.pk == child.pk)
        in_section = bool(current and current.path.startswith(child.path))
        items.append(
            {
                "title": child.title,
                "url": child.get_url(request),
                "current": is_current,
                "active": is_current or in_section,
            }
        )
    return items


@register.simple_tag(takes_context=True)
def footer_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Impressum, Datenschutz and Barrierefreiheit among the root's children (one query)."""
    root = _root(context)
    if root is None:
        return []
    request = context["request"]
    pages = {page.slug: page for page in root.get_children().live().public().filter(slug__in=FOOTER_SLUGS)}
    return [
        {"title": pages[slug].title, "url": pages[slug].get_url(request)}
        for slug in FOOTER_SLUGS
        if slug in pages
    ]


@register.inclusion_tag("cms/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: dict[str, Any], page: Page) -> dict[str, Any]:
    """Ancestors from the site root down to the parent of `page` (none on the root itself)."""
    root = _root(context)
    if not page or root is None or page.pk == root.pk or not page.path.startswith(root.path):
        ancestors = Page.objects.none()
    else:
        ancestors = page.get_ancestors().filter(depth__gte=root.depth)
    return {"ancestors": ancestors, "page": page, "root": root, "request": context.get("request")}


@register.filter
def inclusive_end(value: datetime | None) -> datetime | None:
    """The last moment inside a phase whose end is exclusive (midnight → the previous day)."""
    if value is None:
        return None
    return timezone.localtime(value) - timedelta(microseconds=1)
