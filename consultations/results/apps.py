from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """The adopted concept, its publication, the monitoring and the half-yearly report."""

    name = "consultations.results"
    label = "results"
    verbose_name = _("Results and monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from foundation.staff import StaffLink, register_staff_link

        from . import hooks, permissions

        register_staff_link(
            StaffLink(
                title=_("Monitoring"),
                url_name="results:staff_index",
                allowed=permissions.may_use_monitoring_staff_pages,
                order=60,
            )
        )
        hooks.connect_review_hook()
