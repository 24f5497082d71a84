"""How the forums plug into the Wagtail admin (menu "Foren") and the staff navigation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from foundation.admin.base import RolePolicy
from foundation.following import NEWS_VERBS_HOOK
from foundation.roles import Role, is_coordination_office
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from .admin_viewsets import ForumsAdminGroup
from .models import Forum, ForumEvent
from .rules import may_manage_forums

for model in (Forum, ForumEvent):
    register_permission_policy(
        model,
        RolePolicy(model, rule=may_manage_forums, roles=(Role.EDITOR, Role.COORDINATION)),
        exact_class=True,
    )


@hooks.register("register_admin_viewset")
def register_forums_admin() -> ForumsAdminGroup:
    return ForumsAdminGroup()


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Forum moderation"),
            url_name="forums:moderation_queue",
            allowed=is_coordination_office,
            order=42,
        )
    ]


@hooks.register(NEWS_VERBS_HOOK)
def forum_news() -> dict[str, Any]:
    """The texts of news about followed forums and threads (foundation.following)."""
    return {
        "forums.thread": _("New thread “%(title)s” by %(name)s in the forum %(target)s"),
        "forums.reply": _("New reply by %(name)s in “%(target)s”"),
    }
