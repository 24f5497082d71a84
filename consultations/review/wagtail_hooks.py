"""How the review queue plugs into the proposal pages and the staff navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from consultations.exports.columns import EXPORT_COLUMNS_HOOK, ColumnGroup
from consultations.proposals.selectors import DETAIL_CONTEXT_HOOK
from foundation.following import NEWS_VERBS_HOOK
from foundation.roles import is_coordination_office, is_reviewer
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from .amendments import CORRECTED_VERB
from .export_columns import review_column_group
from .selectors import proposals_merged_into, published_assessment


@hooks.register(DETAIL_CONTEXT_HOOK)
def public_assessment_context(proposal: Any, request: HttpRequest) -> dict[str, Any]:
    """For the public detail page: `public_assessment` (the published assessment with its
    corrections, or None) and `merged_proposals` (the proposals merged into this one).

    Templates render both with {% include public_assessment_template %}; the internal note is
    never part of that include.
    """
    assessment = published_assessment(proposal)
    merged = proposals_merged_into(proposal)
    if assessment is None and not merged:
        return {}
    return {
        "public_assessment": assessment,
        "merged_proposals": merged,
        "public_assessment_template": "review/includes/public_assessment.html",
    }


@hooks.register(NEWS_VERBS_HOOK)
def review_news() -> dict[str, Any]:
    """The texts of the review's news for followers (foundation.following)."""
    return {
        CORRECTED_VERB: _("The assessment of “%(target)s” has been corrected: %(reason)s"),
    }


@hooks.register(EXPORT_COLUMNS_HOOK)
def export_columns() -> ColumnGroup:
    """The review's columns in the proposal export (departments, state, assessment)."""
    return review_column_group()


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Review triage"),
            url_name="review:triage",
            allowed=is_coordination_office,
            order=20,
        ),
        StaffLink(
            title=_("Review dashboard"),
            url_name="review:dashboard",
            allowed=is_coordination_office,
            order=21,
        ),
        StaffLink(
            title=_("My review queue"), url_name="review:queue", allowed=is_reviewer, order=22
        ),
    ]
