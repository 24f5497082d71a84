"""How the forums plug into the staff navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from foundation.roles import is_coordination_office
from foundation.staff import STAFF_LINKS_HOOK, StaffLink


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
