"""Who may see and act on a review case. Views and services both ask these functions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from foundation.roles import department_ids, is_coordination_office

from .models import ReviewCase
from .workflow import PERFORMED_BY, Action, Actor


def contributing_ids(case: ReviewCase) -> set[int]:
    cached = getattr(case, "_contributing_ids", None)
    if cached is None:
        cached = {department.pk for department in case.contributing_departments.all()}
        case._contributing_ids = cached
    return cached


def is_lead_reviewer(user: Any, case: ReviewCase) -> bool:
    return case.lead_department_id is not None and case.lead_department_id in department_ids(user)


def user_contributing_department_ids(user: Any, case: ReviewCase) -> set[int]:
    return department_ids(user) & contributing_ids(case)


def can_view_case(user: Any, case: ReviewCase | None) -> bool:
    if is_coordination_office(user):
        return True
    if case is None:
        return False
    return is_lead_reviewer(user, case) or bool(user_contributing_department_ids(user, case))


def may_perform(user: Any, case: ReviewCase, action: Action) -> bool:
    if PERFORMED_BY[action] == Actor.COORDINATION:
        return bool(is_coordination_office(user))
    return is_lead_reviewer(user, case)


def ensure_may_perform(user: Any, case: ReviewCase, action: Action) -> None:
    if not may_perform(user, case, action):
        raise PermissionDenied(_("You are not allowed to do this for this proposal."))


def ensure_coordination_office(user: Any) -> None:
    if not is_coordination_office(user):
        raise PermissionDenied(_("Only the coordination office may do this."))
