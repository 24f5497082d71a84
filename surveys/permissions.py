"""Who may build surveys, manage their recipients and send mail: editors and the coordination
office (the builder and the invitation screens ask this one function; the Wagtail screens ask
it through `policy`)."""

from __future__ import annotations

from django.db.models import Model

from foundation.admin.base import RolePolicy
from foundation.roles import Role

from .rules import may_build_surveys

__all__ = ["may_build_surveys", "policy"]


def policy(model: type[Model]) -> RolePolicy:
    """Every action on the survey models for editors and the coordination office."""
    return RolePolicy(model, rule=may_build_surveys, roles=(Role.EDITOR, Role.COORDINATION))
