"""Who may build surveys, manage their recipients and send mail: editors and the coordination
office (the builder and the invitation screens ask this one function)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from foundation.roles import Role

from .rules import may_build_surveys

__all__ = ["SurveyStaffPolicy", "may_build_surveys"]


class SurveyStaffPolicy(BasePermissionPolicy):
    """Every action on the survey models for editors and the coordination office.

    A role rule rather than model permissions: the foundation's role table stays free of
    the apps above it."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return getattr(user, "is_active", False) and may_build_surveys(user)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True)
                | Q(groups__name__in=[Role.EDITOR.value, Role.COORDINATION.value]),
                is_active=True,
            )
            .distinct()
        )
