"""Wiring of the discussion and moderation part into the rest of the platform (AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from foundation.roles import is_coordination_office
from foundation.staff import StaffLink, register_staff_link


def discussion_context(proposal: Any, request: HttpRequest) -> dict[str, Any]:
    """Context for consultations/includes/discussion.html on the proposal page."""
    from .discussion_selectors import discussion_for

    return {
        "discussion": discussion_for(
            proposal=proposal, user=request.user, page_number=request.GET.get("comments_page") or 1
        )
    }


def register() -> None:
    from .selectors import DETAIL_CONTEXT_PROVIDERS

    if discussion_context not in DETAIL_CONTEXT_PROVIDERS:
        DETAIL_CONTEXT_PROVIDERS.append(discussion_context)
    register_staff_link(
        StaffLink(title=_("Moderation"), url_name="consultations:moderation_queue", allowed=is_coordination_office, order=40)
    )
    register_staff_link(
        StaffLink(title=_("Exports"), url_name="consultations:export_list", allowed=is_coordination_office, order=45)
    )
