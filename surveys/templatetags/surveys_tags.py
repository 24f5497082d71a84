from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def translated(item: Any, field: str = "text") -> str:
    """`{{ question|translated:"help_text" }}`: the text in the active language, or the
    survey's own (TranslatedTextMixin.translated)."""
    if item is None:
        return ""
    return item.translated(field)
