"""{% follow_button thing %}: follow or stop following it (sign-in link for visitors)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import following

register = template.Library()


@register.inclusion_tag("foundation/includes/follow_button.html", takes_context=True)
def follow_button(context: dict[str, Any], target: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "token": following.target_token(target),
        "following": following.is_following(user=request.user, target=target),
        "title": str(target),
        "next": request.get_full_path(),
    }
