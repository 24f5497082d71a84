"""The foundation's rules: who may take part at all, and who may see a consultation.

Each rule is one django-rules predicate, registered as a permission, so that views and
templates may ask `user.has_perm(...)`; services call the same predicate (or the refusal
function beside it, which says why not). See docs/architecture.md for every rule's home.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Consultation
from .roles import is_active_participant, is_coordination_office, is_editor


def participation_refusal(user: Any) -> str | None:
    """Why `user` may not take part (post, propose, support, flag, register), or None."""
    if not getattr(user, "is_authenticated", False):
        return _("Please sign in to take part.")
    if user.blocked_at:
        return _("Your account is blocked. You cannot take part at the moment.")
    if not is_active_participant(user):
        return _("Please confirm your e-mail address first. Then you can take part.")
    return None


def ensure_may_take_part(user: Any) -> None:
    """Raise a ValidationError with the reason when `user` may not take part."""
    refusal = participation_refusal(user)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")


@rules.predicate
def may_see_consultation(user: Any, consultation: Consultation) -> bool:
    """A published consultation is public; staff also reach unpublished ones (to check them
    before launch). The roles are asked only when it matters (a query saved on public pages)."""
    return bool(consultation.is_published or is_coordination_office(user) or is_editor(user))


rules.add_perm("foundation.take_part", is_active_participant)
rules.add_perm("foundation.see_consultation", may_see_consultation)
