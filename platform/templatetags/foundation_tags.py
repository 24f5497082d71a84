from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from ..selectors import unread_notification_count
from ..staff import staff_links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    return unread_notification_count(user=context["request"].user)


@register.simple_tag(takes_context=True)
def staff_links(context: dict[str, Any]) -> list[dict[str, str]]:
    return staff_links_for(context["request"].user)


@register.filter
def strip_language_prefix(path: str) -> str:
    """'/en/foo/' -> '/foo/' so that set_language can add the new language's prefix."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def bound_field(form: Any, name: str) -> Any:
    """`form|bound_field:"title"` -> the bound field (templates cannot index by variable)."""
    return form[name]


@register.simple_tag
def page_window(page_obj: Any) -> list[Any]:
    """The page numbers a pager shows: the first, the last and two on each side of the
    current one, gaps as "…" (Paginator.ELLIPSIS); the same few links however many pages."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
