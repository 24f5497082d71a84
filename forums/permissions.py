"""Who may create and edit forums and forum events in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from foundation.roles import Role

from .rules import may_manage_forums


class ForumStaffPolicy(BasePermissionPolicy):
    """Every action on forums and forum events for editors and the coordination office (a role
    rule, like the surveys' policy: the foundation's role table stays free of the apps)."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return getattr(user, "is_active", False) and may_manage_forums(user)

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
