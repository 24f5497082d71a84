"""How the surveys plug into the foundation and the public survey page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from foundation.selectors import ACCOUNT_DATA_EXPORT_HOOK
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from .personal_data import survey_answers_of
from .results.publication import public_results
from .rules import may_view_survey_results

#: The public survey page asks its hooks for more context: `hook(survey, request) -> dict`.
SURVEY_DETAIL_CONTEXT_HOOK = "survey_detail_context"

hooks.register(ACCOUNT_DATA_EXPORT_HOOK, survey_answers_of)


@hooks.register(SURVEY_DETAIL_CONTEXT_HOOK)
def published_results_context(survey: Any, request: Any) -> dict[str, Any]:
    """{"published_results": ...} once published; the page then includes
    "surveys/results/public_results.html"."""
    results = public_results(survey=survey)
    return {"published_results": results} if results is not None else {}


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Survey results"),
            url_name="surveys:results_index",
            allowed=may_view_survey_results,
            order=70,
        )
    ]
