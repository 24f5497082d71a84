"""The one place that says which state change each action may make, and who performs it.

new       --assign-->   assigned        (coordination office, triage)
assigned  --assign-->   assigned        (re-assignment)
returned  --assign-->   returned        (re-assignment after a return)
assigned  --start-->    in_review       (lead department)
returned  --resume-->   in_review       (lead department)
in_review --submit-->   assessed        (lead department)
assessed  --approve-->  approved        (coordination office)
assessed  --return-->   returned        (coordination office, with a comment)
approved  --publish-->  published       (coordination office, also in bulk)
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .models import ACTION_LABELS, Action, ReviewState

__all__ = [
    "ACTION_LABELS",
    "PERFORMED_BY",
    "TRANSITIONS",
    "Action",
    "Actor",
    "allowed_actions",
    "target_state",
]


class Actor(StrEnum):
    COORDINATION = "coordination"
    LEAD_DEPARTMENT = "lead_department"


S = ReviewState

TRANSITIONS: dict[tuple[str, Action], str] = {
    (S.NEW, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.ASSIGN): S.ASSIGNED,
    (S.RETURNED, Action.ASSIGN): S.RETURNED,
    (S.ASSIGNED, Action.START): S.IN_REVIEW,
    (S.RETURNED, Action.RESUME): S.IN_REVIEW,
    (S.IN_REVIEW, Action.SUBMIT): S.ASSESSED,
    (S.ASSESSED, Action.APPROVE): S.APPROVED,
    (S.ASSESSED, Action.RETURN): S.RETURNED,
    (S.APPROVED, Action.PUBLISH): S.PUBLISHED,
}

PERFORMED_BY: dict[Action, Actor] = {
    Action.ASSIGN: Actor.COORDINATION,
    Action.START: Actor.LEAD_DEPARTMENT,
    Action.RESUME: Actor.LEAD_DEPARTMENT,
    Action.SUBMIT: Actor.LEAD_DEPARTMENT,
    Action.APPROVE: Actor.COORDINATION,
    Action.RETURN: Actor.COORDINATION,
    Action.PUBLISH: Actor.COORDINATION,
}


def target_state(state: str, action: Action) -> str:
    """The state `action` leads to from `state`, or a ValidationError saying why not."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise ValidationError(
            gettext("“%(action)s” is not possible while the case is “%(state)s”.")
            % {"action": ACTION_LABELS[action], "state": ReviewState(state).label},
            code="illegal_transition",
        ) from None


def allowed_actions(state: str) -> set[Action]:
    return {action for (from_state, action) in TRANSITIONS if from_state == state}
