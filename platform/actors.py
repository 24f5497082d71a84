"""Who acts in a write service: a signed-in person, or the platform itself.

Write services take the acting user as the keyword `actor` and check it. Where no person acts
(scheduled Celery tasks, the demo loader, management commands) the caller passes `SYSTEM` and so
says in the call that no person's permission applies. `None` is never an actor: a service called
with it refuses, like for anybody who may not act.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import rules


class System(Enum):
    """The platform acting on its own behalf (a one-member enum: a sentinel with a type)."""

    SYSTEM = "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = System.SYSTEM


@rules.predicate
def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def acting_user(actor: Any) -> Any:
    """The user to record as author of a change: the person, or None for SYSTEM."""
    return None if actor is SYSTEM else actor
