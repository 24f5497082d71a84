from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from foundation.roles import is_coordination_office
        from foundation.staff import StaffLink, register_staff_link

        from . import ratelimits  # noqa: F401  (adds the forum limits to the platform's table)

        register_staff_link(
            StaffLink(
                title=_("Forum moderation"),
                url_name="forums:moderation_queue",
                allowed=is_coordination_office,
                order=42,
            )
        )
