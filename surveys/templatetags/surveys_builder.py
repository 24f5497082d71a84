"""Template tags of the builder's admin screens."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..builder.selectors import condition_text as _condition_text

register = template.Library()


@register.simple_tag
def condition_text(condition: Any) -> str:
    return _condition_text(condition)


@register.simple_tag(takes_context=True)
def move_button(context: Any, url_name: str, pk: int, direction: str, name: str) -> str:
    """A small POST form with one button: works without JavaScript."""
    label = _("Move up") if direction == "up" else _("Move down")
    return format_html(
        '<form method="post" action="{}" class="w-inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="button button-small button-secondary">{}'
        '<span class="w-sr-only"> {}</span></button></form>',
        reverse(url_name, args=[pk, direction]),
        get_token(context["request"]),
        label,
        name,
    )
