"""The review's rules as django-rules permissions (autodiscovered by rules.apps.AutodiscoverRulesConfig).

The predicates live in permissions.py; this module only names them, e.g.
`user.has_perm("review.view_case", case)` or `{% has_perm "review.submit_case" user case as may %}`.
"""

from __future__ import annotations

import rules

from foundation.roles import is_coordination_office

from .permissions import (
    PERFORMER_PREDICATES,
    can_view_case,
    can_view_meeting,
    is_contributor,
    may_record_meetings,
    may_see_meetings,
    may_use_review_pages,
)
from .workflow import PERFORMED_BY

rules.add_perm("review.use_review_pages", may_use_review_pages)
rules.add_perm("review.view_case", can_view_case)
rules.add_perm("review.contribute_to_case", is_contributor)
rules.add_perm("review.triage", is_coordination_office)
rules.add_perm("review.merge_proposals", is_coordination_office)
rules.add_perm("review.record_meetings", may_record_meetings)
rules.add_perm("review.see_meetings", may_see_meetings)
rules.add_perm("review.view_meeting", can_view_meeting)
for action, performer in PERFORMED_BY.items():
    rules.add_perm(f"review.{action}_case", PERFORMER_PREDICATES[performer])
