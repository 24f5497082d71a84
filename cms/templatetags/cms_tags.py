from __future__ import annotations

from typing import Any

from django import template
from wagtail.models import Page, Site

register = template.Library()


def _root(request: Any) -> Page | None:
    site = Site.find_for_request(request)
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context["request"]
    root = _root(request)
    if root is None:
        return []
    current = context.get("page")
    items = []
    for child in root.get_children().live().public().in_menu().specific(defer=True):
        active = bool(current and (current.pk == child.pk or current.path.startswith(child.path)))
        items.append({"title": child.title, "url": child.get_url(request), "active": active})
    return items


@register.simple_tag(takes_context=True)
def footer_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context["request"]
    root = _root(request)
    if root is None:
        return []
    pages = root.get_children().live().public().not_in_menu().filter(
        slug__in=["impressum", "datenschutz", "barrierefreiheit"]
    )
    return [{"title": page.title, "url": page.get_url(request)} for page in pages]


@register.inclusion_tag("cms/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: dict[str, Any], page: Page) -> dict[str, Any]:
    ancestors = page.get_ancestors().filter(depth__gt=1) if page and page.depth > 2 else Page.objects.none()
    return {"ancestors": ancestors, "page": page, "request": context["request"]}
