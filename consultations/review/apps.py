from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Fachliche Einschätzung: triage, department review, approval and publication."""

    name = "consultations.review"
    label = "review"
    verbose_name = _("Expert assessment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from foundation.roles import is_coordination_office, is_reviewer
        from foundation.staff import StaffLink, register_staff_link

        from . import hooks

        register_staff_link(
            StaffLink(title=_("Review triage"), url_name="review:triage", allowed=is_coordination_office, order=20)
        )
        register_staff_link(
            StaffLink(title=_("Review dashboard"), url_name="review:dashboard", allowed=is_coordination_office, order=21)
        )
        register_staff_link(
            StaffLink(title=_("My review queue"), url_name="review:queue", allowed=is_reviewer, order=22)
        )
        hooks.register_detail_context_provider()
