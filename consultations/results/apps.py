from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """The adopted concept, its publication, the monitoring and the half-yearly report."""

    name = "consultations.results"
    label = "results"
    verbose_name = _("Results and monitoring")
    default_auto_field = "django.db.models.BigAutoField"
