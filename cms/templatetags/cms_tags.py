from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from ..navigation import site_navigation, site_root

register = template.Library()


def _root(context: dict[str, Any]) -> Page | None:
    request = context.get("request")
    return site_root(request) if request is not None else None


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The site root's live, public children marked "show in menus" (cached, see navigation)."""
    request = context.get("request")
    if request is None:
        return []
    current = context.get("page")
    if current is not None and not isinstance(current, Page):
        current = None  # an app's own "page" in the context, not a Wagtail page
    items = []
    for item in site_navigation(request)["main"]:
        is_current = bool(current and current.pk == item["pk"])
        in_section = bool(current and current.path.startswith(item["path"]))
        items.append({**item, "current": is_current, "active": is_current or in_section})
    # The apps' own sections that are not pages of the tree.
    # In the order of the process: the survey (Bedarfsanalyse) comes before the forums.
    sections = (
        (_("Surveys"), "surveys:list"),
        (_("Forums"), "forums:index"),
        (_("Events"), "events:overview"),
    )
    for title, name in sections:
        url = reverse(name)
        items.append(
            {
                "title": title,
                "url": url,
                "current": request.path == url,
                "active": request.path.startswith(url),
            }
        )
    return items


@register.simple_tag(takes_context=True)
def footer_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Impressum, Datenschutz and Barrierefreiheit among the root's children (cached)."""
    request = context.get("request")
    return site_navigation(request)["footer"] if request is not None else []


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
