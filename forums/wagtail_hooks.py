"""How the forums plug into the Wagtail admin (menu "Foren") and the staff navigation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from foundation.admin.base import RolePolicy
from foundation.following import NEWS_VERBS_HOOK
from foundation.roles import Role
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from .admin_viewsets import ForumsAdminGroup
from .models import Forum, ForumEvent
from .rules import is_forum_moderator, may_manage_forums

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
            allowed=is_forum_moderator,
            order=42,
        )
    ]


def _with_start(text: Any) -> Any:
    """A news text with the event's start in the reader's language (params: ISO time)."""

    def render(params: dict[str, str]) -> str:
        starts = timezone.localtime(datetime.fromisoformat(params["starts"]))
        return str(text) % {**params, "when": formats.date_format(starts, "DATETIME_FORMAT")}

    return render


@hooks.register(NEWS_VERBS_HOOK)
def forum_news() -> dict[str, Any]:
    """The texts of news about followed forums and threads (foundation.following)."""
    return {
        "forums.thread": _("New thread “%(title)s” by %(name)s in the forum %(target)s"),
        "forums.reply": _("New reply by %(name)s in “%(target)s”"),
        "consultations.event": _with_start(_("New event “%(title)s” in “%(target)s”: %(when)s")),
        "events.changed": _with_start(_("“%(target)s” has a new date or place: %(when)s")),
        "events.documented": _("The documentation of “%(target)s” has been published"),
    }
