"""What every moderation action has in common, whichever app's content it concerns.

consultations.discussion.moderation (proposals, comments, users) and forums.moderation (threads, posts)
keep their own public actions, report models and log models. The rules that must not drift
apart between them live here: only the coordination office moderates, one rule for reasons,
reports are closed the same way, and hiding, showing and locking a row are written so that
repeating them (a double click, two moderators at once) is harmless.

Every helper runs inside the caller's transaction (the actions are `transaction.atomic`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import User
from .roles import is_coordination_office
from .validation import checked_text, clean_text

REASON_MAX_LENGTH = 2000
FLAG_NOTE_MAX_LENGTH = 1000


def ensure_moderator(actor: User) -> None:
    if not is_coordination_office(actor):
        raise PermissionDenied(_("Only the coordination office may moderate."))


def clean_reason(reason: str, *, required: bool) -> str:
    """The reason, trimmed. Required where it is shown to others (hiding) or kept with the
    account (blocking); optional for the other actions, whose log entry may stay without one."""
    return checked_text(
        (reason or "").strip(),
        field="reason",
        max_length=REASON_MAX_LENGTH,
        empty=_(
            "Please give a reason; it is shown in place of the content or to the person concerned."
        )
        if required
        else None,
        too_long=_("The reason can have at most %(max)d characters."),
    )


def clean_flag_note(note: str) -> str:
    """The optional note of a resident's flag, as plain text within its limit."""
    return checked_text(
        clean_text(note),
        field="note",
        max_length=FLAG_NOTE_MAX_LENGTH,
        too_long=_("The note can have at most %(max)d characters."),
    )


def start_action(actor: User, reason: str, *, reason_required: bool) -> str:
    """The first step of every action: refuse anybody but a moderator before looking at
    the input, then return the cleaned reason."""
    ensure_moderator(actor)
    return clean_reason(reason, required=reason_required)


def resolve_open_flags(flags: QuerySet[Any], *, actor: User, resolution: str) -> int:
    """Close the still open reports among `flags` as answered by `actor`.

    Returns how many were closed; the log entry records that number, so that the log shows
    which action answered how many reports.
    """
    return flags.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


def mark_hidden(obj: Model, reason: str) -> bool:
    """Hide `obj` (its `is_hidden` and `hidden_reason`); True if it was visible until now.

    Only the call that actually hides it gets True, so that exactly one caller lowers the
    counters of visible content, even when two moderators hide the same thing at once.
    Hiding something hidden again only replaces the reason shown in its place.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    became_hidden = rows.filter(is_hidden=False).update(is_hidden=True, hidden_reason=reason)
    if not became_hidden:
        rows.update(hidden_reason=reason)
    obj.is_hidden, obj.hidden_reason = True, reason
    return bool(became_hidden)


def mark_visible(obj: Model) -> bool:
    """Show `obj` again; True if it was hidden until now (the counterpart of mark_hidden)."""
    became_visible = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, is_hidden=True)
        .update(is_hidden=False, hidden_reason="")
    )
    obj.is_hidden, obj.hidden_reason = False, ""
    return bool(became_visible)


def mark_locked(obj: Model, locked: bool) -> None:
    """Lock or unlock `obj` (its `is_locked`): no new contributions; what is there stays."""
    type(obj)._default_manager.filter(pk=obj.pk).update(is_locked=locked)
    obj.is_locked = locked
