"""Who may see and act on a review case: one django-rules predicate per rule.

The services enforce them (the `ensure_*` functions raise PermissionDenied); the views ask the
same predicates only to decide what to show. `rules.py` registers them as `review.*`
permissions for templates and the admin. `SYSTEM` (foundation.actors) passes only where a rule
names it: recording review meetings from the demo data.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from foundation.actors import is_system
from foundation.roles import department_ids, is_coordination_office, is_reviewer

from .models import ReviewCase, ReviewMeeting
from .workflow import PERFORMED_BY, Action, Actor


def contributing_ids(case: ReviewCase) -> set[int]:
    cached = getattr(case, "_contributing_ids", None)
    if cached is None:
        cached = {department.pk for department in case.contributing_departments.all()}
        case._contributing_ids = cached
    return cached


def user_contributing_department_ids(user: Any, case: ReviewCase) -> set[int]:
    """The contributing departments of `case` that `user` may speak for."""
    return department_ids(user) & contributing_ids(case)


@rules.predicate
def is_lead_reviewer(user: Any, case: ReviewCase) -> bool:
    return case.lead_department_id is not None and case.lead_department_id in department_ids(user)


@rules.predicate
def is_contributor(user: Any, case: ReviewCase) -> bool:
    return bool(user_contributing_department_ids(user, case))


@rules.predicate
def can_view_case(user: Any, case: ReviewCase | None) -> bool:
    """The coordination office sees every proposal's case page; departments only their cases."""
    if is_coordination_office(user):
        return True
    if case is None:
        return False
    return is_lead_reviewer(user, case) or is_contributor(user, case)


# The review area (case pages): the coordination office and the members of a department.
may_use_review_pages = is_coordination_office | is_reviewer

# Recording review meetings: the coordination office, and the demo loader as SYSTEM.
may_record_meetings = is_coordination_office | is_system

# The meetings list: the coordination office and the members of a department (each sees the
# meetings its departments took part in, `can_view_meeting`).
may_see_meetings = is_coordination_office | is_reviewer


def meeting_department_ids(meeting: ReviewMeeting) -> set[int]:
    """The departments that took part in `meeting` (from the prefetch when there is one)."""
    return {department.pk for department in meeting.departments.all()}


@rules.predicate
def can_view_meeting(user: Any, meeting: ReviewMeeting | None) -> bool:
    """The coordination office sees every meeting; a reviewer those its departments took part in.

    The queryset spelling of the same rule is `selectors.meetings_visible_to`; a test holds the
    two together.
    """
    if is_coordination_office(user):
        return True
    if meeting is None:
        return False
    return bool(department_ids(user) & meeting_department_ids(meeting))


PERFORMER_PREDICATES: dict[Actor, rules.Predicate] = {
    Actor.COORDINATION: is_coordination_office,
    Actor.LEAD_DEPARTMENT: is_lead_reviewer,
}


def may_perform(user: Any, case: ReviewCase, action: Action) -> bool:
    """Whether `user` may take `action` on `case` (workflow.PERFORMED_BY says who performs it)."""
    return bool(PERFORMER_PREDICATES[PERFORMED_BY[action]].test(user, case))


def ensure_may_perform(user: Any, case: ReviewCase, action: Action) -> None:
    if not may_perform(user, case, action):
        raise PermissionDenied(_("You are not allowed to do this for this proposal."))


def ensure_coordination_office(user: Any) -> None:
    if not is_coordination_office(user):
        raise PermissionDenied(_("Only the coordination office may do this."))


def ensure_may_contribute_for(user: Any, case: ReviewCase, department_id: int) -> None:
    if department_id not in user_contributing_department_ids(user, case):
        raise PermissionDenied(
            _("You can only add statements for a contributing department you belong to.")
        )


def ensure_may_record_meetings(actor: Any) -> None:
    if not may_record_meetings(actor):
        raise PermissionDenied(_("Only the coordination office may do this."))
