"""How results plug into the review workflow and the staff navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from consultations.proposals.selectors import DETAIL_CONTEXT_HOOK
from consultations.review.services import CASE_PUBLISHED_HOOK
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from . import permissions
from .services import adopt_published_case
from .thread_selectors import proposal_outcome

hooks.register(CASE_PUBLISHED_HOOK, adopt_published_case)


@hooks.register(DETAIL_CONTEXT_HOOK)
def proposal_outcome_context(proposal: Any, request: HttpRequest) -> dict[str, Any]:
    """“What became of this proposal” on its public page (results/includes/proposal_outcome.html)."""
    return {
        "proposal_outcome": proposal_outcome(proposal),
        "proposal_outcome_template": "results/includes/proposal_outcome.html",
    }


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Monitoring"),
            url_name="results:staff_index",
            allowed=permissions.may_use_monitoring_staff_pages,
            order=60,
        )
    ]
