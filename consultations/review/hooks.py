"""How the review queue plugs into the proposal pages of the consultations app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def public_assessment_context(proposal: Any, request: HttpRequest) -> dict[str, Any]:
    """`public_assessment` for the public detail page: the published assessment or None.

    Templates may render it with {% include "review/includes/public_assessment.html" %};
    the internal note is never part of that include.
    """
    from .selectors import published_assessment

    assessment = published_assessment(proposal)
    if assessment is None:
        return {}
    return {
        "public_assessment": assessment,
        "public_assessment_template": "review/includes/public_assessment.html",
    }


def register_detail_context_provider() -> None:
    from consultations import selectors

    providers = getattr(selectors, "DETAIL_CONTEXT_PROVIDERS", None)
    if providers is not None and public_assessment_context not in providers:
        providers.append(public_assessment_context)
