"""The export request form; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from foundation.models import Consultation

from .models import ExportFormat


class ExportRequestForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Consultation.objects.order_by("-created_at"),
        empty_label=None,
        error_messages={
            "required": _("Please choose a consultation."),
            "invalid_choice": _("Please choose a consultation."),
        },
    )
    format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a file format.")},
    )
