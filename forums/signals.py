"""Receivers of the foundation's signals (the foundation imports no app; it announces)."""

from __future__ import annotations

from typing import Any

from foundation.models import User

from .events import cancel_registrations_of_deleted_account
from .models import ThreadVisit


def free_event_places_of_deleted_account(sender: Any, *, user: User, **kwargs: Any) -> None:
    """`foundation.services.account_deleted`: sent inside the deletion's transaction."""
    cancel_registrations_of_deleted_account(user=user)
    # What the person read, and when, goes with the account.
    ThreadVisit.objects.filter(user=user).delete()
