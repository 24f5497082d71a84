from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Fachliche Einschätzung: triage, department review, approval and publication."""

    name = "consultations.review"
    label = "review"
    verbose_name = _("Expert assessment")
    default_auto_field = "django.db.models.BigAutoField"
